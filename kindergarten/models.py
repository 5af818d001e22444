"""Kindergartens, and admission (opptak): rounds of offers, and each offer's answer."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class Kindergarten(models.Model):
    class AgeGroups(models.TextChoices):
        SMALL = "0-2", _("Ages 0–2")
        LARGE = "3-5", _("Ages 3–5")
        ALL = "0-5", _("Ages 0–5")

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("municipality"))
    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=200)
    age_groups = models.CharField(_("age groups"), max_length=3, choices=AgeGroups.choices, default=AgeGroups.ALL)
    capacity = models.PositiveSmallIntegerField(_("capacity (children)"))
    active = models.BooleanField(_("takes applications"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(municipality="municipality")

    class Meta:
        verbose_name = _("kindergarten")
        verbose_name_plural = _("kindergartens")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AdmissionRound(models.Model):
    """One round of offers. The caseworker runs it once it is ready (kindergarten.services.
    admission_run); running it again only offers places to children still without one."""

    class Status(models.TextChoices):
        READY = "ready", _("Ready to run")
        RUNNING = "running", _("Running")
        DONE = "done", _("Offers sent")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("municipality"))
    name = models.CharField(_("name"), max_length=120)
    places_start = models.DateField(_("start date of the places"))
    reply_days = models.PositiveSmallIntegerField(_("days to reply"), default=10)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.READY)
    run_at = models.DateTimeField(_("run at"), null=True, blank=True)
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("run by"))
    offers_made = models.PositiveIntegerField(_("offers made"), default=0)
    waiting_list = models.PositiveIntegerField(_("on the waiting list"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(municipality="municipality")

    class Meta:
        verbose_name = _("admission round")
        verbose_name_plural = _("admission rounds")
        ordering = ["-places_start", "-created_at"]

    def __str__(self) -> str:
        return self.name


class Offer(models.Model):
    """A place offered to one child (one kindergarten case) in a round. Outstanding (sent)
    and accepted offers count against the kindergarten's capacity."""

    class Status(models.TextChoices):
        SENT = "sent", _("Waiting for your answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("No answer by the deadline (declined)")

    HOLDING = (Status.SENT, Status.ACCEPTED)  # offers that take a place

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="offers")
    kindergarten = models.ForeignKey(Kindergarten, on_delete=models.PROTECT, related_name="offers",
                                     verbose_name=_("kindergarten"))
    round = models.ForeignKey(AdmissionRound, on_delete=models.PROTECT, related_name="offers", verbose_name=_("round"))
    wish_rank = models.PositiveSmallIntegerField(_("wish"))
    start_date = models.DateField(_("start date"))
    reply_deadline = models.DateField(_("reply by"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SENT)
    keep_on_waiting_list = models.BooleanField(_("stays on the waiting list for a higher wish"), default=False)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    letter = models.ForeignKey("correspondence.Letter", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Owned through its case (a citizen's record): scoped by the case's municipality.
    objects = ScopedManager(records="case__municipality")

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["-created_at", "pk"]
        indexes = [
            models.Index(fields=["kindergarten", "status"]),
            models.Index(fields=["case", "status"]),
            models.Index(fields=["status", "reply_deadline"]),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kindergarten_id} {self.status}"

    @property
    def may_answer(self) -> bool:
        return self.status == self.Status.SENT and not self.is_past_deadline

    @property
    def is_past_deadline(self) -> bool:
        return timezone.localdate() > self.reply_deadline

    @staticmethod
    def deadline_for(*, sent: datetime.date, reply_days: int) -> datetime.date:
        return sent + datetime.timedelta(days=reply_days)


class WaitingListEntry(models.Model):
    """A child an admission run found no place for: the case was decided "on the waiting
    list" and later rounds offer it a place when one is free."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="waiting_list_entry")
    round = models.ForeignKey(AdmissionRound, on_delete=models.PROTECT, related_name="waiting_list_entries")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(records="case__municipality")

    class Meta:
        verbose_name = _("waiting list entry")
        verbose_name_plural = _("waiting list")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return str(self.case_id)
