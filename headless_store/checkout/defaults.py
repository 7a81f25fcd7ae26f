"""The checkout's settings and their defaults, in one place (read through `checkout.conf.settings`).
This module only declares values, so settings.py can name its defaults."""

# The processor for the part of a checkout that ledger money does not cover: a dotted path to a
# class with the interface of checkout/gateways/base.py. The sandbox approves test cards; with
# DEBUG off the shop refuses to start on it (check store_checkout.E002) unless
# STORE_SANDBOX_ALLOWED says the deployment is a staging one that takes no real money.
STORE_PAYMENT_GATEWAY = "headless_store.checkout.gateways.sandbox.SandboxGateway"
STORE_SANDBOX_ALLOWED = False
# The sandbox's slow test card (4000 0000 0000 3220) answers after this many seconds.
SANDBOX_SLOW_SECONDS = 2.0
# django-oscar-api's POST /api/checkout/ places an order without taking payment; it is closed
# (403 CHECKOUT_NOT_HERE) unless the shop takes payment for such orders some other way.
STORE_OSCARAPI_CHECKOUT = False
