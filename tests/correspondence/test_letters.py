"""letter_create(): the letter and its outbox row in one transaction, PDF rendering only after
commit; letter_render_pdf(): idempotent, archival PDF/A, in the letter's language."""

import io

import pytest
from django.db import transaction
from pypdf import PdfReader

from correspondence import services, tasks
from correspondence.models import Letter
from notifications.models import Notification
from tests.correspondence.conftest import pdf_text
from tests.factories import LetterFactory

pytestmark = pytest.mark.django_db


def _send(citizen, case=None, **kwargs):
    return services.letter_create(
        recipient=citizen, kind=kwargs.pop("kind", Letter.Kind.DECISION), title=kwargs.pop("title", "Vedtak om barnehageplass"),
        template="correspondence/pdf/general.html", context={"body": "Du har fått plass i Solsiden barnehage."},
        case=case, **kwargs,
    )


def test_letter_create_writes_the_outbox_row_in_the_same_transaction_and_renders_only_after_commit(
        citizen, case, django_capture_on_commit_callbacks, monkeypatch):
    enqueued = []
    monkeypatch.setattr(tasks.letter_render_pdf_task, "apply_async", lambda args, **kw: enqueued.append(args[0]))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        letter = _send(citizen, case)
        # Inside the transaction: the outbox row exists, nothing has been enqueued.
        notification = Notification.objects.get(letter=letter)
        assert enqueued == []

    assert notification.idempotency_key == f"letter-{letter.pk}"
    assert notification.template == "letter"
    assert notification.recipient == citizen
    assert notification.case == case
    assert notification.status == Notification.Status.CREATED
    # The notifications app adds its own after-commit delivery; ours is the render.
    ours = [c for c in callbacks if c.__qualname__.startswith("letter_create")]
    assert len(ours) == 1
    ours[0]()
    assert enqueued == [str(letter.pk)]


def test_a_rolled_back_transaction_leaves_no_letter_no_notification_and_enqueues_nothing(citizen, monkeypatch):
    enqueued = []
    monkeypatch.setattr(tasks.letter_render_pdf_task, "apply_async", lambda args, **kw: enqueued.append(args[0]))

    with pytest.raises(RuntimeError), transaction.atomic():
        _send(citizen)
        raise RuntimeError("the caller's transaction fails after the letter")

    assert not Letter.objects.exists()
    assert not Notification.objects.exists()
    assert enqueued == []


def test_a_broker_that_is_down_at_commit_does_not_fail_the_caller(citizen, django_capture_on_commit_callbacks, monkeypatch):
    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is not answering")
    monkeypatch.setattr(tasks.letter_render_pdf_task, "apply_async", broker_down)

    with django_capture_on_commit_callbacks(execute=True):
        letter = _send(citizen)

    letter.refresh_from_db()
    assert not letter.pdf  # left for the sweeper
    assert Notification.objects.filter(letter=letter).count() == 1


def test_letter_create_refuses_an_unknown_kind(citizen):
    with pytest.raises(ValueError, match="kind"):
        _send(citizen, kind="love_letter")
    assert not Letter.objects.exists()


def test_letter_on_an_organisations_case_belongs_to_the_organisation(make_case, organisation_with_rep):
    organisation, rep = organisation_with_rep
    case = make_case(applicant=rep, organisation=organisation)
    letter = _send(rep, case)
    assert letter.organisation == organisation


def test_letter_language_follows_the_recipient(citizen):
    citizen.preferred_language = "nn"
    citizen.save()
    assert _send(citizen).language == "nn"


def test_rendered_pdf_holds_the_letter_text_and_is_pdf_a_3b(citizen, case):
    letter = _send(citizen, case, language="nb")

    services.letter_render_pdf(letter=letter)

    letter.refresh_from_db()
    content = letter.pdf.read()
    text = pdf_text(content)
    assert "Vedtak om barnehageplass" in text
    assert "Du har fått plass i Solsiden barnehage." in text
    assert case.case_number in text
    assert citizen.get_full_name() in text
    xmp = PdfReader(io.BytesIO(content)).xmp_metadata
    assert (xmp.pdfaid_part, xmp.pdfaid_conformance) == ("3", "B")


@pytest.mark.parametrize(("language", "expected"), [
    ("nb", "Du kan lese og svare på meldinger om sak"),
    ("nn", "Du kan lese og svare på meldingar om sak"),
    ("en", "You can read and answer messages about case"),
])
def test_letter_template_is_rendered_in_the_letters_language(citizen, case, language, expected):
    letter = _send(citizen, case, language=language)
    services.letter_render_pdf(letter=letter)
    letter.refresh_from_db()
    assert expected in " ".join(pdf_text(letter.pdf.read()).split())


def test_render_is_idempotent(citizen, monkeypatch):
    letter = LetterFactory(recipient=citizen)
    services.letter_render_pdf(letter=letter)
    letter.refresh_from_db()
    first_name = letter.pdf.name

    def must_not_render(**kwargs):
        raise AssertionError("rendered twice")
    monkeypatch.setattr(services, "render_pdf", must_not_render)
    services.letter_render_pdf(letter=Letter.objects.get(pk=letter.pk))
    tasks.letter_render_pdf_task(str(letter.pk))

    letter.refresh_from_db()
    assert letter.pdf.name == first_name


def test_render_task_for_a_missing_letter_does_nothing(db):
    tasks.letter_render_pdf_task("00000000-0000-0000-0000-000000000000")


def test_sweeper_requeues_only_old_letters_without_pdf(citizen, monkeypatch):
    import datetime

    from django.utils import timezone

    old = LetterFactory(recipient=citizen)
    Letter.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=30))
    LetterFactory(recipient=citizen)  # just created: its own task is still on the way
    enqueued = []
    monkeypatch.setattr(tasks.letter_render_pdf_task, "delay", lambda letter_id: enqueued.append(letter_id))

    assert tasks.periodic_render_missing_pdfs() == 1
    assert enqueued == [str(old.pk)]
