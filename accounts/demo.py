"""Demo people, organisations and municipal IT. Idempotent. Each service's demo adds its own
department's caseworker with `staff_get_or_create` (the same password for all demo staff)."""

from django.contrib.auth.hashers import make_password

from registers import demo_data
from registers.population import population_register

from .models import Department, Organisation, Representation, User

STAFF_PASSWORD = "demo-passord-2026"
# e-mail, first name, last name, department codes, superuser: printed by load_demo_data.
STAFF = [("admin@kommune.example", "Ida", "IT-drift", [], True)]


def staff_get_or_create(*, email: str, first_name: str, last_name: str, department_codes=(),
                        superuser: bool = False) -> tuple[User, bool]:
    """A demo member of staff with STAFF_PASSWORD in the given departments (which exist: the
    services create theirs in a data migration)."""
    user = User.objects.filter(email=email).first()
    if user is not None:
        return user, False
    user = User.objects.create_user(email=email, password=STAFF_PASSWORD, first_name=first_name, last_name=last_name,
                                    is_staff=True, is_superuser=superuser)
    user.departments.set(Department.objects.filter(code__in=department_codes))
    return user, True


def load() -> int:
    created = 0
    for email, first, last, codes, superuser in STAFF:
        _user, was_created = staff_get_or_create(email=email, first_name=first, last_name=last,
                                                 department_codes=codes, superuser=superuser)
        created += was_created
    register = population_register()
    for national_id in demo_data.LOGIN_PEOPLE:
        person = register.person(national_id)
        _user, was_created = User.objects.get_or_create(
            national_id=national_id,
            defaults={"first_name": person.first_name, "last_name": person.last_name,
                      "password": make_password(None)},
        )
        created += was_created
    for org in demo_data.ORGANISATIONS:
        organisation, was_created = Organisation.objects.get_or_create(
            organisation_number=org["organisation_number"], defaults={"name": org["name"]}
        )
        created += was_created
        for national_id, role in org["representatives"]:
            _rep, was_created = Representation.objects.get_or_create(
                person=User.objects.get(national_id=national_id), organisation=organisation, role=role
            )
            created += was_created
    return created
