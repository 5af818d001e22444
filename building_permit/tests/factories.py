"""Factories for the building permit service's models."""

import datetime

import factory


class BuildingFeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "building_permit.BuildingFee"

    municipality = factory.SubFactory("tests.factories.MunicipalityFactory")
    permit_kind = "20-4"
    category = "garage"
    amount = 8900
    valid_from = datetime.date(2026, 1, 1)
