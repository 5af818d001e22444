"""The building permit fee schedule (gebyrregulativ): the municipality's own, edited in the admin."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class BuildingFee(models.Model):
    """One line of the municipality's fee schedule for building permits (gebyrregulativ).
    The fee in force is the newest line with `valid_from` on or before the day of applying."""

    class PermitKind(models.TextChoices):
        WITH_RESPONSIBLE = "20-3", _("With a responsible applicant (§ 20-3)")
        WITHOUT_RESPONSIBLE = "20-4", _("Without a responsible applicant (§ 20-4)")

    class Category(models.TextChoices):
        NEW_DWELLING = "new_dwelling", _("New dwelling")
        EXTENSION = "extension", _("Extension or annex")
        GARAGE = "garage", _("Garage, shed or other small building")
        CHANGE_OF_USE = "change_of_use", _("Change of use")
        COMMERCIAL = "commercial", _("Commercial or industrial building")
        OTHER = "other", _("Other")

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("municipality"))
    permit_kind = models.CharField(_("kind of permit"), max_length=4, choices=PermitKind.choices)
    category = models.CharField(_("project"), max_length=20, choices=Category.choices)
    amount = models.DecimalField(_("fee (NOK)"), max_digits=10, decimal_places=0)
    valid_from = models.DateField(_("valid from"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(municipality="municipality")

    class Meta:
        verbose_name = _("building permit fee")
        verbose_name_plural = _("building permit fees")
        ordering = ["permit_kind", "category", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "permit_kind", "category", "valid_from"], name="building_permit_fee_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_permit_kind_display()} – {self.get_category_display()}: {self.amount} kr"
