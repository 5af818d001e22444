"""Factories for the SFO service's models."""

import factory


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sfo.School"

    municipality = factory.SubFactory("tests.factories.MunicipalityFactory")
    name = factory.Sequence(lambda n: f"Elvebakken {n} skole")
    address = factory.Sequence(lambda n: f"Skolevegen {n}, 3050 Mjøndalen")
    lowest_grade = 1
    highest_grade = 4
    special_needs_highest_grade = 7
