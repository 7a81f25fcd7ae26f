"""Start the periodic maintenance chain (idempotent): run it once at deploy or start-up."""
from django.core.management.base import BaseCommand

from headless_store.events.tasks import schedule_maintenance


class Command(BaseCommand):
    help = "Enqueue the periodic maintenance task (sweeps) unless one is already waiting; workers then keep it going."

    def handle(self, *args, **options):
        started = schedule_maintenance()
        self.stdout.write("Maintenance scheduled." if started else "Maintenance was already scheduled.")
