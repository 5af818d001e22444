"""The managers' statistics page on the caseworker site (/saksbehandling/statistikk/) and a
CSV download of each of its tables. Thin: the form parses the period, the selectors count."""

from __future__ import annotations

import csv

from django.conf import settings
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import formats
from django.utils.translation import gettext as _

from . import selectors
from .forms import PeriodForm


def admin_urls(site) -> list:
    """The URLs this app adds to the caseworker admin site (registered in insights/admin.py)."""
    return [
        path("statistikk/", site.admin_view(lambda request: statistics_page(request, site)), name="insights_statistics"),
        path("statistikk/<slug:table>.csv", site.admin_view(lambda request, table: statistics_csv(request, table)),
             name="insights_statistics_csv"),
    ]


def _period_form(request) -> PeriodForm:
    start, end = selectors.default_period()
    data = {"start": start.isoformat(), "end": end.isoformat(), "department": ""}
    data.update({k: request.GET[k] for k in data if k in request.GET})
    return PeriodForm(data, departments=selectors.departments_for_viewer(user=request.user))


def _scope(request, form: PeriodForm) -> selectors.Scope:
    department = form.cleaned_data["department"]
    return selectors.scope_for(user=request.user, start=form.cleaned_data["start"], end=form.cleaned_data["end"],
                               departments=[department] if department else None)


def statistics_page(request, site):
    form = _period_form(request)
    stats = selectors.statistics_for(scope=_scope(request, form)) if form.is_valid() else None
    comparison = None
    if stats is not None and request.municipality is not None:
        comparison = selectors.comparison_for(municipality_id=request.municipality.pk,
                                              start=form.cleaned_data["start"], end=form.cleaned_data["end"])
    context = {
        **site.each_context(request),
        "title": _("Statistics: the gains of going digital"),
        "form": form,
        "stats": stats,
        "comparison": comparison,
        "query": request.GET.urlencode(),
        "channels": _channel_rows(stats.letters) if stats else [],
        "monthly_titles": [selectors.type_title(k) for k in stats.monthly.types] if stats else [],
        "abandoned_after_days": settings.INSIGHTS_DRAFT_ABANDONED_AFTER_DAYS,
    }
    return TemplateResponse(request, "insights/statistics.html", context, status=200 if stats else 400)


def _channel_labels() -> dict[str, str]:
    return {
        selectors.CHANNEL_DIGITAL_MAILBOX: _("Digital mailbox"),
        selectors.CHANNEL_MIN_SIDE: _("Min Side with a notice"),
        selectors.CHANNEL_PAPER: _("Paper"),
        selectors.CHANNEL_PENDING: _("Not delivered yet"),
    }


def _channel_rows(letters: selectors.LetterChannels) -> list[tuple[str, int]]:
    labels = _channel_labels()
    return [(labels[key], letters.counts.get(key, 0)) for key in selectors.CHANNELS]


# --- CSV ---------------------------------------------------------------------------------------

def _num(value, decimals: int = 1) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True)


def _pct(value) -> str:
    return "" if value is None else _num(value * 100, 1)


def _csv_monthly(scope):
    table = selectors.applications_per_month(scope=scope)
    yield [_("Month")] + [selectors.type_title(k) for k in table.types] + [_("Total")]
    for month, values, total in table.rows:
        yield [month.strftime("%Y-%m")] + values + [total]
    yield [_("Total")] + table.totals + [table.total]


def _csv_share(scope):
    yield [_("Application type"), _("Digital (Min Side)"), _("Paper (estimate)"), _("Digital share (%)")]
    for row in selectors.digital_share(scope=scope):
        yield [row.title, row.digital, _num(row.paper_estimate), _pct(row.share)]


def _csv_processing(scope):
    yield [_("Application type"), _("Cases decided"), _("Median (days)"), _("90th percentile (days)"),
           _("With a deadline"), _("Decided within the deadline"), _("Within the deadline (%)")]
    for row in selectors.processing_times(scope=scope):
        yield [row.title, row.decided, _num(row.median_days), _num(row.p90_days), row.with_deadline,
               row.within_deadline, _pct(row.within_share)]


def _csv_open(scope):
    yield [_("Application type"), _("Open now"), _("Overdue now")]
    for row in selectors.open_cases(scope=scope):
        yield [row.title, row.open, row.overdue]


def _csv_letters(scope):
    letters = selectors.letters_by_channel(scope=scope)
    yield [_("Delivery channel"), _("Letters")]
    yield from ([label, n] for label, n in _channel_rows(letters))
    yield [_("Total"), letters.total]
    yield [_("Estimated savings (NOK)"), _num(letters.savings, 0)]


def _csv_drafts(scope):
    yield [_("Application type"), _("Started"), _("Submitted"), _("Abandoned"), _("In progress"),
           _("Completion rate (%)")]
    for row in selectors.drafts_completion(scope=scope):
        yield [row.title, row.started, row.submitted, row.abandoned, row.in_progress, _pct(row.completion_rate)]


CSV_TABLES = {"soknader-per-maned": _csv_monthly, "digital-andel": _csv_share, "behandlingstid": _csv_processing,
              "apne-saker": _csv_open, "brev": _csv_letters, "utkast": _csv_drafts}


def statistics_csv(request, table: str):
    """One table as CSV (semicolon-separated, decimal comma in Norwegian: what a spreadsheet
    here opens as it is). Counts only, no personal data."""
    if table not in CSV_TABLES:
        raise Http404
    form = _period_form(request)
    if not form.is_valid():
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    scope = _scope(request, form)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="statistikk-{table}-{scope.start}-{scope.end}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerows(CSV_TABLES[table](scope))
    return response
