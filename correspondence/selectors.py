"""Reads for correspondence, including who may see what. A letter or thread someone may not
see is simply not in their queryset, so every view answers 404 for it, whoever asks."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from accounts.models import User
from accounts.selectors import Party, organisations_person_may_act_for
from cases.models import Case
from cases.selectors import cases_for_party

from .models import Letter, Message, MessageAttachment, MessageThread


def _represented_organisation_ids(user: User):
    return organisations_person_may_act_for(person=user).values("pk")


def letter_list_visible_to(*, user: User) -> QuerySet[Letter]:
    """The one access rule for letters: the recipient, or a person who represents the letter's
    organisation today. Staff use the caseworker admin, not this."""
    if not user.is_authenticated:
        return Letter.objects.none()
    return Letter.objects.filter(Q(recipient=user) | Q(organisation__in=_represented_organisation_ids(user)))


def thread_list_visible_to(*, user: User) -> QuerySet[MessageThread]:
    """The one access rule for message threads (same as letters)."""
    if not user.is_authenticated:
        return MessageThread.objects.none()
    return MessageThread.objects.filter(Q(citizen=user) | Q(organisation__in=_represented_organisation_ids(user)))


def case_list_visible_to_citizen(*, user: User, party: Party | None = None) -> QuerySet[Case]:
    """Cases a citizen may write about: the cases app's own rule for the citizen's case page
    (the party they act for), so a reply form never reaches a case they can't see."""
    organisation = party.organisation if party is not None and party.person == user else None
    return cases_for_party(user=user, organisation=organisation)


def attachment_get_visible_to(*, user: User, pk) -> MessageAttachment:
    """An attachment of a message in a thread the user may see (else DoesNotExist)."""
    return MessageAttachment.objects.select_related("message").get(
        pk=pk, message__thread__in=thread_list_visible_to(user=user)
    )


def _party_scope(party: Party, *, person_field: str) -> Q:
    # The inbox shows what belongs to the party the person acts for right now: their own post
    # when acting for themselves, the organisation's when acting for it.
    if party.organisation is not None:
        return Q(organisation=party.organisation)
    return Q(**{person_field: party.person}, organisation__isnull=True)


def letter_list_for_party(*, party: Party) -> QuerySet[Letter]:
    return letter_list_visible_to(user=party.person).filter(_party_scope(party, person_field="recipient"))


def thread_list_for_party(*, party: Party) -> QuerySet[MessageThread]:
    return thread_list_visible_to(user=party.person).filter(_party_scope(party, person_field="citizen"))


def inbox_unread_count_for_request(request) -> int:
    """inbox_unread_count for the party of this request, computed once per request: the header
    badge and the home page both show it."""
    if not hasattr(request, "_inbox_unread_count"):
        request._inbox_unread_count = inbox_unread_count(party=request.party)
    return request._inbox_unread_count


def inbox_unread_count(*, party: Party) -> int:
    """Unread letters plus unread messages from the municipality (two COUNT queries)."""
    letters = letter_list_for_party(party=party).filter(read_at__isnull=True).count()
    messages = Message.objects.filter(
        thread__in=thread_list_for_party(party=party), from_municipality=True, read_at__isnull=True
    ).count()
    return letters + messages


@dataclass(frozen=True)
class InboxItem:
    """One row of the inbox: a letter or a conversation (thread), with when and whether unread."""

    kind: str  # "letter" or "thread"
    obj: Letter | MessageThread
    at: object
    unread: bool


class InboxPage:
    """The inbox as one list ordered newest first, built from a UNION of letter and thread ids
    so that pagination and ordering happen in the database. Sliced like a list by Paginator;
    each slice costs one UNION query plus one query per kind."""

    def __init__(self, *, party: Party, case: Case | None = None):
        letters = letter_list_for_party(party=party)
        threads = thread_list_for_party(party=party).filter(last_message_at__isnull=False)
        if case is not None:
            letters, threads = letters.filter(case=case), threads.filter(case=case)
        self._union = (
            # order_by(): no model ordering inside the UNION's parts (SQLite refuses it).
            letters.order_by().annotate(at=F("created_at"), item_kind=Value("letter"))
            .values_list("pk", "at", "item_kind")
            .union(threads.order_by().annotate(at=F("last_message_at"), item_kind=Value("thread"))
                   .values_list("pk", "at", "item_kind"), all=True)
            .order_by("-at", "pk")
        )
        self._count = None

    def count(self) -> int:
        if self._count is None:
            self._count = self._union.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("InboxPage supports slices only")
        rows = list(self._union[index])
        letter_ids = [pk for pk, _at, kind in rows if kind == "letter"]
        thread_ids = [pk for pk, _at, kind in rows if kind == "thread"]
        letters = {}
        if letter_ids:
            letters = {lt.pk: lt for lt in Letter.objects.filter(pk__in=letter_ids).select_related("case")}
        threads = {}
        if thread_ids:
            threads = {
                t.pk: t for t in MessageThread.objects.filter(pk__in=thread_ids).select_related("case").annotate(
                    unread_count=Coalesce(Count("messages", filter=Q(messages__from_municipality=True,
                                                                      messages__read_at__isnull=True)), 0)
                )
            }
        items = []
        for pk, at, kind in rows:
            if kind == "letter" and pk in letters:
                items.append(InboxItem(kind=kind, obj=letters[pk], at=at, unread=letters[pk].read_at is None))
            elif kind == "thread" and pk in threads:
                items.append(InboxItem(kind=kind, obj=threads[pk], at=at, unread=threads[pk].unread_count > 0))
        return items


def inbox_case_choices(*, party: Party) -> QuerySet[Case]:
    """The cases the party has letters or messages on, for the inbox's filter (one query)."""
    return Case.objects.filter(
        Q(pk__in=letter_list_for_party(party=party).filter(case__isnull=False).values("case"))
        | Q(pk__in=thread_list_for_party(party=party).filter(case__isnull=False).values("case"))
    ).order_by("-received_at")


def thread_messages(*, thread: MessageThread) -> QuerySet[Message]:
    """A thread's messages, oldest first, with senders and attachments (three queries)."""
    return thread.messages.select_related("sender").prefetch_related("attachments").order_by("created_at", "pk")
