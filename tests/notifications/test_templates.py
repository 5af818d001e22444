"""E-mail and SMS texts in bokmål, nynorsk and English: the title only, never the content."""

import pytest

from notifications.services import notification_create, notification_render
from tests.factories import CaseFactory, LetterFactory

pytestmark = pytest.mark.django_db

EXPECTED = {
    "nb": ("Nytt brev fra Eksempel kommune", "Du har fått et nytt brev fra Eksempel kommune på Min side: «Vedtak om plass»."),
    "nn": ("Nytt brev frå Eksempel kommune", "Du har fått eit nytt brev frå Eksempel kommune på Min side: «Vedtak om plass»."),
    "en": ("New letter from Eksempel kommune", 'You have a new letter from Eksempel kommune in Min Side: "Vedtak om plass".'),
}


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_letter_notice_in_each_language_carries_the_title_and_never_the_content(citizen, language):
    letter = LetterFactory(recipient=citizen, title="Vedtak om plass",
                           context={"body": "Hemmelig innhold: barnevernsvedtak"})
    notification = notification_create(recipient=citizen, template="letter", letter=letter,
                                       idempotency_key=f"letter-{letter.pk}", language=language)

    rendered = notification_render(notification=notification)

    subject, sentence = EXPECTED[language]
    assert rendered.subject == subject
    assert sentence in rendered.body
    assert "Vedtak om plass" in rendered.sms
    assert "Hemmelig" not in rendered.body + rendered.sms + rendered.subject
    # Plain text: no HTML escaping of the quotes around the title.
    assert "&quot;" not in rendered.body and "&#x27;" not in rendered.body


@pytest.mark.parametrize(("language", "text"), [
    ("nb", "Det er nytt i saken din 2026/42 hos Eksempel kommune."),
    ("nn", "Det er nytt i saka di 2026/42 hos Eksempel kommune."),
    ("en", "There is news in your case 2026/42 at Eksempel kommune."),
])
def test_case_status_notice_in_each_language(citizen, language, text):
    case = CaseFactory(applicant=citizen, case_number="2026/42")
    notification = notification_create(recipient=citizen, template="case_status_changed", case=case,
                                       idempotency_key="case:x:v2", language=language)

    rendered = notification_render(notification=notification)

    assert text in rendered.body
    assert rendered.sms.startswith(text.rstrip("."))
    assert len(rendered.sms) <= 160 * 2  # at most two SMS segments


def test_unknown_template_falls_back_to_a_generic_notice(citizen):
    notification = notification_create(recipient=citizen, template="something_new", idempotency_key="x-1",
                                       language="nn")

    rendered = notification_render(notification=notification)

    assert rendered.subject == "Nytt frå Eksempel kommune på Min side"


def test_message_notice_links_to_the_thread(citizen):
    from tests.factories import MessageThreadFactory

    thread = MessageThreadFactory(citizen=citizen, subject="Spørsmål om plass")
    notification = notification_create(recipient=citizen, template="message", idempotency_key="message-1",
                                       context={"subject": thread.subject, "thread_id": str(thread.pk)}, language="nn")

    rendered = notification_render(notification=notification)

    assert f"/innboks/meldinger/{thread.pk}/" in rendered.body
    assert "Logg inn for å lese meldinga:" in rendered.body
    assert "Spørsmål om plass" not in rendered.body + rendered.sms  # the subject may say too much
