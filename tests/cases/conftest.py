import pytest

from cases.services import case_create
from tests.factories import DepartmentFactory, OrganisationFactory, RepresentationFactory, StaffFactory


@pytest.fixture
def case(citizen, department):
    """A kindergarten case as submitted by `citizen`, through the real service."""
    return case_create(application_type="kindergarten", title="Søknad om barnehageplass",
                       department=department, applicant=citizen)


@pytest.fixture
def other_department(db):
    return DepartmentFactory(code="byggesak", name="Byggesak")


@pytest.fixture
def other_caseworker(other_department):
    return StaffFactory(departments=[other_department])


@pytest.fixture
def colleague(department):
    return StaffFactory(departments=[department])


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Ali Bygg AS")


@pytest.fixture
def representative(organisation):
    return RepresentationFactory(organisation=organisation).person


@pytest.fixture
def org_case(organisation, representative, other_department):
    """A building permit applied for on behalf of an organisation."""
    return case_create(application_type="building_permit", title="Søknad om tilbygg",
                       department=other_department, applicant=representative, organisation=organisation)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Uploaded documents go to a throwaway directory.
    settings.MEDIA_ROOT = tmp_path / "media"


def act_for(client, organisation):
    """Log the client's user in as acting for an organisation (as the party chooser does)."""
    from accounts.services import ACT_FOR_SELF, ACTING_FOR_SESSION_KEY

    session = client.session
    session[ACTING_FOR_SESSION_KEY] = str(organisation.pk) if organisation else ACT_FOR_SELF
    session.save()
