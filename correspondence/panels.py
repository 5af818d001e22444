"""What correspondence shows on the citizen's case page (cases.panels): the decision letter,
the case's letters and documents, and the conversation about the case. The thread is also
shown on a letter's page (views.letter_detail)."""

from __future__ import annotations

from django.urls import reverse

from cases.panels import citizen_panel
from cases.selectors import case_latest_decision

from . import selectors, services
from .forms import MessageForm
from .models import MessageThread


@citizen_panel(order=20, position="before_timeline")
def decision_letter(request, case):
    decision = case_latest_decision(case=case)
    if decision is None or decision.letter_id is None:
        return None
    return "correspondence/panels/decision.html", {"decision": decision, "status_text": case.citizen_status}


@citizen_panel(order=50, position="after_timeline")
def letters_and_documents(request, case):
    return "correspondence/panels/documents.html", {
        "letters": list(case.letters.order_by("-created_at")),
        "documents": list(case.documents.order_by("-created_at")),
    }


@citizen_panel(order=60, position="after_timeline")
def case_thread(request, case):
    """The case's conversation with a reply form. Shown to the citizen, so the municipality's
    messages in it are now read (marked before the page renders)."""
    user = request.user
    # The same access rule as the reply view (a letter's page asks too): nothing for a case
    # the user cannot write about.
    if not selectors.case_list_visible_to_citizen(user=user, party=getattr(request, "party", None)).filter(
            pk=case.pk).exists():
        return None
    thread = MessageThread.objects.filter(case=case).first()
    thread_messages = []
    if thread is not None:
        thread_messages = list(selectors.thread_messages(thread=thread))
        if any(m.from_municipality and m.read_at is None for m in thread_messages):
            services.messages_mark_read(thread=thread, by_municipality=False)
    return "correspondence/case_thread.html", {
        "case": case, "thread": thread, "messages": thread_messages, "form": MessageForm(),
        "action": reverse("correspondence:case-message-create", kwargs={"case_pk": case.pk}),
        "next": request.get_full_path(), "prefix": f"case-{case.pk}",
    }
