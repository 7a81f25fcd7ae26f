"""The events app's dashboard pages: webhook endpoints with their delivery log, and background
tasks given up. Each page performs an operation of the permission table
(headless_store/ledger/permissions.py), which the staff API reads too; the services are the API's."""
from django import forms
from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView, TemplateView

from headless_store.events import durable
from headless_store.events import services as webhooks
from headless_store.events.models import WebhookDelivery, WebhookEndpoint
from headless_store.events.registry import event_types
from headless_store.kernel.dashboard import refusals_shown


class WebhookForm(forms.Form):
    url = forms.URLField(max_length=500, assume_scheme="https")
    description = forms.CharField(max_length=200, required=False)
    event_types = forms.MultipleChoiceField(choices=lambda: [(name, f"{name}: {t}") for name, t in event_types().items()],
                                            required=False, widget=forms.CheckboxSelectMultiple,
                                            help_text="None ticked: every event.")
    is_active = forms.BooleanField(required=False, initial=True)


class WebhookListView(FormView):
    template_name = "events/dashboard/webhook_list.html"
    form_class = WebhookForm

    def get_context_data(self, **kwargs):
        statuses = WebhookDelivery.Status
        endpoints = WebhookEndpoint.objects.order_by("pk").annotate(**{
            name: Count("deliveries", filter=Q(deliveries__status=status))
            for name, status in (("delivered", statuses.SUCCEEDED), ("pending", statuses.PENDING),
                                 ("failed", statuses.FAILED))
        })
        return super().get_context_data(endpoints=endpoints, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        with refusals_shown(self.request, form) as refused:
            endpoint = webhooks.create_endpoint(staff=self.request.user, url=data["url"], event_types=data["event_types"],
                                                description=data["description"])
        if refused:
            return self.form_invalid(form)
        messages.success(self.request, f"Endpoint registered. Its signing secret, shown only now: {endpoint.secret}")
        return redirect("events_dashboard:webhook-detail", pk=endpoint.pk)


class WebhookDetailView(FormView):
    template_name = "events/dashboard/webhook_detail.html"
    form_class = WebhookForm

    def dispatch(self, request, *args, **kwargs):
        self.endpoint = get_object_or_404(WebhookEndpoint, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        e = self.endpoint
        return {"url": e.url, "description": e.description, "event_types": e.event_types, "is_active": e.is_active}

    def get_context_data(self, **kwargs):
        deliveries = WebhookDelivery.objects.filter(endpoint=self.endpoint).select_related("event").order_by("-pk")[:100]
        return super().get_context_data(endpoint=self.endpoint, deliveries=deliveries, **kwargs)

    def post(self, request, *args, **kwargs):
        if "delete" in request.POST:
            webhooks.delete_endpoint(self.endpoint.pk)
            messages.success(request, "Endpoint removed.")
            return redirect("events_dashboard:webhook-list")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        with refusals_shown(self.request, form) as refused:
            webhooks.update_endpoint(self.endpoint.pk, url=data["url"], description=data["description"],
                                     event_types=data["event_types"], is_active=data["is_active"])
        if refused:
            return self.form_invalid(form)
        messages.success(self.request, "Endpoint saved.")
        return redirect("events_dashboard:webhook-detail", pk=self.endpoint.pk)


class TaskListView(TemplateView):
    """Background work given up (retries spent, or a permanent failure), newest first, each with a
    retry button; the categories only (tracebacks stay in the database and the worker's log)."""

    template_name = "events/dashboard/task_list.html"

    def get_context_data(self, **kwargs):
        tasks = [{"id": row.pk, "name": durable.task_label(row.task_path), "args": row.args_kwargs.get("args", []),
                  "failures": getattr(getattr(row, "retry", None), "failures", 0),
                  "error": getattr(getattr(row, "retry", None), "last_error", "") or row.exception_class_path,
                  "finished_at": row.finished_at}
                 for row in durable.given_up_tasks()[:200]]
        return super().get_context_data(tasks=tasks, **kwargs)

    def post(self, request, *args, **kwargs):
        task_id = request.POST.get("task_id", "")
        if _is_uuid(task_id) and durable.retry_task(task_id):
            messages.success(request, "The task runs again shortly.")
        else:
            messages.error(request, "That task is not waiting for a retry.")
        return redirect("events_dashboard:task-list")


def _is_uuid(value) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
