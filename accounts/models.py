import uuid

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .idnumbers import mask_national_id, validate_national_id, validate_organisation_number


def _new_username() -> str:
    return uuid.uuid4().hex


class UserManager(DjangoUserManager):
    """Users log in by e-mail (staff) or national identity number (citizens, via ID-porten);
    the username is an internal handle we generate."""

    def _create_user(self, username, email, password, **extra_fields):
        username = username or _new_username()
        return super()._create_user(username, email, password, **extra_fields)

    def create_user(self, username=None, email=None, password=None, **extra_fields):
        return super().create_user(username, email, password, **extra_fields)

    def create_superuser(self, username=None, email=None, password=None, **extra_fields):
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A citizen (identified by national identity number) or a member of staff (by e-mail)."""

    class Language(models.TextChoices):
        BOKMAL = "nb", "Norsk bokmål"
        NYNORSK = "nn", "Norsk nynorsk"
        ENGLISH = "en", "English"

    # An internal handle: people log in by e-mail (staff) or through ID-porten (citizens).
    username = models.CharField(_("username"), max_length=150, unique=True, default=_new_username)
    # Stored once, unique, never shown in full; see accounts/idnumbers.py.
    national_id = models.CharField(
        _("national identity number"), max_length=11, unique=True, null=True, blank=True,
        validators=[validate_national_id],
    )
    email = models.EmailField(_("e-mail address"), blank=True, db_index=True)
    mobile = models.CharField(_("mobile number"), max_length=20, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, blank=True,
    )
    departments = models.ManyToManyField(
        "accounts.Department", blank=True, related_name="members", verbose_name=_("departments"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="accounts_user_unique_email"
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email or _("User %(pk)s") % {"pk": self.pk}

    @property
    def masked_national_id(self) -> str:
        return mask_national_id(self.national_id)

    @property
    def is_citizen(self) -> bool:
        return bool(self.national_id)


class Organisation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation_number = models.CharField(
        _("organisation number"), max_length=9, unique=True,
        validators=[validate_organisation_number],
    )
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation_number})"


class RepresentationQuerySet(models.QuerySet):
    def valid_on(self, day=None):
        day = day or timezone.localdate()
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class Representation(models.Model):
    """A person may act for an organisation in a role (like a role in Altinn)."""

    class Role(models.TextChoices):
        GENERAL_MANAGER = "daglig_leder", _("General manager")
        CHAIR = "styreleder", _("Chair of the board")
        PROXY = "fullmektig", _("Authorised representative")
        RESPONSIBLE_APPLICANT = "ansvarlig_soker", _("Responsible applicant")

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="representations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="representations")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RepresentationQuerySet.as_manager()

    class Meta:
        verbose_name = _("representation")
        verbose_name_plural = _("representations")
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["person", "organisation", "role"], name="accounts_representation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.organisation} ({self.get_role_display()})"


class Department(models.Model):
    """A municipal department with its own case queue (e.g. Barnehage, Byggesak)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("contact e-mail"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
