"""The managers' figures: what going digital gains. Reads only, all aggregates in the database
(a fixed number of queries whatever the number of cases, letters or drafts).

Scope: a `Scope` names the departments whose figures the viewer may see (superusers: all,
including letters that belong to no case) and the period [start, end] in local dates.
No figure names a person: the tables hold counts, shares and durations only.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models import Case as CaseWhen
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts import tenancy
from accounts.models import Department, User
from applications.models import Application, ApplicationTypeConfig
from applications.types import all_types, get_type
from cases.models import Case
from cases.selectors import OPEN_STATUSES, overdue_q
from correspondence.models import Letter
from notifications.models import Notification

from .models import AbandonedDraft

# The outbox template of a letter's own delivery (notifications.services.LETTER).
LETTER_TEMPLATE = "letter"


@dataclass(frozen=True)
class Scope:
    """Whose figures, for which period. `department_ids` None means every department (and
    letters without a case): superusers only."""

    start: datetime.date
    end: datetime.date  # inclusive
    department_ids: tuple[int, ...] | None

    @property
    def start_at(self) -> datetime.datetime:
        return _local_midnight(self.start)

    @property
    def end_at(self) -> datetime.datetime:
        """Exclusive: midnight after the last day."""
        return _local_midnight(self.end + datetime.timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The last 12 months: from the first day of the month eleven months ago to today."""
    today = today or timezone.localdate()
    month_index = today.year * 12 + today.month - 1 - 11
    return datetime.date(month_index // 12, month_index % 12 + 1, 1), today


def departments_for_viewer(*, user: User) -> QuerySet[Department]:
    """The departments whose figures this member of staff may see: their own; superusers all."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return Department.objects.none()
    if user.is_superuser:
        return Department.objects.all()
    return user.departments.all()


def scope_for(*, user: User, start: datetime.date, end: datetime.date,
              departments: list[Department] | None = None) -> Scope:
    """The scope for a viewer. `departments` narrows it to some of the viewer's departments
    (ignored when not theirs: a miss is never widened)."""
    allowed = list(departments_for_viewer(user=user))
    allowed_ids = {d.pk for d in allowed}
    if departments:
        ids = tuple(sorted(d.pk for d in departments if d.pk in allowed_ids))
        return Scope(start=start, end=end, department_ids=ids)
    if user.is_superuser:
        return Scope(start=start, end=end, department_ids=None)
    return Scope(start=start, end=end, department_ids=tuple(sorted(allowed_ids)))


def _cases(scope: Scope) -> QuerySet[Case]:
    qs = Case.objects.order_by()
    if scope.department_ids is not None:
        qs = qs.filter(department_id__in=scope.department_ids)
    return qs


def type_title(key: str) -> str:
    app_type = get_type(key)
    return str(app_type.title) if app_type else key


# --- Applications submitted per month and type -------------------------------------------------

@dataclass
class MonthlyTable:
    types: list[str]  # type keys, in column order
    rows: list[tuple[datetime.date, list[int], int]]  # (first day of month, per type, total)
    totals: list[int]
    total: int


def months_in(scope: Scope) -> list[datetime.date]:
    months, day = [], scope.start.replace(day=1)
    while day <= scope.end:
        months.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return months


def applications_per_month(*, scope: Scope) -> MonthlyTable:
    """Cases received (applications submitted in Min Side) per calendar month and type."""
    counts: dict[tuple[datetime.date, str], int] = {}
    rows = (_cases(scope).filter(received_at__gte=scope.start_at, received_at__lt=scope.end_at)
            .annotate(month=TruncMonth("received_at")).values("month", "application_type")
            .annotate(n=Count("pk")).order_by())
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        counts[(month.replace(day=1), row["application_type"])] = row["n"]
    types = _type_keys({key for _, key in counts})
    table_rows = []
    for month in months_in(scope):
        values = [counts.get((month, key), 0) for key in types]
        table_rows.append((month, values, sum(values)))
    totals = [sum(r[1][i] for r in table_rows) for i in range(len(types))]
    return MonthlyTable(types=types, rows=table_rows, totals=totals, total=sum(totals))


def _type_keys(seen: set[str]) -> list[str]:
    """Known types in their registry order, then any other key found in the data."""
    known = [t.key for t in all_types()]
    return [k for k in known if k in seen] + sorted(seen - set(known))


# --- Digital share against the paper baseline ------------------------------------------------

@dataclass
class ShareRow:
    type_key: str
    title: str
    digital: int
    paper_estimate: int | None  # None: no baseline set for this type
    share: float | None  # digital / (digital + paper), 0..1


def digital_share(*, scope: Scope, monthly: MonthlyTable | None = None) -> list[ShareRow]:
    """Per type: applications received in Min Side in the period, against the paper applications
    the municipality still receives outside Min Side (INSIGHTS_PAPER_APPLICATIONS_PER_YEAR, per
    type per year, over each type's own estimate; prorated to the period's length)."""
    monthly = monthly or applications_per_month(scope=scope)
    baseline = paper_applications_per_year()
    keys = list(monthly.types) + [k for k in baseline if k not in monthly.types and _type_in_scope(k, scope)]
    digital = dict(zip(monthly.types, monthly.totals, strict=True))
    result = []
    for key in keys:
        n = digital.get(key, 0)
        per_year = baseline.get(key)
        paper = round(per_year * scope.days / 365) if per_year is not None else None
        share = (n / (n + paper) if n + paper else None) if paper is not None else None
        result.append(ShareRow(type_key=key, title=type_title(key), digital=n, paper_estimate=paper, share=share))
    return result


def paper_applications_per_year() -> dict[str, int]:
    """The estimate per type of the municipality being looked at (its services' settings,
    ApplicationTypeConfig.paper_applications_per_year), else the installation's setting, else the
    type's own (CaseType)."""
    estimates = {t.key: t.paper_applications_per_year for t in all_types() if t.paper_applications_per_year}
    own = {key: n for key, n in ApplicationTypeConfig.objects.filter(paper_applications_per_year__isnull=False)
           .values_list("type_key", "paper_applications_per_year")}
    return {**estimates, **settings.INSIGHTS_PAPER_APPLICATIONS_PER_YEAR, **own}


def _type_in_scope(key: str, scope: Scope) -> bool:
    if scope.department_ids is None:
        return True
    app_type = get_type(key)
    return bool(app_type and app_type.department_code in scope_department_codes(scope))


def scope_department_codes(scope: Scope) -> set[str]:
    """The codes of the scope's departments (one query per scope, remembered on it)."""
    if scope.department_ids is None:
        return set()
    cached = getattr(scope, "_codes", None)
    if cached is None:
        cached = set(Department.objects.filter(pk__in=scope.department_ids).values_list("code", flat=True))
        object.__setattr__(scope, "_codes", cached)
    return cached


# --- Processing time ----------------------------------------------------------------------------

@dataclass
class ProcessingRow:
    type_key: str
    title: str
    decided: int
    median_days: float | None
    p90_days: float | None
    with_deadline: int
    within_deadline: int

    @property
    def within_share(self) -> float | None:
        return self.within_deadline / self.with_deadline if self.with_deadline else None


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)."""

    function = "PERCENTILE_CONT"
    name = "PercentileCont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    allow_distinct = False

    def __init__(self, expression, *, fraction: float, **extra):
        super().__init__(expression, fraction=repr(float(fraction)), output_field=DurationField(), **extra)


def percentile(values: list[float], fraction: float) -> float | None:
    """Linear interpolation between the closest ranks: the same as PostgreSQL's
    percentile_cont, so both databases give the same figures."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def _days(value: datetime.timedelta | None) -> float | None:
    return None if value is None else value.total_seconds() / 86400


def processing_times(*, scope: Scope, portable: bool = False) -> list[ProcessingRow]:
    """Cases decided in the period, per type: the median and 90th percentile of the days from
    received to decided, and how many were decided on or before their processing deadline
    (cases without a deadline are left out of that share). On PostgreSQL the percentiles are
    computed in the database; elsewhere (or with `portable`) in Python from the durations."""
    decided = _cases(scope).filter(decided_at__isnull=False, decided_at__gte=scope.start_at,
                                   decided_at__lt=scope.end_at)
    duration = ExpressionWrapper(F("decided_at") - F("received_at"), output_field=DurationField())
    counts = dict(
        decided=Count("pk"),
        with_deadline=Count("pk", filter=Q(deadline__isnull=False)),
        within_deadline=Count("pk", filter=Q(deadline__isnull=False, decided_at__date__lte=F("deadline"))),
    )
    rows: dict[str, dict] = {}
    if connection.vendor == "postgresql" and not portable:
        for row in decided.values("application_type").annotate(
                **counts, median=PercentileCont(duration, fraction=0.5),
                p90=PercentileCont(duration, fraction=0.9)).order_by():
            rows[row["application_type"]] = {**row, "median": _days(row["median"]), "p90": _days(row["p90"])}
    else:
        # Portable fallback: one more query, the durations of the period's decided cases.
        for row in decided.values("application_type").annotate(**counts).order_by():
            rows[row["application_type"]] = row
        durations: dict[str, list[float]] = defaultdict(list)
        for key, received, decided_at in decided.values_list("application_type", "received_at", "decided_at"):
            durations[key].append(_days(decided_at - received))
        for key, row in rows.items():
            row["median"] = percentile(durations[key], 0.5)
            row["p90"] = percentile(durations[key], 0.9)
    return [
        ProcessingRow(type_key=key, title=type_title(key), decided=rows[key]["decided"],
                      median_days=rows[key]["median"], p90_days=rows[key]["p90"],
                      with_deadline=rows[key]["with_deadline"], within_deadline=rows[key]["within_deadline"])
        for key in _type_keys(set(rows))
    ]


# --- Open and overdue now ---------------------------------------------------------------------

@dataclass
class OpenRow:
    type_key: str
    title: str
    open: int
    overdue: int


def open_cases(*, scope: Scope, today: datetime.date | None = None) -> list[OpenRow]:
    """Cases open now (any period) per type, and how many are past their processing deadline
    (a deadline paused while waiting for the citizen does not count as overdue)."""
    today = today or timezone.localdate()
    rows = {r["application_type"]: r for r in _cases(scope).filter(status__in=OPEN_STATUSES)
            .values("application_type").annotate(open=Count("pk"), overdue=Count("pk", filter=overdue_q(today)))
            .order_by()}
    return [OpenRow(type_key=k, title=type_title(k), open=rows[k]["open"], overdue=rows[k]["overdue"])
            for k in _type_keys(set(rows))]


# --- Letters by delivery channel -----------------------------------------------------------------

CHANNEL_DIGITAL_MAILBOX = "digital_mailbox"
CHANNEL_MIN_SIDE = "min_side"
CHANNEL_PAPER = "paper"
CHANNEL_PENDING = "pending"
CHANNELS = (CHANNEL_DIGITAL_MAILBOX, CHANNEL_MIN_SIDE, CHANNEL_PAPER, CHANNEL_PENDING)


@dataclass
class LetterChannels:
    counts: dict[str, int] = field(default_factory=dict)
    cost_per_paper_letter: Decimal = Decimal(0)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def digital(self) -> int:
        return self.counts.get(CHANNEL_DIGITAL_MAILBOX, 0) + self.counts.get(CHANNEL_MIN_SIDE, 0)

    @property
    def delivered(self) -> int:
        return self.total - self.counts.get(CHANNEL_PENDING, 0)

    @property
    def digital_share(self) -> float | None:
        return self.digital / self.delivered if self.delivered else None

    @property
    def savings(self) -> Decimal:
        """Postage and printing avoided: every letter delivered digitally is one not printed."""
        return self.cost_per_paper_letter * self.digital


def letters_by_channel(*, scope: Scope) -> LetterChannels:
    """Letters sent in the period by how they reached the citizen, from the outbox rows of each
    letter's delivery: paper (any row to print), digital mailbox, Min Side (the letter is kept
    in Min Side and the citizen is told by e-mail/SMS, or by the notice that named it), or not
    delivered yet (still waiting for routing or retries). One letter counts once."""
    letters = Letter.objects.order_by().filter(created_at__gte=scope.start_at, created_at__lt=scope.end_at)
    if scope.department_ids is not None:
        letters = letters.filter(case__department_id__in=scope.department_ids)
    Channel, Status = Notification.Channel, Notification.Status
    not_cancelled = [s for s in Status.values if s != Status.CANCELLED]
    done = (Status.SENT, Status.DELIVERED)

    def flag(**when) -> Max:
        return Max(CaseWhen(When(**when, then=Value(1)), default=Value(0), output_field=IntegerField()))

    # One pass over the letters joined with their own delivery rows (one row per channel),
    # grouped per letter, then counted: no subquery per letter (a third of the time at 100,000).
    per_letter = letters.annotate(
        delivery=FilteredRelation("notifications", condition=Q(notifications__template=LETTER_TEMPLATE)),
    ).values("pk").annotate(
        on_paper=flag(delivery__channel=Channel.PAPER, delivery__status__in=not_cancelled),
        in_mailbox=flag(delivery__channel=Channel.DIGITAL_MAILBOX, delivery__status__in=done),
        notified=flag(delivery__channel__in=(Channel.EMAIL, Channel.SMS), delivery__status__in=done),
        kept=flag(delivery__channel=Channel.AUTO, delivery__status=Status.CANCELLED),
    )
    figures = per_letter.aggregate(
        paper=Count("pk", filter=Q(on_paper=1)),
        digital_mailbox=Count("pk", filter=Q(on_paper=0, in_mailbox=1)),
        min_side=Count("pk", filter=Q(on_paper=0, in_mailbox=0) & (Q(notified=1) | Q(kept=1))),
        total=Count("pk"),
    )
    counts = {CHANNEL_DIGITAL_MAILBOX: figures["digital_mailbox"], CHANNEL_MIN_SIDE: figures["min_side"],
              CHANNEL_PAPER: figures["paper"]}
    counts[CHANNEL_PENDING] = figures["total"] - sum(counts.values())
    return LetterChannels(counts=counts, cost_per_paper_letter=cost_per_paper_letter())


def cost_per_paper_letter() -> Decimal:
    """The municipality's own figure (Municipality.cost_per_paper_letter), else the setting."""
    municipality = tenancy.municipality_get(tenancy.current_municipality_id())
    if municipality is not None and municipality.cost_per_paper_letter is not None:
        return Decimal(str(municipality.cost_per_paper_letter))
    return Decimal(str(settings.INSIGHTS_COST_PER_PAPER_LETTER_NOK))


# --- Drafts: completed or abandoned ----------------------------------------------------------------

@dataclass
class DraftRow:
    type_key: str
    title: str
    started: int
    submitted: int
    abandoned: int
    in_progress: int

    @property
    def completion_rate(self) -> float | None:
        """Of the applications settled either way (submitted or abandoned), the share submitted."""
        settled = self.submitted + self.abandoned
        return self.submitted / settled if settled else None


def drafts_completion(*, scope: Scope, now: datetime.datetime | None = None) -> list[DraftRow]:
    """Applications started in the period per type: submitted, abandoned or still in progress.
    Abandoned: a draft untouched for INSIGHTS_DRAFT_ABANDONED_AFTER_DAYS days, or one deleted
    without being submitted (expired or deleted by the applicant; kept as an AbandonedDraft)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.INSIGHTS_DRAFT_ABANDONED_AFTER_DAYS)
    qs = Application.objects.order_by().filter(created_at__gte=scope.start_at, created_at__lt=scope.end_at)
    deleted = AbandonedDraft.objects.order_by().filter(started_at__gte=scope.start_at, started_at__lt=scope.end_at)
    if scope.department_ids is not None:
        codes = scope_department_codes(scope)
        type_keys = [t.key for t in all_types() if t.department_code in codes]
        qs, deleted = qs.filter(type_key__in=type_keys), deleted.filter(type_key__in=type_keys)
    Status = Application.Status
    rows = {r["type_key"]: r for r in qs.values("type_key").annotate(
        started=Count("pk"),
        submitted=Count("pk", filter=Q(status=Status.SUBMITTED)),
        abandoned=Count("pk", filter=Q(status=Status.DRAFT, updated_at__lt=cutoff)),
    ).order_by()}
    for r in deleted.values("type_key").annotate(n=Count("pk")).order_by():
        row = rows.setdefault(r["type_key"], {"started": 0, "submitted": 0, "abandoned": 0})
        row["started"] += r["n"]
        row["abandoned"] += r["n"]
    return [DraftRow(type_key=k, title=type_title(k), started=rows[k]["started"], submitted=rows[k]["submitted"],
                     abandoned=rows[k]["abandoned"],
                     in_progress=rows[k]["started"] - rows[k]["submitted"] - rows[k]["abandoned"])
            for k in _type_keys(set(rows))]


# --- Everything for the page -------------------------------------------------------------------

@dataclass
class Statistics:
    scope: Scope
    monthly: MonthlyTable
    share: list[ShareRow]
    processing: list[ProcessingRow]
    open: list[OpenRow]
    letters: LetterChannels
    drafts: list[DraftRow]


def statistics_for(*, scope: Scope) -> Statistics:
    monthly = applications_per_month(scope=scope)
    return Statistics(scope=scope, monthly=monthly, share=digital_share(scope=scope, monthly=monthly),
                      processing=processing_times(scope=scope), open=open_cases(scope=scope),
                      letters=letters_by_channel(scope=scope), drafts=drafts_completion(scope=scope))


# --- Compared with the other municipalities on the installation ------------------------------

# A median of fewer municipalities than this would let a municipality work out another's figure
# (with two, the median is the mean: own figure known, the other's follows), so none is shown.
MIN_MUNICIPALITIES_FOR_MEDIAN = 3
HEADLINE_FIGURES = ("digital_share", "median_days", "within_share", "letters_digital", "savings")


@dataclass
class Headline:
    """One municipality's gains in the period: what the comparison puts side by side."""

    digital_share: float | None  # applications: digital / (digital + paper estimate)
    median_days: float | None  # processing time, every decided case
    within_share: float | None  # decided within the deadline
    letters_digital: int  # letters not printed
    savings: Decimal  # what those letters saved (NOK)


def headline_for(*, scope: Scope) -> Headline:
    """The headline figures of the municipality in scope (every department of it): four queries."""
    share_rows = digital_share(scope=scope)
    digital = sum(r.digital for r in share_rows)
    paper = sum(r.paper_estimate or 0 for r in share_rows)
    decided = _cases(scope).filter(decided_at__isnull=False, decided_at__gte=scope.start_at, decided_at__lt=scope.end_at)
    counts = decided.aggregate(with_deadline=Count("pk", filter=Q(deadline__isnull=False)),
                               within=Count("pk", filter=Q(deadline__isnull=False, decided_at__date__lte=F("deadline"))))
    duration = ExpressionWrapper(F("decided_at") - F("received_at"), output_field=DurationField())
    if connection.vendor == "postgresql":
        median = _days(decided.aggregate(m=PercentileCont(duration, fraction=0.5))["m"])
    else:
        median = percentile([_days(d - r) for r, d in decided.values_list("received_at", "decided_at")], 0.5)
    letters = letters_by_channel(scope=scope)
    return Headline(digital_share=digital / (digital + paper) if digital + paper else None, median_days=median,
                    within_share=counts["within"] / counts["with_deadline"] if counts["with_deadline"] else None,
                    letters_digital=letters.digital, savings=letters.savings)


@dataclass
class Comparison:
    own: Headline
    median: Headline | None  # None: too few municipalities to show one without revealing another
    municipalities: int  # how many the median is over
    published: list[tuple[str, Headline]]  # other municipalities that chose to publish, by name


def _median(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return percentile([float(v) for v in values], 0.5) if values else None


def comparison_for(*, municipality_id: int, start: datetime.date, end: datetime.date) -> Comparison:
    """The municipality's headline figures next to the median of every municipality on the
    installation (itself included), and the figures of those that chose to publish theirs
    (Municipality.publish_statistics). Each municipality's figures are computed in its own scope,
    one at a time: queries grow with the number of municipalities, never with cases or letters.
    No other municipality's figure is ever returned unless it is published."""
    whole = Scope(start=start, end=end, department_ids=None)
    figures: dict[int, Headline] = {}
    for municipality in tenancy.municipalities():
        with tenancy.staff_scope(municipality.pk):
            figures[municipality.pk] = headline_for(scope=whole)
    median = None
    if len(figures) >= MIN_MUNICIPALITIES_FOR_MEDIAN:
        columns = {name: [getattr(h, name) for h in figures.values()] for name in HEADLINE_FIGURES}
        median = Headline(digital_share=_median(columns["digital_share"]), median_days=_median(columns["median_days"]),
                          within_share=_median(columns["within_share"]),
                          letters_digital=round(_median(columns["letters_digital"]) or 0),
                          savings=Decimal(str(round(_median(columns["savings"]) or 0))))
    published = [(m.display_name, figures[m.pk]) for m in tenancy.municipalities()
                 if m.publish_statistics and m.pk != municipality_id]
    return Comparison(own=figures[municipality_id], median=median, municipalities=len(figures), published=published)
