"""Demo people, organisations, departments and staff. Idempotent."""

from django.contrib.auth.hashers import make_password

from registers import demo_data
from registers.population import population_register

from .models import Department, Organisation, Representation, User

DEPARTMENTS = [("barnehage", "Barnehage"), ("byggesak", "Byggesak")]
STAFF_PASSWORD = "demo-passord-2026"
# e-mail, first name, last name, departments, superuser
STAFF = [
    ("admin@kommune.example", "Ida", "IT-drift", [], True),
    ("barnehage@kommune.example", "Berit", "Barnehagesen", ["barnehage"], False),
    ("byggesak@kommune.example", "Bjørn", "Byggesaksen", ["byggesak"], False),
]


def load() -> int:
    created = 0
    departments = {}
    for code, name in DEPARTMENTS:
        departments[code], was_created = Department.objects.get_or_create(code=code, defaults={"name": name})
        created += was_created
    for email, first, last, codes, superuser in STAFF:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=STAFF_PASSWORD, first_name=first, last_name=last,
                is_staff=True, is_superuser=superuser,
            )
            user.departments.set([departments[c] for c in codes])
            created += 1
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
