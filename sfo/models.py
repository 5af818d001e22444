"""The schools that offer SFO, kept by the municipality in the admin."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

# Primary school (barneskolen) runs from grade 1 to grade 7.
GRADE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(7)]


class School(models.Model):
    """A school with SFO. Which grades its SFO takes: `lowest_grade`–`highest_grade`, and up to
    `special_needs_highest_grade` for pupils with special needs (opplæringslova § 4-5)."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("municipality"))
    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=200)
    lowest_grade = models.PositiveSmallIntegerField(_("lowest grade"), default=1, validators=GRADE_VALIDATORS)
    highest_grade = models.PositiveSmallIntegerField(_("highest grade"), default=4, validators=GRADE_VALIDATORS)
    special_needs_highest_grade = models.PositiveSmallIntegerField(
        _("highest grade for pupils with special needs"), default=7, validators=GRADE_VALIDATORS,
        help_text=_("The law requires SFO up to grade 7 for pupils with special needs."))
    active = models.BooleanField(_("takes applications"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(municipality="municipality")

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lowest_grade__gte=1, lowest_grade__lte=F("highest_grade"),
                            highest_grade__lte=F("special_needs_highest_grade"), special_needs_highest_grade__lte=7),
                name="sfo_school_grades_in_order",
                violation_error_message=_("The grades must be in order: lowest ≤ highest ≤ highest for pupils "
                                          "with special needs, all between 1 and 7."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def grades_display(self, *, special_needs: bool = False) -> str:
        highest = self.special_needs_highest_grade if special_needs else self.highest_grade
        return f"{self.lowest_grade}–{highest}"
