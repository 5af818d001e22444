"""factory_boy factories shared by all tests."""

import datetime
import itertools

import factory
from django.contrib.auth.hashers import make_password

from accounts.idnumbers import make_national_id
from accounts.models import Department, Municipality, MunicipalityHost, Organisation, Representation, User

_individual = itertools.count(100)
_org_base = itertools.count(10000000)


def _next_national_id() -> str:
    # Synthetic (Tenor) numbers that no demo person has: born 1 Jan 1970 + n days.
    n = next(_individual)
    return make_national_id(datetime.date(1970, 1, 1) + datetime.timedelta(days=n), 200 + n % 300, synthetic="tenor")


def _next_organisation_number() -> str:
    from accounts.idnumbers import ORG_WEIGHTS, _mod11_control

    while True:
        base = str(next(_org_base))[:8].zfill(8)
        k = _mod11_control(base, ORG_WEIGHTS)
        if k is not None:
            return base + str(k)


class MunicipalityFactory(factory.django.DjangoModelFactory):
    """A municipality. Without arguments: the installation's first one (3301, as the data
    migration makes it), so single-municipality tests need nothing else."""

    class Meta:
        model = Municipality
        django_get_or_create = ("number",)

    number = "3301"
    name = factory.LazyAttribute(lambda o: {"3301": "Eksempel kommune", "3312": "Lier kommune",
                                            "3314": "Øvre Eiker kommune"}.get(o.number, f"Kommune {o.number}"))
    email = factory.LazyAttribute(lambda o: f"postmottak@{o.number}.kommune.example")
    phone = "32 00 00 00"


class MunicipalityHostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MunicipalityHost
        django_get_or_create = ("host",)

    municipality = factory.SubFactory(MunicipalityFactory)
    host = factory.Sequence(lambda n: f"kommune{n}.localhost")
    primary = True


def default_municipality():
    return MunicipalityFactory()


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("municipality", "code")

    municipality = factory.SubFactory(MunicipalityFactory)

    code = factory.Sequence(lambda n: f"avd-{n}")
    name = factory.Sequence(lambda n: f"Avdeling {n}")


class CitizenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    national_id = factory.LazyFunction(_next_national_id)
    first_name = factory.Faker("first_name", locale="no_NO")
    last_name = factory.Faker("last_name", locale="no_NO")
    password = factory.LazyFunction(lambda: make_password(None))


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"saksbehandler{n}@kommune.example")
    first_name = factory.Faker("first_name", locale="no_NO")
    last_name = factory.Faker("last_name", locale="no_NO")
    is_staff = True
    password = factory.LazyFunction(lambda: make_password("correct-horse-battery"))

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if create and extracted:
            self.departments.set(extracted)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    organisation_number = factory.LazyFunction(_next_organisation_number)
    name = factory.Sequence(lambda n: f"Firma {n} AS")


class RepresentationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Representation

    person = factory.SubFactory(CitizenFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Representation.Role.GENERAL_MANAGER


# --- correspondence ---------------------------------------------------------------------------
from django.utils import timezone  # noqa: E402

from correspondence.models import Letter, Message, MessageThread  # noqa: E402


class LetterFactory(factory.django.DjangoModelFactory):
    """A letter row as letter_create() writes it (without its outbox row or PDF)."""

    class Meta:
        model = Letter

    municipality = factory.LazyAttribute(lambda o: o.case.municipality if o.case else default_municipality())
    case = None
    recipient = factory.SubFactory(CitizenFactory)
    kind = Letter.Kind.GENERAL
    title = factory.Sequence(lambda n: f"Brev {n}")
    template = "correspondence/pdf/general.html"
    context = factory.LazyFunction(lambda: {"body": "Dette er et brev fra kommunen."})
    sent_at = factory.LazyFunction(timezone.now)


class MessageThreadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MessageThread

    municipality = factory.LazyAttribute(lambda o: o.case.municipality if o.case else default_municipality())
    case = None
    citizen = factory.SubFactory(CitizenFactory)
    subject = factory.Sequence(lambda n: f"Samtale {n}")
    last_message_at = factory.LazyFunction(timezone.now)


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    thread = factory.SubFactory(MessageThreadFactory)
    case = factory.LazyAttribute(lambda o: o.thread.case)
    sender = factory.LazyAttribute(lambda o: o.thread.citizen)
    body = factory.Sequence(lambda n: f"Melding {n}")


# --- applications ------------------------------------------------------------------------------
class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "applications.Application"

    municipality = factory.LazyFunction(default_municipality)
    type_key = "kindergarten"
    applicant = factory.SubFactory(CitizenFactory)
    data = factory.LazyFunction(dict)


# --- cases ------------------------------------------------------------------------------------
def _case_now():
    from django.utils import timezone

    return timezone.now()


class CaseFactory(factory.django.DjangoModelFactory):
    """A case as application_submit() leaves it (status received). For the real path with
    its first timeline event use cases.services.case_create()."""

    class Meta:
        model = "cases.Case"

    case_number = factory.Sequence(lambda n: f"2026/{n + 1}")
    application_type = "kindergarten"
    title = "Søknad om barnehageplass"
    department = factory.SubFactory(DepartmentFactory, code="barnehage", name="Barnehage")
    municipality = factory.LazyAttribute(lambda o: o.department.municipality)
    applicant = factory.SubFactory(CitizenFactory)
    received_at = factory.LazyFunction(_case_now)
    deadline = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=30))


# --- notifications ----------------------------------------------------------------------------
class NotificationFactory(factory.django.DjangoModelFactory):
    """An outbox row as notification_create() writes it (status created, channel chosen at
    delivery). Delivery is what the tests drive, through notifications.services."""

    class Meta:
        model = "notifications.Notification"

    municipality = factory.LazyFunction(default_municipality)
    recipient = factory.SubFactory(CitizenFactory)
    template = "case_status_changed"
    context = factory.LazyFunction(lambda: {"case_number": "2026/1"})
    idempotency_key = factory.Sequence(lambda n: f"test-notification-{n}")


# --- insights ---------------------------------------------------------------------------------
class LetterDeliveryFactory(NotificationFactory):
    """The outbox row of a letter's own delivery ("letter" template), as routing left it:
    pass `channel` and `status` (e.g. paper/sending, digital_mailbox/delivered)."""

    template = "letter"
    letter = factory.SubFactory(LetterFactory)
    municipality = factory.LazyAttribute(lambda o: o.letter.municipality)
    recipient = factory.LazyAttribute(lambda o: o.letter.recipient)
    case = factory.LazyAttribute(lambda o: o.letter.case)
    context = factory.LazyFunction(dict)


# --- threads ----------------------------------------------------------------------------------
def in_test_context(func):
    """A thread's target that runs with the test's context (its municipality scope, which a new
    thread would not inherit: django-scopes keeps it in a context variable)."""
    import contextvars

    context = contextvars.copy_context()
    return lambda *args, **kwargs: context.copy().run(func, *args, **kwargs)
