"""Applying for a kindergarten place (barnehageplass): the steps, what is frozen on the case,
and the automated checks. The rules they use are in kindergarten/rules.py."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from applications.residence import lives_in_municipality
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
from cases.transitions import CASEWORKER
from registers.population import population_register

from .models import Kindergarten
from .rules import (
    age_on,
    kindergarten_takes_child,
    main_admission_deadline,
    place_right,
    place_right_message,
    processing_deadline,
)

MAX_WISHES = 5


# --- Steps -----------------------------------------------------------------------------------

def _children(application):
    national_id = application.applicant.national_id
    return population_register().children_of(national_id) if national_id else []


def _guardian_names(child, applicant_national_id: str) -> list[str]:
    register = population_register()
    names = []
    for national_id in child.guardians:
        if national_id != applicant_national_id:
            person = register.person(national_id)
            if person:
                names.append(person.full_name)
    return names


def child_token(national_id: str) -> str:
    """What the form and the draft hold for a child instead of the national identity number,
    which never appears in a page or a draft (the register is asked again when needed)."""
    return salted_hmac("applications.kindergarten.child", national_id).hexdigest()[:24]


def chosen_child(application):
    token = (application.data.get("child") or {}).get("child")
    if not token:
        return None
    return next((c for c in _children(application) if child_token(c.national_id) == token), None)


class ChildForm(StepForm):
    child = forms.ChoiceField(label=gettext_lazy("Which child are you applying for?"), widget=forms.RadioSelect,
                              error_messages={"required": gettext_lazy("Choose the child you are applying for.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        applicant_id = self.application.applicant.national_id
        choices = []
        for child in _children(self.application):
            label = _("%(name)s, born %(date)s") % {"name": child.full_name, "date": date_format(child.birth_date, "DATE_FORMAT")}
            others = _guardian_names(child, applicant_id)
            if others:
                label += " – " + _("other guardian: %(names)s") % {"names": ", ".join(others)}
            choices.append((child_token(child.national_id), label))
        self.fields["child"].choices = choices
        self.fields["child"].help_text = _("From the population register. A child missing here? Contact the municipality.")

    def summary_rows(self):
        child = next((c for c in _children(self.application) if child_token(c.national_id) == self.cleaned_data["child"]), None)
        rows = [(_("Child"), f"{child.full_name}, {date_format(child.birth_date, 'DATE_FORMAT')}")]
        others = _guardian_names(child, self.application.applicant.national_id)
        rows.append((_("Other guardian"), ", ".join(others) or "–"))
        return rows


class WishField(forms.ChoiceField):
    """A kindergarten from a list read once per form; cleans to the Kindergarten."""

    def __init__(self, kindergartens: dict, *, empty_label: str, **kwargs):
        self.kindergartens = kindergartens
        super().__init__(choices=[("", empty_label), *((pk, kg.name) for pk, kg in kindergartens.items())], **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return self.kindergartens.get(str(value)) if value else None


class PlaceForm(StepForm):
    ATTENDANCE = [("full_time", gettext_lazy("Full time (5 days a week)")), ("4_days", gettext_lazy("4 days a week")),
                  ("3_days", gettext_lazy("3 days a week")), ("2_days", gettext_lazy("2 days a week"))]
    start_date = forms.DateField(label=gettext_lazy("Desired start date"), widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text=gettext_lazy("Most places start in August."),
                                 error_messages={"required": gettext_lazy("Enter the date you want the place from."),
                                                 "invalid": gettext_lazy("Enter a date like 2027-08-01.")})
    attendance = forms.ChoiceField(label=gettext_lazy("Attendance"), choices=ATTENDANCE, widget=forms.RadioSelect,
                                   error_messages={"required": gettext_lazy("Choose full time or the number of days a week.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One query for all five lists (and their validation), however many wishes are shown.
        kindergartens = {str(kg.pk): kg for kg in Kindergarten.objects.filter(active=True)}
        for i in range(1, MAX_WISHES + 1):
            field = WishField(
                kindergartens, required=i == 1, label=_("Wish %(n)d") % {"n": i},
                empty_label=_("Choose a kindergarten") if i == 1 else _("No more wishes"),
                error_messages={"required": _("Choose at least one kindergarten."),
                                "invalid_choice": _("Choose a kindergarten from the list.")},
            )
            self.fields[f"wish_{i}"] = field
        self.fields["wish_1"].help_text = _("Your first wish first. You can list up to %(n)d kindergartens.") % {"n": MAX_WISHES}
        # Show the wishes before attendance.
        self.order_fields(["start_date"] + [f"wish_{i}" for i in range(1, MAX_WISHES + 1)] + ["attendance"])

    def clean_start_date(self):
        start = self.cleaned_data["start_date"]
        if start < timezone.localdate():
            raise forms.ValidationError(_("The start date cannot be in the past."))
        if start > timezone.localdate() + datetime.timedelta(days=2 * 365):
            raise forms.ValidationError(_("Choose a start date within two years."))
        return start

    def clean(self):
        cleaned = super().clean()
        child = chosen_child(self.application)
        start = cleaned.get("start_date")
        seen = set()
        for i in range(1, MAX_WISHES + 1):
            kg = cleaned.get(f"wish_{i}")
            if kg is None:
                continue
            if kg.pk in seen:
                self.add_error(f"wish_{i}", _("%(name)s is already one of your wishes.") % {"name": kg.name})
            # Without the child (the child step reports that) or a start date there is no age to check.
            elif child and start and not kindergarten_takes_child(kg, birth_date=child.birth_date, on=start):
                self.add_error(f"wish_{i}", _("%(name)s takes children aged %(ages)s; %(child)s will be %(age)d at the start.") % {
                    "name": kg.name, "ages": kg.get_age_groups_display(), "child": child.first_name,
                    "age": age_on(child.birth_date, start)})
            seen.add(kg.pk)
        return cleaned

    def wishes(self):
        return [self.cleaned_data[f"wish_{i}"] for i in range(1, MAX_WISHES + 1) if self.cleaned_data.get(f"wish_{i}")]

    def summary_rows(self):
        rows = [(str(self["start_date"].label), display_value(self.fields["start_date"], self.cleaned_data["start_date"]))]
        rows += [(_("Wish %(n)d") % {"n": n}, f"{kg.name}, {kg.address}") for n, kg in enumerate(self.wishes(), start=1)]
        rows.append((str(self["attendance"].label), display_value(self.fields["attendance"], self.cleaned_data["attendance"])))
        notice = place_notice(self.application)
        if notice:
            rows.append((_("Right to a place"), notice[1]))
        return rows

    def extra_context(self):
        notice = place_notice(self.application)
        if notice:
            return {"notice": notice}
        # Before a start date is saved: when the main admission closes.
        today = timezone.localdate()
        year = today.year if today <= main_admission_deadline(today.year) else today.year + 1
        return {"notice": ("info", _("Apply by %(deadline)s to have a statutory right to a place from August %(year)d (main admission).") % {
            "deadline": date_format(main_admission_deadline(year), "DATE_FORMAT"), "year": year})}


def place_notice(application) -> tuple[str, str] | None:
    """The right-to-place message for the saved child and start date, if both are known."""
    child = chosen_child(application)
    raw_start = (application.data.get("place") or {}).get("start_date")
    try:
        start = datetime.date.fromisoformat(raw_start) if raw_start else None
    except ValueError:
        start = None
    if child is None or start is None:
        return None
    applied_on = timezone.localdate(application.submitted_at) if application.submitted_at else timezone.localdate()
    return place_right_message(place_right(birth_date=child.birth_date, start=start, applied_on=applied_on), child.first_name)


class PriorityForm(StepForm):
    GROUNDS = [("disability", gettext_lazy("The child has a disability (§ 18)")),
               ("child_welfare", gettext_lazy("The child welfare service has made a decision for the child (§ 18)"))]
    grounds = forms.MultipleChoiceField(label=gettext_lazy("Grounds for priority"), choices=GROUNDS, required=False,
                                        widget=forms.CheckboxSelectMultiple,
                                        help_text=gettext_lazy("Leave empty if none applies. If one applies, attach documentation below."))
    explanation = forms.CharField(label=gettext_lazy("Anything else we should know (optional)"), required=False,
                                  max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))

    def extra_context(self):
        # Repeat what the place step said, so the family sees it right after choosing the start.
        notice = place_notice(self.application)
        return {"notice": notice} if notice else {}


class InvoiceForm(StepForm):
    invoice_to = forms.ChoiceField(label=gettext_lazy("Who receives the invoice?"), widget=forms.RadioSelect,
                                   error_messages={"required": gettext_lazy("Choose who receives the invoice.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("applicant", _("Me (%(name)s)") % {"name": self.application.applicant.get_full_name()})]
        child = chosen_child(self.application)
        if child:
            for name in _guardian_names(child, self.application.applicant.national_id):
                choices.append(("other_guardian", _("The other guardian (%(name)s)") % {"name": name}))
                break
        self.fields["invoice_to"].choices = choices


class KindergartenPlace(ApplicationType):
    key = "kindergarten"
    title = gettext_lazy("Kindergarten place")
    summary_text = gettext_lazy("Apply for a place in a municipal or private kindergarten for your child.")
    who_may_apply = gettext_lazy("Parents and guardians of children under school age who live in the municipality.")
    what_you_need = gettext_lazy("Up to five kindergartens you would like, in order. Documentation if you apply for priority (disability or a child welfare decision).")
    processing_time = gettext_lazy("Main admission: answer by the end of April. Otherwise usually within 6 weeks.")
    department_code = "barnehage"  # created by migrations/0003_department.py (the first municipality)
    department_name = "Barnehage"
    organisations_may_apply = False
    paper_applications_per_year = 40
    # An offer (or the waiting list) is the decision; the citizen's words for it. "declined":
    # the offer was declined or not answered in time (kindergarten.services).
    wording = {
        (Case.Status.DECIDED, "approved"): pgettext_lazy("kindergarten", "Offer sent"),
        (Case.Status.DECIDED, "partly"): pgettext_lazy("kindergarten", "Offer sent, on the waiting list for a higher wish"),
        (Case.Status.DECIDED, "rejected"): pgettext_lazy("kindergarten", "On the waiting list"),
        (Case.Status.CLOSED, "approved"): pgettext_lazy("kindergarten", "Accepted"),
        (Case.Status.CLOSED, "partly"): pgettext_lazy("kindergarten", "Accepted, on the waiting list for a higher wish"),
        (Case.Status.CLOSED, "rejected"): pgettext_lazy("kindergarten", "On the waiting list"),
        (Case.Status.CLOSED, "declined"): pgettext_lazy("kindergarten", "Declined"),
    }
    # A later admission round decides again: a child on the waiting list (decided) gets an
    # offer, and a child with a place who waits for a higher wish (closed) gets a new offer.
    transitions = {
        (Case.Status.DECIDED, Case.Status.DECIDED): frozenset({CASEWORKER}),
        (Case.Status.CLOSED, Case.Status.DECIDED): frozenset({CASEWORKER}),
    }
    steps = [
        Step("child", gettext_lazy("Child"), ChildForm),
        Step("place", gettext_lazy("Place and kindergartens"), PlaceForm),
        Step("priority", gettext_lazy("Priority"), PriorityForm, attachments=(
            AttachmentSlot("priority_documentation", gettext_lazy("Documentation of the grounds for priority"),
                           gettext_lazy("For example a statement from a doctor or the child welfare service."),
                           required=lambda cleaned: bool(cleaned.get("grounds"))),
        )),
        Step("invoice", gettext_lazy("Invoice"), InvoiceForm),
    ]

    def initial(self, *, step, application):
        if step.name == "child":
            children = _children(application)
            if len(children) == 1:
                return {"child": child_token(children[0].national_id)}
        if step.name == "invoice":
            return {"invoice_to": "applicant"}
        return {}

    def case_title(self, *, application):
        child = chosen_child(application)
        return _("Kindergarten place for %(name)s") % {"name": child.first_name} if child else str(self.title)

    def processing_deadline(self, *, facts, received):
        start = facts.get("start_date")
        return processing_deadline(start=datetime.date.fromisoformat(start) if start else None, received=received)

    def case_facts(self, *, application):
        """The child (first name and birth date, from the register), the wished start, the
        wishes in order and whether priority is asked: what the deadline and the admission
        run need, so neither reads the draft nor asks the register again."""
        child = chosen_child(application)
        place = application.data.get("place") or {}
        wishes = []
        for i in range(1, MAX_WISHES + 1):
            raw = place.get(f"wish_{i}")
            if raw and str(raw).isdigit() and int(raw) not in wishes:
                wishes.append(int(raw))
        return {
            "child_first_name": child.first_name if child else "",
            "child_birth_date": child.birth_date.isoformat() if child else None,
            "start_date": place.get("start_date") or None,
            "wishes": wishes,
            "priority": bool((application.data.get("priority") or {}).get("grounds")),
        }

    def receipt_facts(self, *, application):
        child = chosen_child(application)
        return {"child_name": child.full_name if child else ""}

    def what_happens_next(self, *, application):
        return _("We handle applications for the main admission together and send offers in rounds. You answer an offer on Min Side within the deadline in the offer letter. You can follow the case on Min Side.")

    def automated_checks(self, application):
        """The child is still the applicant's child in the population register and lives in
        the municipality, each wished kindergarten takes the child's age at the start, grounds
        for priority are documented, and (information) the statutory right to a place for the
        chosen start (place_right())."""
        results = attachment_checks(self, application)
        grounds = (application.data.get("priority") or {}).get("grounds") or []
        if not grounds:
            results.append(CheckResult("priority", True, _("No grounds for priority given."), required=False))
        child = chosen_child(application)
        if child is None:
            results.append(CheckResult("child", False, _("The child is not among the applicant's children in the population register."),
                                       _("We could not find the child among your children in the population register.")))
            return results
        if lives_in_municipality(address=child.address, municipality=application.municipality):
            results.append(CheckResult("resident", True, _("%(child)s lives in the municipality (%(address)s).") % {
                "child": child.first_name, "address": child.address}))
        else:
            results.append(CheckResult("resident", False, _(
                "%(child)s does not live in the municipality according to the population register (%(address)s).") % {
                "child": child.first_name, "address": child.address},
                _("According to the population register, %(child)s does not live in the municipality.") % {"child": child.first_name}))
        place = application.data.get("place") or {}
        try:
            start = datetime.date.fromisoformat(place.get("start_date") or "")
        except ValueError:
            results.append(CheckResult("start_date", False, _("No valid start date."), _("The desired start date is missing.")))
            return results
        age = age_on(child.birth_date, start)
        wanted = [place.get(f"wish_{i}") for i in range(1, MAX_WISHES + 1) if place.get(f"wish_{i}")]
        found = Kindergarten.objects.in_bulk([pk for pk in wanted if str(pk).isdigit()])
        misfits = []
        for pk in wanted:
            kg = found.get(int(pk)) if str(pk).isdigit() else None
            if kg is None:
                misfits.append(_("a kindergarten that no longer exists"))
            elif not kindergarten_takes_child(kg, birth_date=child.birth_date, on=start):
                misfits.append(_("%(name)s (%(ages)s)") % {"name": kg.name, "ages": kg.get_age_groups_display()})
        if misfits:
            results.append(CheckResult("age_groups", False, _("%(child)s will be %(age)d at the start; does not fit: %(list)s.") % {
                "child": child.first_name, "age": age, "list": ", ".join(misfits)},
                _("One or more of the kindergartens you wished for do not take children of %(child)s's age.") % {"child": child.first_name}))
        else:
            results.append(CheckResult("age_groups", True, _("%(child)s will be %(age)d at the start; every wished kindergarten takes that age.") % {
                "child": child.first_name, "age": age}))
        applied_on = timezone.localdate(application.submitted_at) if application.submitted_at else timezone.localdate()
        right = place_right(birth_date=child.birth_date, start=start, applied_on=applied_on)
        results.append(CheckResult("place_right", right.has_right, place_right_message(right, child.first_name)[1], required=False))
        return results
