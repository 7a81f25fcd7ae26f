"""System checks for taking card payments: no sandbox where money is real.

These are Errors, not deployment warnings: `manage.py check`, `runserver` and `migrate` refuse
to go on, and so does the WSGI application (headless_store/wsgi.py) and the task worker, which
run the same check when they start."""
from django.core.checks import Error, register
from django.utils.module_loading import import_string

from .conf import settings


@register("payments")
def payment_gateway_is_real_where_money_is(app_configs=None, **kwargs):
    from .gateways import sandbox_refusal

    path = settings.STORE_PAYMENT_GATEWAY
    try:
        gateway_class = import_string(path)
    except ImportError as error:
        return [Error(f"STORE_PAYMENT_GATEWAY {path!r} cannot be imported: {error}",
                      hint="A dotted path to a class with the interface of headless_store/checkout/gateways/base.py.",
                      id="store_checkout.E001")]
    refusal = sandbox_refusal(gateway_class)
    if refusal:
        return [Error(refusal, hint="deploy/production.env and the README's 'Deploying' section show the setting.",
                      id="store_checkout.E002")]
    return []


def refuse_unsafe_start() -> None:
    """Raise ImproperlyConfigured if a payment check fails (for servers and workers, which do not
    run `manage.py check`)."""
    from django.core.exceptions import ImproperlyConfigured

    errors = payment_gateway_is_real_where_money_is()
    if errors:
        raise ImproperlyConfigured("; ".join(f"{error.id}: {error.msg}" for error in errors))
