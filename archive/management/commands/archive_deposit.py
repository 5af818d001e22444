"""manage.py archive_deposit --from 2026-01-01 --to 2026-12-31: build the Noark 5 deposit package
(arkivuttrekk) of the cases closed in the period, into storage (archive.deposit)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from accounts import tenancy
from archive.deposit import deposit_build, deposit_request
from archive.models import ArchiveDeposit


class Command(BaseCommand):
    help = "Build the Noark 5 v5.0 deposit package of the cases closed in a period."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, type=datetime.date.fromisoformat,
                            help="first day of the period (YYYY-MM-DD)")
        parser.add_argument("--to", dest="end", required=True, type=datetime.date.fromisoformat,
                            help="last day of the period (YYYY-MM-DD)")
        parser.add_argument("--municipality", dest="number", default="",
                            help="the municipality number whose archive to deposit (needed when there are several)")

    def handle(self, *args, start, end, number="", **options):
        everyone = tenancy.municipalities()
        chosen = [m for m in everyone if m.number == number] if number else everyone
        if len(chosen) != 1:
            raise CommandError("Name the municipality with --municipality NUMBER (one of: "
                               f"{', '.join(m.number for m in everyone)}).")
        with tenancy.municipality_scope(chosen[0]):
            try:
                deposit = deposit_request(start=start, end=end)
            except ValueError as error:
                raise CommandError(str(error))
            deposit = deposit_build(deposit=deposit)
        if deposit.status != ArchiveDeposit.Status.READY:
            raise CommandError(f"The package was not made: {deposit.last_error}")
        self.stdout.write(
            f"{deposit.package.name}: {deposit.case_files} case files, {deposit.registry_entries} registry entries, "
            f"{deposit.documents} documents, {deposit.size} bytes, SHA-256 {deposit.sha256}, {deposit.seconds:.1f} s")
