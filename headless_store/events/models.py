"""The outbox (one row per money event) and webhook endpoints with their deliveries."""
import secrets
import uuid
from base64 import b64encode

from django.conf import settings
from django.db import models
from django.utils import timezone


class Event(models.Model):
    """One event, written in the transaction that moved the money (the outbox: the only row that
    transaction writes for it). Its type is one a domain declared (registry.py). Its id is stable:
    webhook deliveries carry it as `webhook-id`, so receivers can deduplicate."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(max_length=64, db_index=True)
    data = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    #: When the relay fanned it out to the endpoints (None: not yet; the relay's work list).
    dispatched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at"], condition=models.Q(dispatched_at__isnull=True),
                                name="events_event_undispatched_idx")]

    def __str__(self):
        return f"{self.type} {self.webhook_id}"

    @property
    def webhook_id(self) -> str:
        return f"evt_{self.id.hex}"


def new_secret() -> str:
    """A Standard Webhooks signing secret: `whsec_` and 24 random bytes in base64."""
    return "whsec_" + b64encode(secrets.token_bytes(24)).decode()


class WebhookEndpoint(models.Model):
    url = models.URLField(max_length=500)
    description = models.CharField(max_length=200, blank=True)
    secret = models.CharField(max_length=100, default=new_secret)
    #: Event types to send; empty: all of them.
    event_types = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        permissions = [("manage_webhooks", "Can register webhook endpoints and see their deliveries")]

    def __str__(self):
        return self.url

    def wants(self, event_type: str) -> bool:
        return self.is_active and (not self.event_types or event_type in self.event_types)


class WebhookDelivery(models.Model):
    """One event for one endpoint: tried until it succeeds or MAX_ATTEMPTS fail."""

    class Status(models.TextChoices):
        PENDING = "PENDING", "Pending"
        SUCCEEDED = "SUCCEEDED", "Succeeded"
        FAILED = "FAILED", "Failed"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [models.UniqueConstraint(fields=["event", "endpoint"], name="events_one_delivery_per_endpoint")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="events_delivery_due_idx")]

    def __str__(self):
        return f"{self.event} -> {self.endpoint} ({self.status})"


class TaskRetry(models.Model):
    """The retry bookkeeping of one background task (django-tasks keeps none): see durable.py."""

    task = models.OneToOneField("django_tasks_database.DBTaskResult", primary_key=True, on_delete=models.CASCADE,
                                related_name="retry", db_constraint=False)
    failures = models.PositiveIntegerField(default=0)
    #: Runs put off because an account state (frozen...) did not allow the work yet; not failures.
    waits = models.PositiveIntegerField(default=0)
    #: The last failure's category (what staff see; the traceback stays on the task row).
    last_error = models.CharField(max_length=200, blank=True)
    given_up_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        permissions = [("manage_tasks", "Can see background tasks that were given up and run them again")]

    def __str__(self):
        return f"{self.task_id}: {self.failures} failures ({self.last_error})"


class WorkerHeartbeat(models.Model):
    """A task worker's sign of life, refreshed every few seconds, and the task it is running."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    pid = models.PositiveIntegerField(default=0)
    hostname = models.CharField(max_length=100, blank=True)
    seen_at = models.DateTimeField(db_index=True)
    task_id = models.UUIDField(null=True, blank=True)

    def __str__(self):
        return f"{self.worker_id} @ {self.hostname}:{self.pid}"
