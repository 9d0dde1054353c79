from django.core.management.base import BaseCommand

from training.services.ledger import rebuild_summary


class Command(BaseCommand):
    help = "Rebuild the per-person-per-year 学时 summary from the hours ledger."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None)

    def handle(self, *args, year=None, **options):
        written = rebuild_summary(year=year)
        self.stdout.write(f"summary rows written: {written}")
