"""The citizen's inbox, letters, PDFs and message threads. Thin: selectors decide what the
user may see (a miss is a 404), services do the writes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.selectors import Party
from core.storage import stored_file_response
from core.uploads import upload_download_response

from . import selectors, services
from .forms import MessageForm
from .panels import case_thread

INBOX_PAGE_SIZE = 20


def _party(request) -> Party:
    return request.party or Party(person=request.user)


@never_cache  # personal data: never kept by a shared cache or the browser
@login_required
def inbox(request):
    """Letters and conversations, newest first, unread marked, optionally for one case."""
    party = _party(request)
    case_choices = list(selectors.inbox_case_choices(party=party))
    case = None
    case_param = request.GET.get("case", "")
    if case_param:
        case = next((c for c in case_choices if str(c.pk) == case_param), None)
    paginator = Paginator(selectors.InboxPage(party=party, case=case), INBOX_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "correspondence/inbox.html", {
        "page": page, "items": page.object_list, "case_choices": case_choices, "selected_case": case,
        "case_param": str(case.pk) if case else "",
    })


def _letter_for(request, pk):
    return get_object_or_404(
        selectors.letter_list_visible_to(user=request.user).select_related("case", "organisation", "read_by"), pk=pk
    )


@never_cache
@login_required
def letter_detail(request, pk):
    letter = _letter_for(request, pk)
    services.letter_mark_read(letter=letter, by=request.user)
    thread = case_thread(request, letter.case) if letter.case_id else None
    return render(request, "correspondence/letter_detail.html", {"letter": letter,
                                                                 "thread_panel": thread[1] if thread else None})


@never_cache
@login_required
def letter_pdf(request, pk):
    """The letter's PDF as a download, for the recipient or their organisation's representatives."""
    letter = _letter_for(request, pk)
    if not letter.pdf:
        # The render task has not run yet (queue busy, broker was down): render it now rather
        # than fail. Idempotent, and no transaction is open here.
        services.letter_render_pdf(letter=letter)
        letter.refresh_from_db(fields=["pdf"])
    services.letter_mark_read(letter=letter, by=request.user)
    filename = f"{letter.get_kind_display()} {letter.sent_at:%Y-%m-%d}.pdf" if letter.sent_at else "letter.pdf"
    return stored_file_response(name=letter.pdf.name, filename=filename, content_type="application/pdf")


def _thread_for(request, pk):
    return get_object_or_404(selectors.thread_list_visible_to(user=request.user).select_related("case"), pk=pk)


def _save_message(request, *, thread, form) -> bool:
    if not form.is_valid():
        return False
    try:
        services.message_create(thread=thread, sender=request.user, body=form.cleaned_data["body"],
                                from_municipality=False, attachments=form.cleaned_data["attachments"])
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            for e in errors:
                form.add_error(field if field in form.fields else None, e)
        return False
    messages.success(request, _("Your message has been sent."))
    return True


@never_cache
@login_required
def thread_detail(request, pk):
    """A conversation and its reply form. Reading it marks the municipality's messages read."""
    thread = _thread_for(request, pk)
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if _save_message(request, thread=thread, form=form):
            return redirect("correspondence:thread-detail", pk=thread.pk)
    else:
        services.messages_mark_read(thread=thread, by_municipality=False)
    return render(request, "correspondence/thread_detail.html", {
        "thread": thread, "thread_messages": selectors.thread_messages(thread=thread), "form": form,
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def case_message_create(request, case_pk):
    """The reply form on the citizen's case page (correspondence/case_thread.html) posts here."""
    case = get_object_or_404(selectors.case_list_visible_to_citizen(user=request.user, party=_party(request)),
                             pk=case_pk)
    thread = services.thread_get_or_create_for_case(case=case)
    form = MessageForm(request.POST, request.FILES)
    if _save_message(request, thread=thread, form=form):
        next_url = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
            return redirect(next_url)
        return redirect("correspondence:thread-detail", pk=thread.pk)
    # Show the errors on the thread page, which holds the same form.
    return render(request, "correspondence/thread_detail.html", {
        "thread": thread, "thread_messages": selectors.thread_messages(thread=thread), "form": form,
    }, status=400)


@login_required
def contact(request):
    """Contact the municipality: the citizen's general thread."""
    thread = None
    if request.user.is_citizen:
        thread = services.thread_get_or_create_general(citizen=request.user, municipality=request.municipality)
    if thread is None:
        raise Http404
    return redirect("correspondence:thread-detail", pk=thread.pk)


@never_cache
@login_required
def attachment_download(request, pk):
    try:
        attachment = selectors.attachment_get_visible_to(user=request.user, pk=pk)
    except selectors.MessageAttachment.DoesNotExist:
        raise Http404
    return upload_download_response(stored_name=attachment.file.name, original_name=attachment.original_name,
                                    content_type=attachment.content_type)
