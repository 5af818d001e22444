"""factory_boy factories shared by all tests."""

import datetime
import itertools

import factory
from django.contrib.auth.hashers import make_password

from accounts.idnumbers import make_national_id
from accounts.models import Department, Organisation, Representation, User

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


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

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

    recipient = factory.SubFactory(CitizenFactory)
    kind = Letter.Kind.GENERAL
    title = factory.Sequence(lambda n: f"Brev {n}")
    template = "correspondence/pdf/general.html"
    context = factory.LazyFunction(lambda: {"body": "Dette er et brev fra kommunen."})
    sent_at = factory.LazyFunction(timezone.now)


class MessageThreadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MessageThread

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
    applicant = factory.SubFactory(CitizenFactory)
    received_at = factory.LazyFunction(_case_now)
    deadline = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=30))


# --- notifications ----------------------------------------------------------------------------
class NotificationFactory(factory.django.DjangoModelFactory):
    """An outbox row as notification_create() writes it (status created, channel chosen at
    delivery). Delivery is what the tests drive, through notifications.services."""

    class Meta:
        model = "notifications.Notification"

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
    recipient = factory.LazyAttribute(lambda o: o.letter.recipient)
    case = factory.LazyAttribute(lambda o: o.letter.case)
    context = factory.LazyFunction(dict)
