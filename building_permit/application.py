"""Applying for a building permit (byggesøknad), plan- og bygningsloven §§ 20-3 and 20-4: the
steps, what is frozen on the case, and the automated checks. The rules they use are in
building_permit/rules.py."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from accounts.idnumbers import is_valid_organisation_number
from applications.types import (
    ApplicationType,
    AttachmentSlot,
    CheckResult,
    Step,
    StepForm,
    attachment_checks,
    display_value,
)
from cases.models import Case
from registers.property import RegisterUnavailable, property_register

from .models import BuildingFee
from .rules import (
    NEIGHBOUR_OBJECTION_DAYS,
    TRACK_REASONS,
    fee_for,
    objection_period_over,
    processing_deadline,
    track_21_7,
)

YES_NO = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]


class FlexibleDecimalField(forms.DecimalField):
    """Accepts "24,5" and "24.5" whatever the language, so a saved draft stays valid when the
    applicant switches between bokmål and English."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\u00a0", "").replace(" ", "").replace(",", ".")
        return super().to_python(value)


class KindForm(StepForm):
    permit_kind = forms.ChoiceField(
        label=gettext_lazy("What kind of application is it?"), widget=forms.RadioSelect,
        choices=BuildingFee.PermitKind.choices,
        error_messages={"required": gettext_lazy("Choose the kind of application.")},
        help_text=gettext_lazy(
            "Without a responsible applicant (§ 20-4) you may apply yourself for small projects: a small "
            "extension or annex, a garage or shed, a change of use within your own home, agricultural "
            "buildings and temporary structures for up to two years. Everything else needs a responsible "
            "applicant (§ 20-3): a qualified company applies on your behalf."),
    )
    responsible_applicant = forms.CharField(
        label=gettext_lazy("Organisation number of the responsible applicant"), required=False, max_length=9,
        help_text=gettext_lazy("Only for § 20-3 when you do not act for the company yourself. 9 digits."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = self.application.organisation
        if organisation is not None:
            # The organisation the representative acts for is the responsible applicant.
            del self.fields["responsible_applicant"]

    def clean(self):
        cleaned = super().clean()
        if "responsible_applicant" in self.fields:
            number = (cleaned.get("responsible_applicant") or "").replace(" ", "")
            cleaned["responsible_applicant"] = number
            if cleaned.get("permit_kind") == BuildingFee.PermitKind.WITH_RESPONSIBLE and not number:
                self.add_error("responsible_applicant", _("With a responsible applicant (§ 20-3), enter the company's organisation number, or log in acting for the company."))
            elif number and not is_valid_organisation_number(number):
                self.add_error("responsible_applicant", _("This is not a valid organisation number. It has 9 digits; check it in the Brønnøysund Register Centre."))
        return cleaned

    def summary_rows(self):
        rows = [(_("Kind of application"), display_value(self.fields["permit_kind"], self.cleaned_data["permit_kind"]))]
        if self.application.organisation is not None:
            rows.append((_("Responsible applicant"), str(self.application.organisation)))
        elif self.cleaned_data.get("responsible_applicant"):
            rows.append((_("Responsible applicant"), self.cleaned_data["responsible_applicant"]))
        return rows


class PropertyForm(StepForm):
    gnr = forms.IntegerField(label=gettext_lazy("Farm number (gnr)"), min_value=1, max_value=99999,
                             error_messages={"required": gettext_lazy("Enter the farm number (gnr)."),
                                             "invalid": gettext_lazy("The farm number is a whole number.")})
    bnr = forms.IntegerField(label=gettext_lazy("Holding number (bnr)"), min_value=1, max_value=99999,
                             error_messages={"required": gettext_lazy("Enter the holding number (bnr)."),
                                             "invalid": gettext_lazy("The holding number is a whole number.")})
    fnr = forms.IntegerField(label=gettext_lazy("Leasehold number (fnr, optional)"), min_value=0, max_value=9999, required=False)
    snr = forms.IntegerField(label=gettext_lazy("Section number (snr, optional)"), min_value=0, max_value=9999, required=False)

    property = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gnr"].help_text = _("You find gnr/bnr on your property tax bill or at seeiendom.no.")
        for name in ("gnr", "bnr", "fnr", "snr"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric"})
            self.fields[name].widget.input_type = "text"

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            self.property = property_register().lookup(
                municipality_number=settings.MUNICIPALITY_NUMBER, gnr=cleaned["gnr"], bnr=cleaned["bnr"],
                fnr=cleaned.get("fnr") or 0, snr=cleaned.get("snr") or 0)
        except RegisterUnavailable:
            raise forms.ValidationError(_("The property register is not answering right now. What you typed is saved; try again in a few minutes."), code="unavailable") from None
        if self.property is None:
            self.add_error("gnr", _("We found no property %(gnr)s/%(bnr)s in %(municipality)s. Check the numbers.") % {
                "gnr": cleaned["gnr"], "bnr": cleaned["bnr"], "municipality": settings.MUNICIPALITY_NAME})
        return cleaned

    def summary_rows(self):
        return [(_("Property (gnr/bnr)"), self.property.designation), (_("Address"), self.property.address),
                (_("Site area"), f"{self.property.area_m2} m²")]

    def extra_context(self):
        return {"property": self.property} if self.is_bound and self.is_valid() else {}


class ProjectForm(StepForm):
    category = forms.ChoiceField(label=gettext_lazy("What do you want to build or change?"),
                                 choices=[("", gettext_lazy("Choose")), *BuildingFee.Category.choices],
                                 error_messages={"required": gettext_lazy("Choose what you want to build or change.")})
    description = forms.CharField(label=gettext_lazy("Describe the project"), max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text=gettext_lazy("What, where on the property, and what it will be used for."),
                                  error_messages={"required": gettext_lazy("Describe the project.")})
    built_up_area = FlexibleDecimalField(label=gettext_lazy("Built-up area (BYA) in m²"), min_value=0.1, max_value=100000,
                                       decimal_places=1, widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                                       error_messages={"required": gettext_lazy("Enter the built-up area in square metres."),
                                                       "invalid": gettext_lazy("Enter the area as a number, like 24.5.")})
    follows_zoning_plan = forms.ChoiceField(label=gettext_lazy("Does the project follow the zoning plan?"), choices=YES_NO,
                                            widget=forms.RadioSelect,
                                            error_messages={"required": gettext_lazy("Answer whether the project follows the zoning plan.")})
    other_authority = forms.ChoiceField(label=gettext_lazy("Must another authority consent (for example the road authority)?"),
                                        choices=YES_NO, widget=forms.RadioSelect,
                                        error_messages={"required": gettext_lazy("Answer whether another authority must consent.")})

    def fee(self):
        kind = (self.application.data.get("kind") or {}).get("permit_kind")
        category = self.cleaned_data.get("category") if hasattr(self, "cleaned_data") else None
        if not (kind and category):
            return None
        return fee_for(permit_kind=kind, category=category)

    def summary_rows(self):
        rows = super().summary_rows()
        fee = self.fee()
        rows.append((_("Fee"), _("%(amount)s kr") % {"amount": f"{fee.amount:,.0f}".replace(",", " ")} if fee else _("Set by the municipality")))
        return rows

    def extra_context(self):
        if self.is_bound and self.is_valid():
            return {"fee": self.fee()}
        return {}


class NeighboursForm(StepForm):
    notified_on = forms.DateField(label=gettext_lazy("Date the neighbour notification was sent"),
                                  widget=forms.DateInput(attrs={"type": "date"}),
                                  error_messages={"required": gettext_lazy("Enter the date you sent the neighbour notification."),
                                                  "invalid": gettext_lazy("Enter a date like 2026-11-01.")})
    objections = forms.ChoiceField(label=gettext_lazy("Did any neighbour object?"), choices=YES_NO, widget=forms.RadioSelect,
                                   help_text=gettext_lazy("If yes, attach the objections and your comments to them below."),
                                   error_messages={"required": gettext_lazy("Answer whether any neighbour objected.")})

    def clean_notified_on(self):
        day = self.cleaned_data["notified_on"]
        today = timezone.localdate()
        if day > today:
            raise forms.ValidationError(_("The date cannot be in the future."))
        if not objection_period_over(notified_on=day, on=today):
            raise forms.ValidationError(_("Neighbours have %(days)d days to object. You can submit from %(date)s.") % {
                "days": NEIGHBOUR_OBJECTION_DAYS, "date": date_format(day + datetime.timedelta(days=NEIGHBOUR_OBJECTION_DAYS), "DATE_FORMAT")})
        return day


def _objected(cleaned: dict) -> bool:
    return cleaned.get("objections") == "yes"


class AttachmentsForm(StepForm):
    """Only files on this step; the form holds nothing else."""


class BuildingPermit(ApplicationType):
    key = "building_permit"
    title = gettext_lazy("Building permit")
    summary_text = gettext_lazy("Apply to build, extend, demolish or change the use of a building.")
    who_may_apply = gettext_lazy("Property owners for small projects (§ 20-4); otherwise a responsible applicant (a company) on the owner's behalf (§ 20-3).")
    what_you_need = gettext_lazy("The property's gnr/bnr, a site plan, drawings, and the receipt for the neighbour notification (sent at least 14 days before).")
    processing_time = gettext_lazy("3 weeks when the project follows the zoning plan and no neighbour objected; otherwise 12 weeks.")
    department_code = "byggesak"  # created by migrations/0003_department.py
    department_name = "Byggesak"
    paper_applications_per_year = 120
    wording = {
        (Case.Status.DECIDED, "approved"): pgettext_lazy("building permit", "Permit granted"),
        (Case.Status.DECIDED, "partly"): pgettext_lazy("building permit", "Permit granted with conditions"),
        (Case.Status.DECIDED, "rejected"): pgettext_lazy("building permit", "Permit refused"),
        (Case.Status.CLOSED, "approved"): pgettext_lazy("building permit", "Permit granted"),
        (Case.Status.CLOSED, "partly"): pgettext_lazy("building permit", "Permit granted with conditions"),
        (Case.Status.CLOSED, "rejected"): pgettext_lazy("building permit", "Permit refused"),
    }
    organisations_may_apply = True
    steps = [
        Step("kind", gettext_lazy("Kind of application"), KindForm),
        Step("property", gettext_lazy("Property"), PropertyForm),
        Step("project", gettext_lazy("Project"), ProjectForm),
        Step("neighbours", gettext_lazy("Neighbour notification"), NeighboursForm, attachments=(
            AttachmentSlot("objections", gettext_lazy("The neighbours' objections"), required=_objected),
            AttachmentSlot("objection_comments", gettext_lazy("Your comments on the objections"), required=_objected),
        )),
        Step("attachments", gettext_lazy("Attachments"), AttachmentsForm, attachments=(
            AttachmentSlot("site_plan", gettext_lazy("Site plan (situasjonsplan)"),
                           gettext_lazy("A map of the property showing the project and distances to boundaries."), required=True),
            AttachmentSlot("drawings", gettext_lazy("Drawings"), gettext_lazy("Plans, sections and facades."), required=True),
            AttachmentSlot("neighbour_receipt", gettext_lazy("Receipt for the neighbour notification"), required=True),
        )),
    ]

    def case_title(self, *, application):
        data = application.data.get("property") or {}
        category = dict(BuildingFee.Category.choices).get((application.data.get("project") or {}).get("category"), "")
        return _("Building permit: %(what)s, %(gnr)s/%(bnr)s") % {"what": category or _("project"),
                                                                  "gnr": data.get("gnr", "?"), "bnr": data.get("bnr", "?")}

    def processing_deadline(self, *, facts, received):
        return processing_deadline(track_weeks=facts.get("track_weeks"), received=received)

    def case_facts(self, *, application):
        """The § 21-7 track (weeks and why), the property and the permit kind."""
        weeks, reasons = track_21_7(application.data)
        prop = application.data.get("property") or {}
        return {"track_weeks": weeks, "track_reasons": reasons, "gnr": prop.get("gnr"), "bnr": prop.get("bnr"),
                "permit_kind": (application.data.get("kind") or {}).get("permit_kind")}

    def receipt_facts(self, *, application):
        data = application.data.get("property") or {}
        return {"property": f"{data.get('gnr', '')}/{data.get('bnr', '')}"}

    def what_happens_next(self, *, application):
        return _("We check that the application is complete. If something is missing we ask you for it on Min Side; the processing deadline counts from a complete application. You can follow the case on Min Side.")

    def automated_checks(self, application):
        """Required attachments (site plan, drawings, the neighbour-notification receipt; the
        objections and the applicant's comments when a neighbour objected), the neighbours'
        14 days to object before the application came in, and the § 21-7 track (information)."""
        results = attachment_checks(self, application)
        submitted_on = timezone.localdate(application.submitted_at) if application.submitted_at else timezone.localdate()
        raw = (application.data.get("neighbours") or {}).get("notified_on")
        try:
            notified_on = datetime.date.fromisoformat(raw) if raw else None
        except ValueError:
            notified_on = None
        if notified_on is None:
            results.append(CheckResult("neighbour_notice", False, _("No valid date for the neighbour notification."),
                                       _("The date of the neighbour notification is missing.")))
        elif objection_period_over(notified_on=notified_on, on=submitted_on):
            results.append(CheckResult("neighbour_notice", True, _(
                "Neighbour notification sent %(date)s, %(days)d days before the application (at least %(min)d).") % {
                "date": date_format(notified_on, "DATE_FORMAT"), "days": (submitted_on - notified_on).days,
                "min": NEIGHBOUR_OBJECTION_DAYS}))
        else:
            results.append(CheckResult("neighbour_notice", False, _(
                "Neighbour notification sent %(date)s, only %(days)d days before the application (at least %(min)d).") % {
                "date": date_format(notified_on, "DATE_FORMAT"), "days": (submitted_on - notified_on).days,
                "min": NEIGHBOUR_OBJECTION_DAYS},
                _("The neighbours' %(min)d days to object had not passed when you applied.") % {"min": NEIGHBOUR_OBJECTION_DAYS}))
        weeks, reasons = track_21_7(application.data)
        if not reasons:
            message = _("§ 21-7: 3-week processing time (follows the zoning plan, no objections, no other authority).")
        else:
            message = _("§ 21-7: 12-week processing time (%(reasons)s).") % {
                "reasons": ", ".join(str(TRACK_REASONS[r]) for r in reasons)}
        results.append(CheckResult("track_21_7", True, message, required=False))
        return results
