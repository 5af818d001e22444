"""Load the demo municipality: people, organisations, departments, staff, and whatever each
app's `demo.py` adds. Idempotent: a second run changes nothing. Never in production: it creates
staff (a superuser among them) whose password is printed in the README."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.demo import STAFF_PASSWORD
from core.discovery import app_modules


class Command(BaseCommand):
    help = "Load demo data for development (idempotent)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("load_demo_data refuses to run with DJANGO_ENV=production: it creates staff "
                               "users, a superuser among them, with the password printed in the README.")
        staff = []
        with transaction.atomic():
            # Every installed app's `demo` module, in INSTALLED_APPS order (accounts first).
            for config, module in app_modules("demo"):
                changed = module.load()
                self.stdout.write(f"{config.name}.demo: {changed} created")
                staff += getattr(module, "STAFF", [])
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(
            f"\nDemo logins (http://127.0.0.1:{os.environ.get('PORT', '8000')}):\n"
            "  Citizens: 'Log in' -> 'Log in with ID-porten' -> choose a test person\n"
            "            (Kari Nordmann has three children and represents Nordmann Eiendom AS;\n"
            "             Ahmed Ali represents Ali Bygg AS)\n"
        )
        for email, _first, _last, departments, _superuser in staff:
            self.stdout.write(f"  Staff:    {email} / {STAFF_PASSWORD}  ({', '.join(departments) or 'all'})")
        self.stdout.write("")
