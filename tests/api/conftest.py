from tests.cases.conftest import case, colleague, organisation, other_caseworker, other_department  # noqa: F401
