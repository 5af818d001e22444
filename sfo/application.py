"""Applying for an SFO place (skolefritidsordning): the steps, what is frozen on the case, and the
automated checks. The rules they use are in sfo/rules.py."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

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
from registers.population import Person, population_register

from .models import School
from .rules import (
    FIRST_GRADE,
    FREE_HOURS_PER_WEEK,
    LAST_SPECIAL_NEEDS_GRADE,
    first_school_year,
    free_hours,
    free_hours_grades,
    free_of_charge,
    grade_in,
    grades_display,
    may_apply,
    may_have_sfo,
    needs_special_needs,
    school_offers_sfo,
    school_year_label,
    school_year_of,
    school_years_open,
)

YES_NO = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]
FREE_HOURS_ONLY = "free_hours"
MAX_START_DAYS = 366  # a start within a year: this school year or the next


# --- The child, the start and the grade --------------------------------------------------------

def _children(application) -> list[Person]:
    national_id = application.applicant.national_id
    return population_register().children_of(national_id) if national_id else []


def _guardian_names(child: Person, applicant_national_id: str) -> list[str]:
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
    return salted_hmac("sfo.child", national_id).hexdigest()[:24]


def chosen_child(application) -> Person | None:
    token = (application.data.get("child") or {}).get("child")
    if not token:
        return None
    return next((c for c in _children(application) if child_token(c.national_id) == token), None)


def open_grades(child: Person, *, today: datetime.date) -> list[tuple[int, int]]:
    """(school year, grade) for the school years one can apply for now, where the child is in a
    grade that may have SFO (1–7)."""
    years = school_years_open(today=today)
    grades = [(year, grade_in(birth_date=child.birth_date, school_year=year)) for year in years]
    return [(year, grade) for year, grade in grades if may_apply(grade)]


def _saved_start(application) -> datetime.date | None:
    raw = (application.data.get("place") or {}).get("start_date")
    try:
        return datetime.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _saved_special_needs(application) -> bool:
    return (application.data.get("needs") or {}).get("special_needs") == "yes"


@dataclass(frozen=True)
class Pupil:
    """The chosen child at the chosen start: the school year and the grade."""

    child: Person
    start: datetime.date
    school_year: int
    grade: int

    @property
    def school_year_label(self) -> str:
        return school_year_label(self.school_year)


def pupil_for(application) -> Pupil | None:
    """The saved child and start date, with the grade at the start; None until both are known."""
    child, start = chosen_child(application), _saved_start(application)
    if child is None or start is None:
        return None
    year = school_year_of(start)
    return Pupil(child, start, year, grade_in(birth_date=child.birth_date, school_year=year))


def _grade_text(grade: int, school_year: int) -> str:
    return _("grade %(grade)d in %(school_year)s") % {"grade": grade, "school_year": school_year_label(school_year)}


def _free_hours_notice(pupil: Pupil, *, special_needs: bool) -> str:
    """What the family pays for, in a sentence: the free hours of the grade, or free of charge."""
    names = {"child": pupil.child.first_name, "grade": pupil.grade, "school_year": pupil.school_year_label,
             "grades": grades_display(free_hours_grades(school_year=pupil.school_year))}
    if free_of_charge(grade=pupil.grade, special_needs=special_needs, school_year=pupil.school_year):
        return _("%(child)s will be in grade %(grade)d in the school year %(school_year)s. SFO is free of charge for "
                 "pupils with special needs in grades 5–7.") % names
    hours = free_hours(grade=pupil.grade, school_year=pupil.school_year)
    if hours:
        return _("%(child)s will be in grade %(grade)d in the school year %(school_year)s. Pupils in grades %(grades)s "
                 "have %(hours)d hours of free SFO a week.") % {**names, "hours": hours}
    return _("%(child)s will be in grade %(grade)d in the school year %(school_year)s. The %(hours)d free hours of SFO "
             "a week are only for grades %(grades)s.") % {**names, "hours": FREE_HOURS_PER_WEEK}


# --- Steps -------------------------------------------------------------------------------------

def _no_child_message() -> str:
    first, second = school_years_open(today=timezone.localdate())
    return _("None of your children in the population register can have SFO in the school years %(first)s and "
             "%(second)s. SFO is for children in grades 1–4, and up to grade 7 for children with special needs. "
             "Is a child missing? Contact the municipality.") % {
        "first": school_year_label(first), "second": school_year_label(second)}


class ChildForm(StepForm):
    child = forms.ChoiceField(label=gettext_lazy("Which child are you applying for?"), widget=forms.RadioSelect,
                              error_messages={"required": gettext_lazy("Choose the child you are applying for."),
                                              "invalid_choice": gettext_lazy("Choose one of the children in the list.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        choices = []
        for child in _children(self.application):
            grades = open_grades(child, today=today)
            if grades:
                born = _("%(name)s, born %(date)s") % {"name": child.full_name,
                                                       "date": date_format(child.birth_date, "DATE_FORMAT")}
                choices.append((child_token(child.national_id),
                                f"{born} ({', '.join(_grade_text(g, y) for y, g in grades)})"))
        if choices:
            self.fields["child"].choices = choices
            self.fields["child"].help_text = _("From the population register, with the grade the child will be in. SFO "
                                               "is for grades 1–4, and up to grade 7 for children with special needs.")
        else:
            # No empty choice: the page says why (extra_context), and "Next" says it again.
            del self.fields["child"]

    def clean(self):
        cleaned = super().clean()
        if "child" not in self.fields:
            raise forms.ValidationError(_no_child_message(), code="no_child")
        return cleaned

    def extra_context(self):
        return {} if "child" in self.fields else {"notice": ("warning", _no_child_message())}

    def summary_rows(self):
        child = next(c for c in _children(self.application) if child_token(c.national_id) == self.cleaned_data["child"])
        others = _guardian_names(child, self.application.applicant.national_id)
        return [(_("Child"), f"{child.full_name}, {date_format(child.birth_date, 'DATE_FORMAT')}"),
                (_("Other guardian"), ", ".join(others) or "–")]


class PlaceForm(StepForm):
    school = forms.ModelChoiceField(
        # The application's municipality's schools, set per form (School is municipality-scoped).
        label=gettext_lazy("School"), queryset=School.objects.none(),
        empty_label=gettext_lazy("Choose a school"),
        help_text=gettext_lazy("The schools in the municipality that offer SFO. Usually the school the child attends."),
        error_messages={"required": gettext_lazy("Choose a school."),
                        "invalid_choice": gettext_lazy("Choose a school from the list.")})
    start_date = forms.DateField(label=gettext_lazy("Desired start date"), widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text=gettext_lazy("The school year starts in August. SFO is offered in the school year."),
                                 error_messages={"required": gettext_lazy("Enter the date you want the place from."),
                                                 "invalid": gettext_lazy("Enter a date like 2027-08-01.")})
    place_kind = forms.ChoiceField(label=gettext_lazy("Kind of place"), widget=forms.RadioSelect,
                                   error_messages={"required": gettext_lazy("Choose the kind of place."),
                                                   "invalid_choice": gettext_lazy("Choose one of the kinds of place in the list.")})
    morning = forms.ChoiceField(label=gettext_lazy("Do you also want morning SFO, before school starts?"),
                                choices=YES_NO, widget=forms.RadioSelect,
                                error_messages={"required": gettext_lazy("Answer whether you want morning SFO.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(active=True,
                                                               municipality_id=self.application.municipality_id)
        kinds = [("full", _("Full place (5 days a week)")), ("4_days", _("4 days a week")),
                 ("3_days", _("3 days a week")), ("2_days", _("2 days a week"))]
        child = chosen_child(self.application)
        # "Only the free hours" where the child's grade has them in a school year one can apply for
        # (without the child, the child step reports that; the start date is checked in clean()).
        if child is None or any(free_hours(grade=g, school_year=y) for y, g in open_grades(child, today=timezone.localdate())):
            kinds.append((FREE_HOURS_ONLY, _("Only the free hours (%(hours)d hours a week)") % {"hours": FREE_HOURS_PER_WEEK}))
        self.fields["place_kind"].choices = kinds

    def clean_start_date(self):
        start = self.cleaned_data["start_date"]
        today = timezone.localdate()
        if start < today:
            raise forms.ValidationError(_("The start date cannot be in the past."))
        if start > today + datetime.timedelta(days=MAX_START_DAYS):
            raise forms.ValidationError(_("Choose a start date within a year."))
        return start

    def clean(self):
        cleaned = super().clean()
        child, start = chosen_child(self.application), cleaned.get("start_date")
        if child is None or start is None:
            return cleaned
        school_year = school_year_of(start)
        grade = grade_in(birth_date=child.birth_date, school_year=school_year)
        names = {"child": child.first_name, "grade": grade, "school_year": school_year_label(school_year)}
        if grade < FIRST_GRADE:
            self.add_error("start_date", _("%(child)s starts school in August %(year)d. Choose a start date from then.") % {
                **names, "year": first_school_year(child.birth_date)})
            return cleaned
        if grade > LAST_SPECIAL_NEEDS_GRADE:
            self.add_error("start_date", _("%(child)s will be in grade %(grade)d in the school year %(school_year)s. SFO is "
                                           "for grades 1–4, and up to grade 7 for children with special needs.") % names)
            return cleaned
        school = cleaned.get("school")
        special_needs = _saved_special_needs(self.application) or needs_special_needs(grade)
        if school and not school_offers_sfo(school, grade=grade, special_needs=special_needs):
            self.add_error("school", _("%(school)s has SFO for grades %(grades)s. %(child)s will be in grade %(grade)d in "
                                       "the school year %(school_year)s.") % {
                **names, "school": school.name, "grades": school.grades_display(special_needs=special_needs)})
        if cleaned.get("place_kind") == FREE_HOURS_ONLY and not free_hours(grade=grade, school_year=school_year):
            self.add_error("place_kind", _("The free hours are for grades %(grades)s in the school year %(school_year)s, and "
                                           "%(child)s will be in grade %(grade)d. Choose a place of 2 to 5 days a week.") % {
                **names, "grades": grades_display(free_hours_grades(school_year=school_year))})
        return cleaned

    def summary_rows(self):
        school = self.cleaned_data["school"]
        rows = [(_("School"), f"{school.name}, {school.address}"),
                (str(self["start_date"].label), display_value(self.fields["start_date"], self.cleaned_data["start_date"]))]
        pupil = pupil_for(self.application)
        if pupil:
            rows.append((_("Grade"), _grade_text(pupil.grade, pupil.school_year)))
        rows += [(str(self[name].label), display_value(self.fields[name], self.cleaned_data[name]))
                 for name in ("place_kind", "morning")]
        if pupil:
            rows.append((_("Free hours"), _free_hours_notice(pupil, special_needs=_saved_special_needs(self.application))))
        return rows

    def extra_context(self):
        pupil = pupil_for(self.application)
        if pupil and may_apply(pupil.grade):
            return {"notice": ("info", _free_hours_notice(pupil, special_needs=_saved_special_needs(self.application)))}
        # Before a start date is saved: the free hours of the coming school year.
        year = school_years_open(today=timezone.localdate())[1]
        return {"notice": ("info", _("In the school year %(school_year)s, pupils in grades %(grades)s have %(hours)d "
                                     "hours of free SFO a week.") % {
            "school_year": school_year_label(year), "hours": FREE_HOURS_PER_WEEK,
            "grades": grades_display(free_hours_grades(school_year=year))})}


class NeedsForm(StepForm):
    GROUNDS = [("disability", gettext_lazy("The child has a disability")),
               ("child_welfare", gettext_lazy("The child welfare service has made a decision for the child"))]
    special_needs = forms.ChoiceField(
        label=gettext_lazy("Does the child have special needs?"), choices=YES_NO, widget=forms.RadioSelect,
        help_text=gettext_lazy("Children with special needs may have SFO up to grade 7, free of charge in grades 5–7."),
        error_messages={"required": gettext_lazy("Answer whether the child has special needs.")})
    needs_explanation = forms.CharField(
        label=gettext_lazy("Describe the needs briefly"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Required from grade 5. For example what the child needs help with, and whether there "
                               "is an expert assessment."))
    grounds = forms.MultipleChoiceField(label=gettext_lazy("Grounds for priority"), choices=GROUNDS, required=False,
                                        widget=forms.CheckboxSelectMultiple,
                                        help_text=gettext_lazy("Leave empty if none applies. If one applies, attach documentation below."))

    def clean(self):
        cleaned = super().clean()
        pupil = pupil_for(self.application)
        if pupil is None or not needs_special_needs(pupil.grade):
            return cleaned
        names = {"child": pupil.child.first_name, "grade": pupil.grade, "school_year": pupil.school_year_label}
        if cleaned.get("special_needs") == "no":
            self.add_error("special_needs", _("%(child)s will be in grade %(grade)d in the school year %(school_year)s. "
                                              "From grade 5, SFO is only for children with special needs.") % names)
        elif cleaned.get("special_needs") == "yes" and not cleaned.get("needs_explanation", "").strip():
            self.add_error("needs_explanation", _("Describe the needs briefly: from grade 5 they are the grounds for "
                                                  "the place."))
        return cleaned

    def summary_rows(self):
        rows = super().summary_rows()
        if self.cleaned_data.get("special_needs") != "yes":
            rows = [row for row in rows if row[0] != str(self["needs_explanation"].label)]
        return rows

    def extra_context(self):
        pupil = pupil_for(self.application)
        if pupil and needs_special_needs(pupil.grade):
            return {"notice": ("warning", _("%(child)s will be in grade %(grade)d in the school year %(school_year)s. From "
                                            "grade 5, SFO is only for children with special needs, and it is free of "
                                            "charge.") % {"child": pupil.child.first_name, "grade": pupil.grade,
                                                          "school_year": pupil.school_year_label})}
        return {}


class InvoiceForm(StepForm):
    invoice_to = forms.ChoiceField(label=gettext_lazy("Who receives the invoice?"), widget=forms.RadioSelect,
                                   error_messages={"required": gettext_lazy("Choose who receives the invoice.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("applicant", _("Me (%(name)s)") % {"name": self.application.applicant.get_full_name()})]
        child = chosen_child(self.application)
        if child:
            others = _guardian_names(child, self.application.applicant.national_id)
            if others:
                choices.append(("other_guardian", _("The other guardian (%(name)s)") % {"name": others[0]}))
        self.fields["invoice_to"].choices = choices


def _priority_claimed(cleaned: dict) -> bool:
    return bool(cleaned.get("grounds"))


# --- The service -------------------------------------------------------------------------------

class SfoPlace(ApplicationType):
    key = "sfo"
    title = gettext_lazy("SFO place")
    summary_text = gettext_lazy("Apply for a place in the after-school programme (SFO) for your child in grades 1–4, "
                                "or up to grade 7 for a child with special needs.")
    who_may_apply = gettext_lazy("Parents and guardians of children in grades 1–4 (1–7 with special needs) who live "
                                 "in the municipality.")
    what_you_need = gettext_lazy("The school and the start date you want. Documentation if you apply for priority "
                                 "(disability or a child welfare decision).")
    processing_time = gettext_lazy("Usually within a month. If it takes longer, we tell you why and when to expect "
                                   "an answer.")
    department_code = "sfo"  # created by migrations/0002_department.py (the first municipality)
    department_name = "SFO"
    persons_may_apply = True
    organisations_may_apply = False
    paper_applications_per_year = 30
    # The processing deadline is CaseType's default: there is no statutory deadline for SFO, and
    # forvaltningsloven § 11 a asks for a preliminary answer after a month (sfo/rules.py).
    wording = {
        (Case.Status.DECIDED, "approved"): pgettext_lazy("sfo", "Place granted"),
        (Case.Status.DECIDED, "partly"): pgettext_lazy("sfo", "Place granted with changes"),
        (Case.Status.DECIDED, "rejected"): pgettext_lazy("sfo", "No place"),
        (Case.Status.CLOSED, "approved"): pgettext_lazy("sfo", "Place granted"),
        (Case.Status.CLOSED, "partly"): pgettext_lazy("sfo", "Place granted with changes"),
        (Case.Status.CLOSED, "rejected"): pgettext_lazy("sfo", "No place"),
    }
    steps = [
        Step("child", gettext_lazy("Child"), ChildForm),
        Step("place", gettext_lazy("Place and school"), PlaceForm),
        Step("needs", gettext_lazy("Needs and priority"), NeedsForm, attachments=(
            AttachmentSlot("priority_documentation", gettext_lazy("Documentation of the grounds for priority"),
                           gettext_lazy("For example a statement from a doctor or the child welfare service."),
                           required=_priority_claimed),
        )),
        Step("invoice", gettext_lazy("Invoice"), InvoiceForm),
    ]

    def initial(self, *, step, application):
        if step.name == "child":
            today = timezone.localdate()
            eligible = [c for c in _children(application) if open_grades(c, today=today)]
            if len(eligible) == 1:
                return {"child": child_token(eligible[0].national_id)}
        if step.name == "invoice":
            return {"invoice_to": "applicant"}
        return {}

    def case_title(self, *, application):
        child = chosen_child(application)
        return _("SFO place for %(name)s") % {"name": child.first_name} if child else str(self.title)

    def case_facts(self, *, application):
        """The child (first name and birth date, from the register), the grade in the school year
        of the start, the school, the start, the kind of place, special needs and the grounds
        for priority: what the caseworker and later work need without the draft or the register."""
        pupil = pupil_for(application)
        place = application.data.get("place") or {}
        school = place.get("school")
        return {
            "child_first_name": pupil.child.first_name if pupil else "",
            "child_birth_date": pupil.child.birth_date.isoformat() if pupil else None,
            "school_year": pupil.school_year if pupil else None,
            "grade": pupil.grade if pupil else None,
            "school": int(school) if str(school or "").isdigit() else None,
            "start_date": pupil.start.isoformat() if pupil else None,
            "place_kind": place.get("place_kind") or "",
            "morning": place.get("morning") == "yes",
            "special_needs": _saved_special_needs(application),
            "priority": list((application.data.get("needs") or {}).get("grounds") or []),
        }

    def receipt_facts(self, *, application):
        child = chosen_child(application)
        return {"child_name": child.full_name if child else ""}

    def what_happens_next(self, *, application):
        return _("A caseworker checks the application and decides it; you get the decision on Min Side, with how to "
                 "appeal. If it takes more than a month, we tell you why and when to expect an answer. You can follow "
                 "the case on Min Side.")

    def automated_checks(self, application):
        """The grounds for priority are documented; the child is still the applicant's child in the
        population register and lives in the municipality; the grade at the start allows SFO
        (1–4, or 5–7 with special needs); the school's SFO takes that grade; and (information)
        the free hours that apply."""
        results = attachment_checks(self, application)
        if not (application.data.get("needs") or {}).get("grounds"):
            results.append(CheckResult("priority", True, _("No grounds for priority given."), required=False))
        child = chosen_child(application)
        if child is None:
            results.append(CheckResult("child", False, _("The child is not among the applicant's children in the population register."),
                                       _("We could not find the child among your children in the population register.")))
            return results
        names = {"child": child.first_name, "address": child.address}
        if lives_in_municipality(address=child.address, municipality=application.municipality):
            results.append(CheckResult("resident", True, _("%(child)s lives in the municipality (%(address)s).") % names))
        else:
            results.append(CheckResult("resident", False, _(
                "%(child)s does not live in the municipality according to the population register (%(address)s).") % names,
                _("According to the population register, %(child)s does not live in the municipality.") % names))
        pupil = pupil_for(application)
        if pupil is None:
            results.append(CheckResult("start_date", False, _("No valid start date."), _("The desired start date is missing.")))
            return results
        special_needs = _saved_special_needs(application)
        names = {"child": child.first_name, "grade": pupil.grade, "school_year": pupil.school_year_label}
        if may_have_sfo(grade=pupil.grade, special_needs=special_needs):
            results.append(CheckResult("grade", True, (
                _("%(child)s will be in grade %(grade)d in %(school_year)s, with special needs: SFO up to grade 7.")
                if needs_special_needs(pupil.grade) else
                _("%(child)s will be in grade %(grade)d in %(school_year)s: SFO for grades 1–4.")) % names))
        else:
            results.append(CheckResult("grade", False, _(
                "%(child)s will be in grade %(grade)d in %(school_year)s (from the birth date), which does not give SFO: "
                "grades 1–4, and 5–7 only with special needs. If the child started school early or late, ask the "
                "family for information.") % names,
                _("According to the population register, %(child)s will be in grade %(grade)d in the school year "
                  "%(school_year)s, which does not give an SFO place.") % names))
        raw_school = str((application.data.get("place") or {}).get("school") or "")
        school = School.objects.filter(pk=int(raw_school)).first() if raw_school.isdigit() else None
        grade_special = special_needs or needs_special_needs(pupil.grade)
        if school is None or not school.active:
            results.append(CheckResult("school", False, _("The chosen school no longer takes SFO applications."),
                                       _("The school you chose no longer takes SFO applications.")))
        elif school_offers_sfo(school, grade=pupil.grade, special_needs=grade_special):
            results.append(CheckResult("school", True, _("%(school)s has SFO for grade %(grade)d.") % {
                "school": school.name, "grade": pupil.grade}))
        else:
            results.append(CheckResult("school", False, _("%(school)s has SFO for grades %(grades)s, not grade %(grade)d.") % {
                "school": school.name, "grades": school.grades_display(special_needs=grade_special), "grade": pupil.grade},
                _("%(school)s does not offer SFO for grade %(grade)d.") % {"school": school.name, "grade": pupil.grade}))
        something_free = free_of_charge(grade=pupil.grade, special_needs=special_needs, school_year=pupil.school_year) \
            or free_hours(grade=pupil.grade, school_year=pupil.school_year) > 0
        results.append(CheckResult("free_hours", something_free, _free_hours_notice(pupil, special_needs=special_needs),
                                   required=False))
        return results
