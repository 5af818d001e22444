"""What apps contribute is found by asking each installed app, never from a list of apps."""

import sys
import types

import pytest
from django.apps import apps
from django.urls import reverse

from core import discovery
from minside.celery import app as celery_app


def test_merged_beat_schedule_has_every_apps_periodic_work():
    # Regression: a hand-written list of apps left admission out, so unanswered kindergarten
    # offers never expired although the README promised it.
    schedule = discovery.beat_schedule()
    for name in ("kindergarten-expire-offers", "notifications-sweep", "notifications-print-batch",
                 "correspondence-render-missing-pdfs", "cases-expire-information-requests",
                 "applications-automated-checks-sweep", "applications-delete-expired-drafts"):
        assert name in schedule, name
    celery_app.loader.import_default_modules()
    celery_app.finalize()
    assert celery_app.conf.beat_schedule == schedule
    for entry in schedule.values():
        assert entry["task"] in celery_app.tasks, entry["task"]


def test_every_task_lands_on_a_declared_queue():
    router = celery_app.amqp.router
    celery_app.loader.import_default_modules()
    queues = {name: router.route({}, name)["queue"].name for name in celery_app.tasks if not name.startswith("celery.")}
    assert queues["notifications.tasks.deliver"] == "sending"
    assert queues["correspondence.tasks.letter_render_pdf_task"] == "pdf"
    assert queues["applications.tasks.run_automated_checks"] == "casework"
    assert {queues[name] for name in queues if ".tasks.periodic_" in name} == {"periodic"}


def test_two_apps_declaring_the_same_periodic_task_is_an_error(monkeypatch):
    first, second = types.ModuleType("a.tasks"), types.ModuleType("b.tasks")
    first.beat_schedule = {"same": {"task": "a.tasks.x", "schedule": 60}}
    second.beat_schedule = {"same": {"task": "b.tasks.y", "schedule": 60}}
    monkeypatch.setattr(discovery, "app_modules", lambda name: [(types.SimpleNamespace(name="a"), first), (types.SimpleNamespace(name="b"), second)])
    with pytest.raises(ValueError, match="same"):
        discovery.beat_schedule()


def test_every_app_url_prefix_is_routed():
    from minside.urls import urlpatterns

    routed = {str(pattern.pattern) for pattern in urlpatterns}
    for config in apps.get_app_configs():
        for prefix in getattr(config, "urls", {}):
            assert prefix in routed
    assert reverse("applications:catalogue") == "/soknad/"
    assert reverse("api-cases-list") == "/api/v1/cases/"


def test_an_app_module_that_fails_to_import_is_not_hidden(monkeypatch, tmp_path):
    # A typo in a contributed module must stop start-up, not make the feature vanish.
    package = tmp_path / "brokenapp"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "dashboard.py").write_text("import no_such_module_anywhere\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    module = __import__("brokenapp")
    config = types.SimpleNamespace(name="brokenapp", module=module)
    monkeypatch.setattr(apps, "get_app_configs", lambda: [config])
    with pytest.raises(ModuleNotFoundError, match="no_such_module_anywhere"):
        discovery.import_app_modules("dashboard")
    sys.modules.pop("brokenapp", None)
    sys.modules.pop("brokenapp.dashboard", None)
