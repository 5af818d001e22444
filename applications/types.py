"""Application types: a municipal service people apply for, defined in the service's own
package (kindergarten/, building_permit/, sfo/ …) as a subclass of ApplicationType: its steps
(Django forms), prefill, summary, automated checks, the facts frozen on the case at submit and
the case rules it inherits from cases.types.CaseType (deadline, wording, department). The
service registers it when its app is ready:

    class KindergartenConfig(AppConfig):
        def ready(self):
            from applications.types import register
            from .application import KindergartenPlace
            register(KindergartenPlace())

The admin switches a type on or off and describes it (ApplicationTypeConfig)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.db.models import Model
from django.template.defaultfilters import filesizeformat
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.types import REGISTRY, CaseType, CheckResult, register_case_type


def register(app_type: ApplicationType) -> ApplicationType:
    """Offer a service's application type (called from the service's AppConfig.ready)."""
    register_case_type(app_type)
    return app_type


def get_type(key: str) -> ApplicationType | None:
    app_type = REGISTRY.get(key)
    return app_type if isinstance(app_type, ApplicationType) else None


def all_types() -> list[ApplicationType]:
    return [t for t in REGISTRY.values() if isinstance(t, ApplicationType)]


@dataclass(frozen=True)
class AttachmentSlot:
    kind: str
    label: str
    help_text: str = ""
    # Required always (True), never (False), or when the step's data says so (a callable).
    required: bool | object = False

    def is_required(self, cleaned: dict | None) -> bool:
        if callable(self.required):
            return bool(cleaned is not None and self.required(cleaned))
        return bool(self.required)


@dataclass(frozen=True)
class Step:
    name: str  # in the URL
    title: str
    form_class: type[forms.Form]
    attachments: tuple[AttachmentSlot, ...] = ()


@dataclass
class SummarySection:
    """One part of what was entered, as the applicant and the caseworker read it."""

    step: str
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    attachments: list[dict] = field(default_factory=list)  # {"id", "name", "size", "kind", "kind_label"}
    complete: bool = True

    def as_dict(self) -> dict:
        return {"step": self.step, "title": self.title, "rows": [list(r) for r in self.rows],
                "attachments": self.attachments, "complete": self.complete}

    @classmethod
    def from_dict(cls, data: dict) -> SummarySection:
        return cls(step=data["step"], title=data["title"], rows=[tuple(r) for r in data["rows"]],
                   attachments=data.get("attachments", []), complete=data.get("complete", True))


def attachment_checks(app_type: ApplicationType, application) -> list[CheckResult]:
    """A check per attachment slot the submitted data makes required: at least one file of
    that kind. The same rule as application_validate(), recorded per slot."""
    counts: dict[str, int] = {}
    for kind in application.attachments.values_list("kind", flat=True):
        counts[kind] = counts.get(kind, 0) + 1
    results = []
    for step in app_type.steps:
        for slot in step.attachments:
            if not slot.is_required(application.data.get(step.name) or {}):
                continue
            n = counts.get(slot.kind, 0)
            if n:
                results.append(CheckResult(f"attachment_{slot.kind}", True, _("%(label)s: attached (%(count)d).") % {
                    "label": slot.label, "count": n}))
            else:
                results.append(CheckResult(f"attachment_{slot.kind}", False, _("%(label)s: missing.") % {"label": slot.label},
                                           _("%(label)s is missing.") % {"label": slot.label}))
    return results


@dataclass(frozen=True)
class Problem:
    """Something that stops a submit: which step, and what to fix."""

    step: str
    message: str


class StepForm(forms.Form):
    """A step of an application. Knows the application (for choices from registers, the
    applicant, the organisation) and how to show itself in the summary."""

    def __init__(self, *args, application, **kwargs):
        self.application = application
        super().__init__(*args, **kwargs)

    def extra_context(self) -> dict:
        """More for the step's template (e.g. the right-to-place notice)."""
        return {}

    def summary_rows(self) -> list[tuple[str, str]]:
        return [(str(self[name].label), display_value(self.fields[name], self.cleaned_data.get(name)))
                for name in self.fields]


def display_value(form_field: forms.Field, value) -> str:
    if value in (None, "", [], ()):
        return "–"
    if isinstance(form_field, forms.ModelChoiceField) or isinstance(value, Model):
        return str(value)
    if isinstance(form_field, forms.MultipleChoiceField):
        labels = dict(form_field.choices)
        return ", ".join(str(labels.get(v, v)) for v in value)
    if isinstance(form_field, forms.ChoiceField):
        return str(dict(form_field.choices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    if isinstance(value, Decimal):
        return f"{value.normalize():f}".replace(".", ",")
    return str(value)


class ApplicationType(CaseType):
    """A service people apply for. The case rules (title, department, deadline, wording) come
    from cases.types.CaseType; this adds the application: steps, prefill, summary, checks."""

    key: str = ""
    title = gettext_lazy("Application")
    summary_text = ""
    who_may_apply = ""
    what_you_need = ""
    processing_time = ""
    # May a representative apply on behalf of an organisation?
    organisations_may_apply = False
    persons_may_apply = True
    steps: list[Step] = []

    def step(self, name: str) -> Step | None:
        return next((s for s in self.steps if s.name == name), None)

    def step_index(self, name: str) -> int:
        return [s.name for s in self.steps].index(name)

    def next_step(self, name: str) -> Step | None:
        i = self.step_index(name)
        return self.steps[i + 1] if i + 1 < len(self.steps) else None

    def previous_step(self, name: str) -> Step | None:
        i = self.step_index(name)
        return self.steps[i - 1] if i > 0 else None

    def initial(self, *, step: Step, application) -> dict:
        """Prefill for a step nothing has been typed into yet (once-only: what we know)."""
        return {}

    def form(self, *, step: Step, application, data=None) -> StepForm:
        stored = application.data.get(step.name)
        if data is not None:
            return step.form_class(data, application=application, prefix=None)
        if stored is not None:
            # Bound to what was typed: a saved draft shows exactly that, errors included.
            return step.form_class(stored, application=application)
        return step.form_class(initial=self.initial(step=step, application=application), application=application)

    def bound_form(self, *, step: Step, application) -> StepForm:
        return step.form_class(application.data.get(step.name, {}), application=application)

    def case_title(self, *, application) -> str:
        return str(self.title)

    def case_facts(self, *, application) -> dict:
        """What the type's rules need to know about the case later (the deadline after an
        appeal, an admission run), frozen on the case at submit (JSON: dates as ISO strings).
        Read from the registers once, within the submit's register snapshot."""
        return {}

    def receipt_facts(self, *, application) -> dict:
        """Facts the receipt letter names (e.g. the child's name)."""
        return {}

    def what_happens_next(self, *, application) -> str:
        return ""

    def automated_checks(self, application) -> list[CheckResult]:
        """The automated steps after submit (completeness, eligibility rules). May call the
        registers: never inside a transaction; raises RegisterUnavailable when one is down."""
        return attachment_checks(self, application)


def attachment_dict(attachment, slot_labels: dict) -> dict:
    return {"id": str(attachment.pk), "name": attachment.original_name, "size": attachment.size,
            "size_display": filesizeformat(attachment.size), "kind": attachment.kind,
            "kind_label": str(slot_labels.get(attachment.kind, attachment.kind))}
