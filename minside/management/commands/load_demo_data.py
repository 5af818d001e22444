"""Load the demo municipality: people, organisations, departments, staff, and whatever each
app's `demo.py` adds. Idempotent: a second run changes nothing. Never in production: it creates
staff (a superuser among them) whose password is printed in the README."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import tenancy
from accounts.demo import LIER_ADMIN, MUNICIPALITIES, OPERATOR, STAFF_PASSWORD, municipalities_load
from core.discovery import app_modules


class Command(BaseCommand):
    help = "Load demo data for development (idempotent)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("load_demo_data refuses to run with DJANGO_ENV=production: it creates staff "
                               "users, a superuser among them, with the password printed in the README.")
        staff = []
        port = os.environ.get("PORT", "8000")
        with transaction.atomic():
            municipalities = municipalities_load()
            # Every installed app's `demo` module, in INSTALLED_APPS order (accounts first), once
            # per demo municipality, inside its scope (accounts.tenancy), as a worker would run.
            totals: dict[str, int] = {}
            for municipality in municipalities:
                with tenancy.municipality_scope(municipality):
                    for config, module in app_modules("demo"):
                        totals[config.name] = totals.get(config.name, 0) + module.load()
                        staff += [s for s in getattr(module, "STAFF", []) if s not in staff]
            for name, changed in totals.items():
                self.stdout.write(f"{name}.demo: {changed} created")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write("\nDemo municipalities (each on its own host; localhost lists them all):")
        for number, name, _nn, _en, host, *_rest in MUNICIPALITIES:
            self.stdout.write(f"  {name} ({number}): http://{host}:{port}/")
        self.stdout.write(f"  All municipalities: http://localhost:{port}/  (http://127.0.0.1:{port}/ is Drammen)")
        self.stdout.write(
            f"\nDemo logins (http://127.0.0.1:{port}):\n"
            "  Citizens: 'Log in' -> 'Log in with ID-porten' -> choose a test person\n"
            "            (Kari Nordmann has three children and represents Nordmann Eiendom AS;\n"
            "             Ahmed Ali represents Ali Bygg AS)\n"
        )
        for email, _first, _last, departments, _superuser in staff:
            self.stdout.write(f"  Staff:    {email} / {STAFF_PASSWORD}  ({', '.join(departments) or 'all'})")
        self.stdout.write(f"  Staff:    barnehage@ikt-samarbeid.example / {STAFF_PASSWORD}  (barnehage in Lier and "
                          f"Øvre Eiker: http://lier.localhost:{port}/saksbehandling/)")
        self.stdout.write(f"  Staff:    {LIER_ADMIN[0]} / {STAFF_PASSWORD}  (Lier's municipal administrator)")
        self.stdout.write(f"  Operator: {OPERATOR[0]} / {STAFF_PASSWORD}  (manages municipalities at "
                          f"http://localhost:{port}/admin/; sees no case data)")
        self.stdout.write("")
