from accounts import demo as accounts_demo
from cases import demo as cases_demo
from cases.models import Case


def test_demo_cases_are_made_once(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    accounts_demo.load()
    assert cases_demo.load() == 4
    assert cases_demo.load() == 0
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == {"received", "awaiting_information", "under_review", "decided"}
    assert Case.objects.get(title__startswith="Garasje").organisation.name == "Ali Bygg AS"
