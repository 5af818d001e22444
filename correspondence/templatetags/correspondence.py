"""{% case_thread_context case as ct %}: what correspondence/case_thread.html needs, so the
cases app can include the thread with nothing but the case."""

from django import template
from django.urls import reverse

from .. import selectors, services
from ..forms import MessageForm
from ..models import MessageThread

register = template.Library()


@register.simple_tag(takes_context=True)
def case_thread_context(context, case):
    request = context.get("request")
    user = getattr(request, "user", None)
    if case is None or user is None or not user.is_authenticated:
        return None
    # The same access rule as the reply view: nothing is shown for a case the user can't see.
    party = getattr(request, "party", None)
    if not selectors.case_list_visible_to_citizen(user=user, party=party).filter(pk=case.pk).exists():
        return None
    thread = MessageThread.objects.filter(case=case).first()
    thread_messages = []
    if thread is not None:
        thread_messages = list(selectors.thread_messages(thread=thread))
        # Shown to the citizen on their case page: the municipality's messages are now read.
        if any(m.from_municipality and m.read_at is None for m in thread_messages):
            services.messages_mark_read(thread=thread, by_municipality=False)
    return {
        "thread": thread,
        "messages": thread_messages,
        "form": MessageForm(),
        "action": reverse("correspondence:case-message-create", kwargs={"case_pk": case.pk}),
        "next": request.get_full_path(),
        "prefix": f"case-{case.pk}",
    }
