"""Run the healing sweep now (the maintenance chain runs it every MAINTENANCE_INTERVAL_SECONDS)."""
import json

from django.core.management.base import BaseCommand

from headless_store.events.durable import recover_abandoned_tasks
from headless_store.events.tasks import heal, requeue_stale_deliveries


class Command(BaseCommand):
    help = ("Prove every event was dispatched to every subscribed endpoint and every paid order has its points; "
            "repair what is missing, run again tasks abandoned by dead workers, and print the counts.")

    def handle(self, *args, **options):
        counts = {"tasks_recovered": recover_abandoned_tasks(), "deliveries_requeued": requeue_stale_deliveries(),
                  **heal()}
        self.stdout.write(json.dumps(counts, sort_keys=True))
