"""The layers hold (README, "For developers"): imports, template includes, URL names and
foreign keys run downward only. import-linter checks the imports of the core layers (make lint);
this test finds the service packages in the registry, so a new service is checked without an
edit anywhere else, and checks what import-linter cannot see: templates and foreign keys."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import grimp
import pytest
from django.apps import apps

from cases.types import case_types

ROOT = Path(__file__).resolve().parent.parent
# Bottom to top; SERVICES stands for every service package.
LAYERS = ["registers", "core", "accounts", "cases", "correspondence", "notifications", "applications", "archive", "SERVICES",
          "insights", "minside"]


def service_packages() -> set[str]:
    return {type(t).__module__.split(".")[0] for t in case_types()}


def layer_of(package: str) -> int | None:
    if package in service_packages():
        return LAYERS.index("SERVICES")
    return LAYERS.index(package) if package in LAYERS else None


def project_packages() -> list[str]:
    return [c.name for c in apps.get_app_configs() if (ROOT / c.name).is_dir() and "." not in c.name]


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph(*project_packages(), cache_dir=None)


def test_every_app_has_a_layer_and_the_services_are_found():
    assert {"kindergarten", "building_permit"} <= service_packages()
    assert all(layer_of(p) is not None for p in project_packages()), project_packages()


def test_the_import_contract_lists_every_app_but_the_services():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    assert set(config["root_packages"]) == set(project_packages()) - service_packages()


def _upward_imports(graph) -> list[str]:
    problems = []
    for importer in project_packages():
        for imported in project_packages():
            if importer == imported or layer_of(importer) > layer_of(imported):
                continue
            same_layer = layer_of(importer) == layer_of(imported)  # two services: independent
            if graph.direct_import_exists(importer=importer, imported=imported, as_packages=True):
                for line in graph.find_matching_direct_imports(import_expression=f"{importer}.** -> {imported}.**"):
                    if ".tests" in line["importer"]:  # a package's own tests are outside the layers
                        continue
                    what = "a sibling service" if same_layer else "a higher layer"
                    problems.append(f"{line['importer']} imports {line['imported']} ({what})")
    return problems


def test_no_import_runs_upward_or_between_services(graph):
    assert _upward_imports(graph) == []


def test_cases_correspondence_notifications_and_core_never_import_a_service(graph):
    for service in service_packages():
        for lower in ("core", "registers", "accounts", "cases", "correspondence", "notifications", "applications", "archive"):
            chain = graph.find_shortest_chain(importer=lower, imported=service, as_packages=True)
            assert chain is None, f"{lower} reaches {service}: {' -> '.join(chain)}"


def test_services_never_import_the_archive(graph):
    """The archive journals what happens on any case through the lower apps' events; a service
    has nothing to tell it directly (README, the layer table)."""
    for service in service_packages():
        chain = graph.find_shortest_chain(importer=service, imported="archive", as_packages=True)
        assert chain is None, f"{service} reaches archive: {' -> '.join(chain)}"


def test_no_foreign_key_points_upward():
    problems = []
    for model in apps.get_models():
        source = model._meta.app_label
        if layer_of(source) is None:
            continue
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete and field.related_model is not None:
                target = field.related_model._meta.app_label
                if layer_of(target) is not None and layer_of(target) > layer_of(source):
                    problems.append(f"{model.__name__}.{field.name} -> {field.related_model.__name__}")
                elif source != target and layer_of(target) == layer_of(source):
                    problems.append(f"{model.__name__}.{field.name} -> {field.related_model.__name__} (sibling service)")
    assert problems == []


TEMPLATE_REFERENCE = re.compile(r"""\{%\s*(?:include|extends)\s+["']([a-z_]+)/|\{%\s*url\s+["']([a-z_]+):""")


def test_templates_include_and_link_only_downward():
    """A template may include or extend templates, and name URLs, of its own layer or below
    (the admin's and allauth's are outside the layers). Project templates (templates/) sit on top."""
    problems = []
    for package in project_packages():
        for path in (ROOT / package / "templates").rglob("*.html") if (ROOT / package / "templates").is_dir() else []:
            for match in TEMPLATE_REFERENCE.finditer(path.read_text()):
                target = match.group(1) or match.group(2)
                if target == "caseworker":  # the caseworker admin site's URL namespace: core
                    target = "core"
                if target == package or layer_of(target) is None:
                    continue
                if layer_of(target) > layer_of(package) or (
                        layer_of(target) == layer_of(package) and target != package):
                    problems.append(f"{path.relative_to(ROOT)} uses {match.group(0)!r}")
    assert problems == []


DIRECT_CASE_WRITE = re.compile(
    r"\b(Case|CaseEvent|Decision|InformationRequest)\.objects\.(create|bulk_create|update|get_or_create)\("
    r"|\b(Case|CaseEvent|Decision|InformationRequest)\.objects\.filter\([^\n]*\)\.update\(")


def test_services_change_cases_only_through_cases_services():
    """A service changes a case through cases.services (case_transition and the operations
    built on it: the timeline, the version, the notice), never by writing cases' rows itself.
    Regression: admission bumped versions, wrote events and decisions and set outcomes directly."""
    problems = []
    for package in service_packages():
        for path in (ROOT / package).rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            for match in DIRECT_CASE_WRITE.finditer(path.read_text()):
                problems.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert problems == []
