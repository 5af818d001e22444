"""Demo people, organisations and municipal IT. Idempotent. Each service's demo adds its own
department's caseworker with `staff_get_or_create` (the same password for all demo staff)."""

from django.contrib.auth.hashers import make_password

from registers import demo_data
from registers.population import population_register

from . import tenancy
from .models import Department, Municipality, MunicipalityHost, MunicipalityRole, Organisation, Representation, User

STAFF_PASSWORD = "demo-passord-2026"
# e-mail, first name, last name, department codes, superuser: printed by load_demo_data.
STAFF = [("admin@kommune.example", "Ida", "IT-drift", [], True)]

# The demo municipalities, on *.localhost host names (every browser resolves them to 127.0.0.1
# without any set-up): number, names (nb, nn, en), host, e-mail, phone, visiting address,
# organisation number. 127.0.0.1 stays Drammen's (the first municipality's host from SITE_URL);
# http://localhost:8000/ is the bare domain that lists them.
MUNICIPALITIES = [
    ("3301", "Drammen kommune", "Drammen kommune", "Drammen Municipality", "drammen.localhost",
     "postmottak@drammen.kommune.example", "32 04 00 00", "Engene 1, 3015 Drammen", "939214895"),
    ("3312", "Lier kommune", "Lier kommune", "Lier Municipality", "lier.localhost",
     "postmottak@lier.kommune.example", "32 22 01 00", "Rådhusveien 2, 3400 Lier", "857566122"),
    ("3314", "Øvre Eiker kommune", "Øvre Eiker kommune", "Øvre Eiker Municipality", "ovre-eiker.localhost",
     "postmottak@ovre-eiker.kommune.example", "32 25 10 00", "Rådhusplassen 1, 3300 Hokksund", "857566092"),
]
# Municipal administrator of Lier (edits Lier's choices; sees no other municipality).
LIER_ADMIN = ("admin@lier.kommune.example", "Leif", "Lierstad")
# The national operator: manages the municipalities, sees no case data.
OPERATOR = ("drift@minside.example", "Nora", "Nasjonal")


def municipalities_load() -> list[Municipality]:
    """The three demo municipalities (the first one is the installation's first municipality,
    renamed Drammen). Idempotent."""
    result = []
    with tenancy.unscoped():
        for index, (number, nb, nn, en, host, email, phone, address, orgno) in enumerate(MUNICIPALITIES):
            municipality = Municipality.objects.order_by("pk").first() if index == 0 else None
            if municipality is None or (index == 0 and municipality.number != number):
                municipality = Municipality.objects.filter(number=number).first() or municipality
            if municipality is None:
                municipality = Municipality(number=number)
            municipality.number, municipality.name, municipality.name_nn, municipality.name_en = number, nb, nn, en
            municipality.email, municipality.phone, municipality.visiting_address = email, phone, address
            municipality.organisation_number = orgno
            municipality.idporten_onbehalfof = host.split(".")[0]
            municipality.save()
            MunicipalityHost.objects.get_or_create(host=host, defaults={"municipality": municipality, "primary": True})
            result.append(municipality)
    tenancy.cache_clear()
    return result


def staff_get_or_create(*, email: str, first_name: str, last_name: str, department_codes=(),
                        superuser: bool = False) -> tuple[User, bool]:
    """A demo member of staff with STAFF_PASSWORD in the given departments (which exist: the
    services create theirs in a data migration)."""
    user = User.objects.filter(email=email).first()
    created = user is None
    if created:
        user = User.objects.create_user(email=email, password=STAFF_PASSWORD, first_name=first_name,
                                        last_name=last_name, is_staff=True, is_superuser=superuser)
    # In the departments of the municipality being loaded (its scope): a person may work in several.
    for department in Department.objects.filter(code__in=department_codes):
        if not user.departments.filter(pk=department.pk).exists():
            user.departments.add(department)
            created = True
    return user, created


def load() -> int:
    """Runs once per demo municipality, in its scope (load_demo_data)."""
    created = 0
    municipality_id = tenancy.working_municipality_id()
    number = next((m.number for m in tenancy.municipalities() if m.pk == municipality_id), "")
    if number == "3312":
        user, was_created = staff_get_or_create(email=LIER_ADMIN[0], first_name=LIER_ADMIN[1], last_name=LIER_ADMIN[2])
        created += was_created
        created += MunicipalityRole.objects.get_or_create(user=user, municipality_id=municipality_id,
                                                          role=MunicipalityRole.Role.ADMINISTRATOR)[1]
    if not User.objects.filter(email=OPERATOR[0]).exists():
        User.objects.create_user(email=OPERATOR[0], password=STAFF_PASSWORD, first_name=OPERATOR[1],
                                 last_name=OPERATOR[2], is_staff=True, is_national_operator=True)
        created += 1
    if number != "3301":
        return created
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
