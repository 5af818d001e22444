"""Isolation between municipalities: every URL of the portal, both admin sites and the API,
generated from the URL conf (a new URL is covered without editing this test), requested by a
caseworker of another municipality, an administrator of another municipality and the national
operator, on the data municipality's host and on their own, by GET and POST. A leak is a
response that shows any of the data municipality's marked data, or hands over one of its files;
none may answer 500, and afterwards nothing of the data municipality's has changed."""

from __future__ import annotations

import datetime
import re
import uuid

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import MunicipalityRole
from applications.models import Application, ApplicationTypeConfig, Attachment
from building_permit.tests.factories import BuildingFeeFactory
from cases import services as cases
from cases.models import Case, CaseDocument
from correspondence.models import Letter, MessageAttachment, MessageThread
from correspondence.services import message_create, thread_get_or_create_for_case
from kindergarten.models import AdmissionRound, Offer
from kindergarten.tests.factories import KindergartenFactory
from notifications.models import Notification, PrintBatch
from tests.factories import (
    CitizenFactory,
    DepartmentFactory,
    MunicipalityFactory,
    MunicipalityHostFactory,
    StaffFactory,
)

SECRET = "HEMMELIG"  # in every piece of the data municipality's data
SURNAME = "Drammensen"  # the applicant's name
FEE = "98765"
HOST_A, HOST_B = "drammen.localhost", "lier.localhost"
# Requests that end the session or switch language: the client logs in again before each request.
PARAM_VALUES = {"type_key": "kindergarten", "step": "child", "action": "note", "table": "monthly",
                "app_label": None, "provider_id": "idporten", "key": "x", "uidb36": "x", "token": "x"}


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    a = MunicipalityFactory(number="3301", name="Drammen kommune")
    b = MunicipalityFactory(number="3312", name="Lier kommune")
    MunicipalityHostFactory(municipality=a, host=HOST_A)
    MunicipalityHostFactory(municipality=b, host=HOST_B)
    department = DepartmentFactory(municipality=a, code="barnehage", name=f"Barnehage {SECRET}")
    DepartmentFactory(municipality=b, code="barnehage", name="Barnehage Lier")
    DepartmentFactory(municipality=b, code="byggesak", name="Byggesak Lier")
    owner = CitizenFactory(first_name="Hemmelig", last_name=SURNAME)
    case = cases.case_create(application_type="kindergarten", title=f"Søknad {SECRET} 1", department=department,
                             applicant=owner)
    caseworker_a = StaffFactory(departments=[department])
    request = cases.case_request_information(case=case, by=caseworker_a, text=f"Send {SECRET}", documents_requested="",
                                             due_date=timezone.localdate() + datetime.timedelta(days=7))
    stored = default_storage.save(f"cases/{case.pk}/x.pdf", ContentFile(f"%PDF-1.4 {SECRET}".encode()))
    document = CaseDocument.objects.create(case=case, file=stored, original_name=f"{SECRET}.pdf",
                                           content_type="application/pdf", size=20, uploaded_by=owner)
    thread = thread_get_or_create_for_case(case=case)
    message = message_create(thread=thread, sender=caseworker_a, body=f"Melding {SECRET}", from_municipality=True)
    attachment_file = default_storage.save("messages/x.pdf", ContentFile(f"%PDF-1.4 {SECRET}".encode()))
    message_attachment = MessageAttachment.objects.create(message=message, file=attachment_file,
                                                          original_name=f"{SECRET}.pdf",
                                                          content_type="application/pdf", size=20)
    application = Application.objects.create(municipality=a, type_key="kindergarten", applicant=owner,
                                             data={"child": {"child": SECRET}})
    app_file = default_storage.save(f"applications/{application.pk}/x.pdf", ContentFile(f"%PDF {SECRET}".encode()))
    app_attachment = Attachment.objects.create(application=application, kind="priority_documentation",
                                               original_name=f"{SECRET}.pdf", stored_name=app_file,
                                               content_type="application/pdf", size=10)
    kindergarten = KindergartenFactory(municipality=a, name=f"{SECRET} barnehage")
    admission_round = AdmissionRound.objects.create(municipality=a, name=f"Opptak {SECRET}",
                                                    places_start=timezone.localdate() + datetime.timedelta(days=90))
    offer = Offer.objects.create(case=case, kindergarten=kindergarten, round=admission_round, wish_rank=1,
                                 start_date=admission_round.places_start,
                                 reply_deadline=timezone.localdate() + datetime.timedelta(days=10))
    fee = BuildingFeeFactory(municipality=a, amount=int(FEE))
    # The services a municipality offers are public on its host: no marker in them.
    config = ApplicationTypeConfig.objects.create(municipality=a, type_key="kindergarten")
    letter = Letter.objects.filter(case=case).first()
    batch = PrintBatch.objects.create(municipality=a, reference=f"print-{SECRET}")
    objects = {
        "cases.case": case, "cases.casedocument": document, "cases.informationrequest": request,
        "correspondence.letter": letter, "correspondence.messagethread": thread,
        "correspondence.messageattachment": message_attachment, "correspondence.message": message,
        "applications.application": application, "applications.attachment": app_attachment,
        "applications.applicationtypeconfig": config, "kindergarten.kindergarten": kindergarten,
        "kindergarten.admissionround": admission_round, "kindergarten.offer": offer,
        "building_permit.buildingfee": fee, "notifications.notification": Notification.objects.filter(case=case).first(),
        "notifications.printbatch": batch, "accounts.department": department, "accounts.user": owner,
        "accounts.municipality": a,
    }
    # The archive's rows of the case (its case file and entries, made when the case was), and a
    # deposit package of the municipality's archive.
    from archive.models import ArchiveDeposit, ArchiveMessage, ArchiveRecord

    objects["archive.archiverecord"] = ArchiveRecord.objects.filter(case=case).first()
    objects["archive.archivemessage"] = ArchiveMessage.objects.filter(record__case=case).first()
    objects["archive.archivedeposit"] = ArchiveDeposit.objects.create(
        municipality=a, period_start=timezone.localdate(), period_end=timezone.localdate(), last_error=SECRET)
    objects = {key: obj for key, obj in objects.items() if obj is not None}
    caseworker_b = StaffFactory(departments=list(b.departments.all()))
    admin_b = StaffFactory()
    MunicipalityRole.objects.create(user=admin_b, municipality=b, role=MunicipalityRole.Role.ADMINISTRATOR)
    operator = StaffFactory(is_national_operator=True)
    return {"a": a, "b": b, "objects": objects, "roles": {
        "caseworker of another municipality": caseworker_b, "administrator of another municipality": admin_b,
        "national operator": operator}}


def url_patterns(patterns=None, namespace="", params=()):
    """(qualified name, its parameters) for every named URL of the URL conf, admin sites and API
    included (parameters of the including patterns too)."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            yield from url_patterns(pattern.url_patterns, f"{namespace}{ns}:" if ns else namespace,
                                    (*params, *_params(pattern)))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name, (*params, *_params(pattern))


def _params(pattern) -> list[str]:
    return list(getattr(pattern.pattern, "converters", {}) or pattern.pattern.regex.groupindex)


ADMIN_NAME = re.compile(r"^(?:caseworker|admin):(?P<app>[a-z_]+?)_(?P<model>[a-z]+)_[a-z]+$")
BY_NAME = {  # which of the data municipality's objects a URL's `pk` is, by the URL's name
    "cases:": "cases.case", "api-": "cases.case", "correspondence:letter": "correspondence.letter",
    "correspondence:thread": "correspondence.messagethread", "correspondence:attachment": "correspondence.messageattachment",
    "correspondence:case": "cases.case", "applications:": "applications.application", "kindergarten:": "kindergarten.offer",
}
BY_PARAM = {"case_pk": "cases.case", "request_pk": "cases.informationrequest", "document_pk": "cases.casedocument",
            "document_id": "cases.casedocument", "attachment_pk": "applications.attachment",
            "thread_pk": "correspondence.messagethread"}


def _model_key(name: str) -> str | None:
    match = ADMIN_NAME.match(name)
    if not match:
        return None
    for model in apps.get_models():
        if model._meta.app_label == match["app"] and model._meta.model_name == match["model"]:
            return f"{match['app']}.{match['model']}"
    return None


def _value(name: str, param: str, objects: dict):
    if param in BY_PARAM:
        return objects[BY_PARAM[param]].pk
    if param in ("object_id", "pk", "id"):
        key = _model_key(name) or next((k for prefix, k in BY_NAME.items() if name.startswith(prefix)), "cases.case")
        if name == "caseworker:correspondence_messagethread_attachment" and param == "pk":
            key = "correspondence.messageattachment"
        obj = objects.get(key) or objects["cases.case"]
        return obj.pk
    if param == "app_label":
        match = ADMIN_NAME.match(name)
        if match:
            return match["app"]
        # app_list: an app registered on that site ("kindergarten" is on both).
        return "kindergarten"
    if param in PARAM_VALUES:
        return PARAM_VALUES[param]
    # A parameter this test has never seen (a new URL): the object of the data municipality whose
    # model the name points at ("message_id" on an archive URL: its archive message), else any
    # UUID, so the URL is still requested.
    base = param.removesuffix("_id").removesuffix("_pk")
    app = name.split(":")[-1].split("_")[0]
    candidates = [k for k in objects if k.split(".")[1].endswith(base)]
    key = next((k for k in candidates if k.startswith(app + ".")), candidates[0] if candidates else None)
    return objects[key].pk if key else uuid.uuid4()


def concrete_urls(objects: dict) -> list[tuple[str, str]]:
    urls = []
    for name, params in url_patterns():
        kwargs = {p: _value(name, p, objects) for p in params}
        try:
            urls.append((name, reverse(name, kwargs=kwargs)))
        except NoReverseMatch:
            try:
                urls.append((name, reverse(name, kwargs={k: str(v) if not isinstance(v, uuid.UUID) else v
                                                         for k, v in kwargs.items()})))
            except NoReverseMatch:
                pytest.fail(f"The isolation matrix cannot build a URL for {name!r} {kwargs}: teach _value its parameters")
    return sorted(set(urls))


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _leak(response) -> str | None:
    if response.status_code >= 500:
        return f"{response.status_code}"
    body = _body(response)
    for marker in (SECRET, SURNAME, FEE):
        if marker in body:
            return f"shows {marker!r}"
    if response.status_code == 200 and "attachment" in response.get("Content-Disposition", ""):
        return "hands over a file"
    return None


def _snapshot(objects: dict) -> dict:
    case = Case.objects.get(pk=objects["cases.case"].pk)
    return {
        "case": (case.status, case.version, case.assigned_to_id, case.events.count()),
        "messages": objects["correspondence.messagethread"].messages.count(),
        "letters": Letter.objects.filter(case=case).count(),
        "offer": Offer.objects.get(pk=objects["kindergarten.offer"].pk).status,
        "round": AdmissionRound.objects.get(pk=objects["kindergarten.admissionround"].pk).status,
        "kindergartens": apps.get_model("kindergarten", "Kindergarten").objects.filter(
            municipality=objects["accounts.municipality"]).count(),
        "threads": MessageThread.objects.filter(municipality=objects["accounts.municipality"]).count(),
        "applications": Application.objects.filter(municipality=objects["accounts.municipality"]).count(),
    }


ROLES = ["caseworker of another municipality", "administrator of another municipality", "national operator"]


@pytest.mark.parametrize("role", ROLES)
def test_no_url_leaks_a_municipalitys_data_to_another_municipality_or_the_operator(client, world, capsys, role):
    objects = world["objects"]
    urls = concrete_urls(objects)
    before = _snapshot(objects)
    user = world["roles"][role]
    leaks, requests = [], 0
    client.force_login(user)
    for host in (HOST_A, HOST_B):
        for name, url in urls:
            for method in ("get", "post"):
                if "_auth_user_id" not in client.session:  # a logout URL ended the session
                    client.force_login(user)
                response = getattr(client, method)(url, HTTP_HOST=host)
                requests += 1
                problem = _leak(response)
                if problem:
                    leaks.append(f"{role} on {host}: {method.upper()} {url} ({name}) {problem}")
    with capsys.disabled():
        print(f"\nIsolation matrix, {role}: {len(urls)} URLs x 2 hosts x GET/POST = {requests} requests, "
              f"{len(leaks)} leaks")
    assert leaks == [], "\n".join(leaks)
    assert _snapshot(objects) == before, "a request from another municipality changed the data"
    assert len(urls) > 100  # the URL conf was walked: portal, both admin sites, the API


def test_the_matrix_builds_a_url_for_every_named_pattern(world):
    """A new URL needs no edit here: every named pattern gets a concrete URL (or the test says
    which parameter it cannot fill)."""
    names = {name for name, _params in url_patterns()}
    assert {name for name, _url in concrete_urls(world["objects"])} == names
