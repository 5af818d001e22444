"""The inbox: newest first, unread marked and counted in the header, filter by case,
paginated, flat query count; opening marks read."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from correspondence import services
from correspondence.models import Letter
from tests.factories import LetterFactory, MessageFactory, MessageThreadFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _letters(citizen, n, **kwargs):
    now = timezone.now()
    letters = [LetterFactory(recipient=citizen, **kwargs) for _ in range(n)]
    # Distinct times, oldest first.
    for i, letter in enumerate(letters):
        Letter.objects.filter(pk=letter.pk).update(created_at=now - datetime.timedelta(minutes=n - i))
    return letters


def _titles(html: str) -> list[str]:
    return re.findall(r'href="/innboks/(?:brev|meldinger)/[^"]+/">(?:<span class="ds-sr-only">[^<]*</span>)?([^<]+)</a>', html)


def test_inbox_lists_letters_and_conversations_newest_first_with_unread_marked(client, citizen):
    old, new = _letters(citizen, 2)
    thread = MessageThreadFactory(citizen=citizen, subject="Spørsmål om SFO")
    MessageFactory(thread=thread, from_municipality=True, sender=StaffFactory())
    services.letter_mark_read(letter=old, by=citizen)
    client.force_login(citizen)

    html = client.get(reverse("correspondence:inbox")).content.decode()

    assert _titles(html) == ["Spørsmål om SFO", new.title, old.title]
    assert html.count('class="ds-card inbox-item inbox-item--unread"') == 2


def test_header_counts_unread_letters_and_messages(client, citizen):
    _letters(citizen, 2)
    thread = MessageThreadFactory(citizen=citizen)
    MessageFactory(thread=thread, from_municipality=True, sender=StaffFactory())
    MessageFactory(thread=thread, from_municipality=False)  # the citizen's own: not unread for them
    client.force_login(citizen)

    response = client.get(reverse("correspondence:inbox"))

    assert response.context["inbox_unread"] == 3
    html = response.content.decode()
    assert 'data-count="3"' in html
    assert "(3 uleste)" in html  # for screen readers


def test_opening_a_letter_marks_it_read_once_and_records_who(client, citizen):
    (letter,) = _letters(citizen, 1)
    client.force_login(citizen)

    client.get(reverse("correspondence:letter-detail", args=[letter.pk]))
    letter.refresh_from_db()
    first_read = letter.read_at
    client.get(reverse("correspondence:letter-detail", args=[letter.pk]))
    letter.refresh_from_db()

    assert first_read is not None
    assert letter.read_at == first_read
    assert letter.read_by == citizen
    assert client.get(reverse("correspondence:inbox")).context["inbox_unread"] == 0


def test_opening_a_thread_marks_the_municipalitys_messages_read(client, citizen):
    thread = MessageThreadFactory(citizen=citizen)
    staff_message = MessageFactory(thread=thread, from_municipality=True, sender=StaffFactory())
    own = MessageFactory(thread=thread, from_municipality=False)
    client.force_login(citizen)

    client.get(reverse("correspondence:thread-detail", args=[thread.pk]))

    staff_message.refresh_from_db()
    own.refresh_from_db()
    assert staff_message.read_at is not None
    assert own.read_at is None  # only the caseworker reading it marks it


def test_filter_by_case(client, citizen, make_case):
    case_a, case_b = make_case(applicant=citizen, title="A"), make_case(applicant=citizen, title="B")
    on_a = LetterFactory(recipient=citizen, case=case_a, title="Brev om A")
    LetterFactory(recipient=citizen, case=case_b, title="Brev om B")
    client.force_login(citizen)

    response = client.get(reverse("correspondence:inbox"), {"case": str(case_a.pk)})

    assert _titles(response.content.decode()) == [on_a.title]
    assert {c.pk for c in response.context["case_choices"]} == {case_a.pk, case_b.pk}


def test_filter_by_someone_elses_case_shows_nothing_of_it(client, citizen, other_citizen, make_case):
    their_case = make_case(applicant=other_citizen)
    LetterFactory(recipient=other_citizen, case=their_case, title="Ikke ditt")
    mine = LetterFactory(recipient=citizen)
    client.force_login(citizen)

    html = client.get(reverse("correspondence:inbox"), {"case": str(their_case.pk)}).content.decode()

    assert "Ikke ditt" not in html
    assert _titles(html) == [mine.title]  # an unknown case is ignored, not an error


def test_inbox_is_paginated(client, citizen):
    letters = _letters(citizen, 25)
    client.force_login(citizen)

    first = client.get(reverse("correspondence:inbox"))
    second = client.get(reverse("correspondence:inbox"), {"page": 2})

    assert _titles(first.content.decode()) == [lt.title for lt in reversed(letters)][:20]
    assert _titles(second.content.decode()) == [lt.title for lt in reversed(letters)][20:]


def test_organisation_mail_shows_when_acting_for_it(client, organisation_with_rep, citizen):
    from accounts.services import ACTING_FOR_SESSION_KEY

    organisation, rep = organisation_with_rep
    org_letter = LetterFactory(recipient=citizen, organisation=organisation, title="Til firmaet")
    own_letter = LetterFactory(recipient=rep, title="Til deg")
    client.force_login(rep)

    assert _titles(client.get(reverse("correspondence:inbox")).content.decode()) == [own_letter.title]
    session = client.session
    session[ACTING_FOR_SESSION_KEY] = str(organisation.pk)
    session.save()
    assert _titles(client.get(reverse("correspondence:inbox")).content.decode()) == [org_letter.title]


def _inbox_queries(client, django_assert_max_num_queries, expected):
    with django_assert_max_num_queries(expected):
        response = client.get(reverse("correspondence:inbox"))
    assert response.status_code == 200


def test_inbox_query_count_stays_flat_as_letters_grow(client, citizen, make_case, django_assert_max_num_queries):
    client.force_login(citizen)
    case = make_case(applicant=citizen)
    thread = MessageThreadFactory(citizen=citizen, case=case)
    MessageFactory(thread=thread)
    _letters(citizen, 3, case=case)
    # 1 session, 2 user, 3 case filter choices, 4 UNION count, 5 UNION page, 6 letters of the
    # page, 7 threads of the page (with unread counts), 8-9 header's unread letters/messages,
    # 10 base layout's representations check, 11-13 session save (SESSION_SAVE_EVERY_REQUEST)
    _inbox_queries(client, django_assert_max_num_queries, 13)
    _letters(citizen, 40, case=case)
    MessageFactory(thread=MessageThreadFactory(citizen=citizen))
    _inbox_queries(client, django_assert_max_num_queries, 13)


def test_inbox_in_nynorsk(client, citizen):
    LetterFactory(recipient=citizen)
    client.force_login(citizen)
    client.cookies["django_language"] = "nn"
    html = client.get(reverse("correspondence:inbox")).content.decode()
    assert "Brev og meldingar frå kommunen" in html
    assert "Ulese" in html


def test_inbox_in_bokmal_by_default_and_english(client, citizen):
    client.force_login(citizen)
    assert "Du har ingen brev eller meldinger ennå." in client.get(reverse("correspondence:inbox")).content.decode()
    client.cookies["django_language"] = "en"
    assert "You have no letters or messages yet." in client.get(reverse("correspondence:inbox")).content.decode()
