import uuid

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from .idnumbers import mask_national_id, validate_national_id, validate_organisation_number
from .kommunenummer import validate_kommunenummer


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
    # Manages the municipalities of the installation (a national operator, or an IKT-samarbeid's
    # operations): never sees case data (accounts.tenancy gives such a request an empty scope).
    is_national_operator = models.BooleanField(
        _("national operator"), default=False,
        help_text=_("Manages the municipalities on this installation; sees no case data."))
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


class Municipality(models.Model):
    """A municipality (kommune) served by this installation, with every choice that is the
    municipality's own: its names, letterhead, contact details, sender identities, the host
    names it is served on; its departments, services (applications.ApplicationTypeConfig),
    kindergartens, fees and baselines point here. Edited in the admin; the environment holds
    only infrastructure. Not itself scoped: the landing page lists them all."""

    number = models.CharField(_("municipality number"), max_length=4, unique=True,
                              validators=[validate_kommunenummer],
                              help_text=_("Four digits, from SSB's current list (e.g. 3301 Drammen)."))
    name = models.CharField(_("name (bokmål)"), max_length=100)
    name_nn = models.CharField(_("name (nynorsk)"), max_length=100, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    name_se = models.CharField(_("name (Northern Sami)"), max_length=100, blank=True,
                               help_text=_("Only where the municipality has an official Sami name."))
    coat_of_arms = models.FileField(_("coat of arms (SVG or PNG)"), upload_to="municipalities/", blank=True)
    organisation_number = models.CharField(_("organisation number"), max_length=9, blank=True,
                                           validators=[validate_organisation_number],
                                           help_text=_("The organisation letters are sent as."))
    email = models.EmailField(_("postal e-mail (postmottak)"))
    phone = models.CharField(_("phone"), max_length=30)
    visiting_address = models.CharField(_("visiting address"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    # Sender identities: Fiks Arkiv's system/archive id and the digital-post (SvarUt/DPI)
    # sender id are the municipality's own, so its letters never leave under another's name.
    archive_sender_id = models.CharField(_("archive sender identity (Fiks Arkiv)"), max_length=100, blank=True)
    digital_post_sender_id = models.CharField(_("digital post sender identity"), max_length=100, blank=True)
    # ID-porten: this municipality's onbehalfof value on the installation's one client
    # (accounts.idporten); blank when the client is registered for this municipality alone.
    idporten_onbehalfof = models.SlugField(_("ID-porten onbehalfof"), max_length=100, blank=True)
    # Statistics (insights): the municipality's own estimate of what a paper letter costs.
    cost_per_paper_letter = models.DecimalField(_("cost per paper letter (NOK)"), max_digits=8, decimal_places=2,
                                                default=25)
    publish_statistics = models.BooleanField(
        _("publish statistics to other municipalities"), default=False,
        help_text=_("Other municipalities on this installation may see this municipality's figures by name."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the active language (bokmål when there is none in it): "Drammen kommune"."""
        language = get_language() or "nb"
        name = {"nn": self.name_nn, "en": self.name_en, "se": self.name_se}.get(language[:2]) or self.name
        return name

    @property
    def primary_host(self) -> str:
        host = next((h for h in self._hosts() if h.primary), None) or next(iter(self._hosts()), None)
        return host.host if host else ""

    def _hosts(self):
        # Prefetched by the host resolver (accounts.tenancy), so asking costs no query then.
        return list(self.hosts.all())


class MunicipalityHost(models.Model):
    """A host name a municipality is served on (drammen.minside.example, or its own domain).
    Each host belongs to one municipality: the request's municipality is decided by it."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="hosts",
                                     verbose_name=_("municipality"))
    host = models.CharField(_("host name"), max_length=253, unique=True,
                            help_text=_("Without scheme or port, e.g. drammen.minside.example"))
    primary = models.BooleanField(_("primary"), default=False,
                                  help_text=_("Used in links in e-mails and SMS."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("host name")
        verbose_name_plural = _("host names")
        ordering = ["-primary", "host"]

    def __str__(self) -> str:
        return self.host

    def save(self, *args, **kwargs):
        self.host = self.host.strip().lower().split(":")[0]
        super().save(*args, **kwargs)


class MunicipalityRole(models.Model):
    """A member of staff's role in a municipality beyond working its departments' cases (which
    membership of a department gives): the department lead and the municipal administrator,
    who edits the municipality's choices. A person may hold roles in several municipalities
    (an IKT-samarbeid's shared staff) and works in the one whose host they are on."""

    class Role(models.TextChoices):
        DEPARTMENT_LEAD = "department_lead", _("Department lead")
        ADMINISTRATOR = "administrator", _("Municipal administrator")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="municipality_roles")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="roles",
                                     verbose_name=_("municipality"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(municipality="municipality")

    class Meta:
        verbose_name = _("role in a municipality")
        verbose_name_plural = _("roles in municipalities")
        ordering = ["municipality__name", "role"]
        constraints = [models.UniqueConstraint(fields=["user", "municipality", "role"],
                                               name="accounts_municipality_role_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.municipality})"


class Department(models.Model):
    """A municipal department with its own case queue (e.g. Barnehage, Byggesak), in one
    municipality. Scoped: only the request's municipality's departments are ever read."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="departments",
                                     verbose_name=_("municipality"))
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("contact e-mail"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(municipality="municipality")

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "code"],
                                               name="accounts_department_unique_code")]

    def __str__(self) -> str:
        return self.name
