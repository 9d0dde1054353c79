"""``manage.py seed_demo``: the demo organisation, its year of training and exams.

Calls one demo-data function per app, in the order of the arrows. Running it
twice duplicates nothing. Production refuses the default demo password.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.demo import seed_all


class Command(BaseCommand):
    help = "Load the demo data (idempotent)."

    def handle(self, *args, **options):
        if settings.PRODUCTION and settings.DEMO_PASSWORD == settings.DEFAULT_DEMO_PASSWORD:
            raise CommandError("production refuses the demo password; set DEMO_PASSWORD")
        summary = seed_all()
        for line in summary:
            self.stdout.write(line)
