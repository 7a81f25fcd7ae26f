"""The demo SPA: one HTML page, its ES modules, and the operation documents it may send."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET

from accounts_graphql.persisted import load_operations, persisted_operations


@require_GET
@ensure_csrf_cookie  # the SPA sends the cookie's value as X-CSRFToken on every POST
def index(request):
    return render(request, "demo/index.html", {"shop_name": settings.OSCAR_SHOP_NAME})


@require_GET
def operations(request):
    """The contract's documents and their sha256: the SPA sends the hash, never its own text."""
    documents = persisted_operations(load_operations(settings.GRAPHQL_API["OPERATIONS_DIR"]))
    return JsonResponse({name: {"sha256": op.sha256} for name, op in documents.items()})
