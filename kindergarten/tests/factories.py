"""Factories for the kindergarten service's models."""

import factory


class KindergartenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "kindergarten.Kindergarten"

    municipality = factory.SubFactory("tests.factories.MunicipalityFactory")
    name = factory.Sequence(lambda n: f"Eventyrskogen {n} barnehage")
    address = factory.Sequence(lambda n: f"Skogvegen {n}, 3050 Mjøndalen")
    age_groups = "0-5"
    capacity = 60
