import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class AbandonedDraft(models.Model):
    """A draft application deleted without being submitted (expired after
    APPLICATION_DRAFT_DAYS, or deleted by the applicant). The draft itself is gone; this row
    keeps it in the completion rate. Only the type and two dates: no person, no content."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("municipality"))
    type_key = models.CharField(_("application type"), max_length=50)
    started_at = models.DateTimeField(_("started"))  # the draft's created_at
    created_at = models.DateTimeField(_("deleted"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(municipality="municipality")

    class Meta:
        verbose_name = _("abandoned draft")
        verbose_name_plural = _("abandoned drafts")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["started_at", "type_key"])]

    def __str__(self) -> str:
        return f"{self.type_key} {self.started_at:%Y-%m-%d}"
