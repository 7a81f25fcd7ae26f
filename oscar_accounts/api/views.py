"""OA's REST API views on the ledger: create a funded account (from Bank), read it by code,
redeem from it (to Redemptions), refund to it, read, reverse and refund transfers.

Payloads, status codes and error codes are OA's (400 for a bad payload, 403 with C1xx/T1xx for a
business refusal, 201 with a Location for what was created, 404 for an unknown code or
reference). Where OA answered 500 (a refused load or transfer, an unparseable date, a frozen
account) this answers 400 or 403 with a code. Money moves through headless_store.ledger.facade,
recording the API user; reversals and refunds are bounded by what is left of the transfer."""
import datetime
import json
from decimal import Decimal, InvalidOperation

from dateutil import parser as date_parser
from django import http
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.views import generic

from headless_store.ledger import core, exceptions, throttle
from headless_store.ledger import facade as ledger_facade
from headless_store.ledger.conf import settings

from .. import codes, names
from ..abstract_models import as_oa
from ..models import Account, AccountType, Transfer
from . import errors


class InvalidPayload(Exception):
    pass


class ValidationError(Exception):
    def __init__(self, code, message=None):
        self.code = code
        super().__init__(message or errors.message(code))


def _response(status, data, location=None):
    response = http.HttpResponse(json.dumps(data), status=status, content_type="application/json")
    if location:
        response["Location"] = location
    return response


def _error(status, code, message):
    return _response(status, {"code": code or "", "message": message or errors.message(code)})


def _refusal_code(exc: exceptions.AccountException, default: str) -> str:
    if isinstance(exc, exceptions.InsufficientFunds):
        return errors.INSUFFICIENT_FUNDS
    if isinstance(exc, exceptions.ClosedAccount | exceptions.InactiveAccount):
        return errors.ACCOUNT_INACTIVE
    return default


class JSONView(generic.View):
    #: (key, required?) in the order OA validates them
    keys: tuple = ()

    def post(self, request, *args, **kwargs):
        if request.content_type != "application/json":
            return _error(400, "", "Requests must have CONTENT_TYPE 'application/json'")
        try:
            payload = json.loads(request.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return _error(400, "", "JSON payload could not be decoded")
        if not isinstance(payload, dict):
            return _error(400, "", "The JSON payload must be an object")
        try:
            payload = self.validate_payload(payload)
            return self.valid_payload(payload)
        except InvalidPayload as exc:
            return _error(400, "", str(exc))
        except ValidationError as exc:
            return _error(403, exc.code, str(exc))
        except exceptions.CodeAttemptsBlocked as exc:
            return _error(429, "", str(exc))

    def validate_payload(self, payload):
        cleaned = dict(payload)
        for key, required in self.keys:
            if key not in payload:
                if required:
                    raise InvalidPayload(f"Mandatory field '{key}' is missing from JSON payload")
                continue
            clean = getattr(self, f"clean_{key}", None)
            if clean is not None:
                cleaned[key] = clean(payload[key])
        self.clean(cleaned)
        return cleaned

    def clean(self, payload):
        pass

    def clean_amount(self, value):
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            raise InvalidPayload(f"'{value}' is not a valid amount") from None
        if not amount.is_finite():
            raise InvalidPayload(f"'{value}' is not a valid amount")
        if amount < 0:
            raise InvalidPayload("Amount must be positive")
        return amount

    def clean_merchant_reference(self, value):
        if value is not None and (not isinstance(value, str) or len(value) > 128):
            raise InvalidPayload("merchant_reference must be a string of at most 128 characters")
        return value

    # -- lookups ------------------------------------------------------------------------------
    def account(self, code):
        """The account with this code; 404 if none. Each lookup counts in the code throttle for
        the API user until it finds an account."""
        ip, user = self.request.META.get("REMOTE_ADDR"), self.request.user
        throttle.reserve(ip, user)
        account = Account.objects.filter(code=code).first()
        if account is None:
            throttle.record_failure(ip, user, reserved=True)
            raise http.Http404("No account has this code.")
        throttle.release(ip, user)
        account.__dict__["_oa_code"] = codes.normalise(code)
        return account

    def transfer(self, reference):
        found = Transfer.objects.select_related("source", "destination").filter(reference=reference).first()
        if found is None:
            raise http.Http404("No transfer has this reference.")
        return found

    def created_transfer(self, posted):
        posted = as_oa(posted, Transfer)
        return _response(201, posted.as_dict(),
                         reverse("oscar_accounts_api:transfer", kwargs={"reference": posted.reference}))

    def get(self, request, *args, **kwargs):
        try:
            return self.read(request, *args, **kwargs)
        except exceptions.CodeAttemptsBlocked as exc:
            return _error(429, "", str(exc))

    def read(self, request, *args, **kwargs):
        return http.HttpResponseNotAllowed(["POST"])


def _aware_datetime(value, what):
    try:
        parsed = date_parser.parse(value) if isinstance(value, str) else None
    except (ValueError, OverflowError):
        parsed = None
    if parsed is None:
        raise InvalidPayload(f"{what} must be an ISO 8601 date and time")
    if timezone.is_naive(parsed):
        raise InvalidPayload(f"{what} must include timezone information")
    return parsed.astimezone(datetime.UTC)


class AccountsView(JSONView):
    """POST: a new account with a generated code, loaded from Bank."""

    keys = (("start_date", True), ("end_date", True), ("amount", True), ("account_type", True))

    def clean_start_date(self, value):
        return _aware_datetime(value, "Start date")

    def clean_end_date(self, value):
        return _aware_datetime(value, "End date")

    def clean_amount(self, value):
        amount = super().clean_amount(value)
        if amount < Decimal(str(settings.ACCOUNTS_MIN_LOAD_VALUE or 0)):
            raise ValidationError(errors.AMOUNT_TOO_LOW)
        maximum = settings.ACCOUNTS_MAX_ACCOUNT_VALUE
        if maximum is not None and amount > Decimal(str(maximum)):
            raise ValidationError(errors.AMOUNT_TOO_HIGH)
        return amount

    def clean_account_type(self, value):
        allowed = names.deferred_income_account_types()
        found = AccountType.objects.filter(name=value).first() if value in allowed else None
        if found is None:
            raise InvalidPayload("Unrecognised account type")
        return found

    def clean(self, payload):
        if payload["start_date"] > payload["end_date"]:
            raise InvalidPayload("Start date must be before end date")

    def valid_payload(self, payload):
        try:
            with transaction.atomic():
                account = Account(account_type=payload["account_type"], start_date=payload["start_date"],
                                  end_date=payload["end_date"], code=codes.generate())
                account.save()
                ledger_facade.transfer(core.bank_account(account.currency), account, payload["amount"],
                                       user=self.request.user, description="Load from bank",
                                       check_authorisation=False)
        except exceptions.AccountException as exc:
            raise ValidationError(errors.CANNOT_CREATE_ACCOUNT, str(exc)) from exc
        return _response(201, account.as_dict(), reverse("oscar_accounts_api:account", kwargs={"code": account.code}))


class AccountView(JSONView):
    def read(self, request, code):
        return _response(200, self.account(code).as_dict())


class AccountRedemptionsView(JSONView):
    """POST {amount, merchant_reference?}: pay from the account into Redemptions."""

    keys = (("amount", True), ("merchant_reference", False))

    def valid_payload(self, payload):
        account = self.account(self.kwargs["code"])
        if not account.is_active():
            raise ValidationError(errors.ACCOUNT_INACTIVE)
        if not account.is_debit_permitted(payload["amount"]):
            raise ValidationError(errors.INSUFFICIENT_FUNDS)
        return self.move(account, core.redemptions_account(account.currency), payload)

    def move(self, source, destination, payload):
        try:
            posted = ledger_facade.transfer(source, destination, payload["amount"], user=self.request.user,
                                            merchant_reference=payload.get("merchant_reference"),
                                            check_authorisation=False)
        except exceptions.AccountException as exc:
            raise ValidationError(_refusal_code(exc, errors.CANNOT_CREATE_TRANSFER), str(exc)) from exc
        return self.created_transfer(posted)


class AccountRefundsView(AccountRedemptionsView):
    """POST {amount, merchant_reference?}: pay from Redemptions back into the account."""

    def valid_payload(self, payload):
        account = self.account(self.kwargs["code"])
        if not account.is_active():
            raise ValidationError(errors.ACCOUNT_INACTIVE)
        return self.move(core.redemptions_account(account.currency), account, payload)


class TransferView(JSONView):
    def read(self, request, reference):
        return _response(200, self.transfer(reference).as_dict())


class TransferReverseView(JSONView):
    """POST {merchant_reference?}: send what is left of the transfer back to its source."""

    keys = (("merchant_reference", False),)

    def valid_payload(self, payload, amount=None):
        original = self.transfer(self.kwargs["reference"])
        if not original.source.is_active():
            raise ValidationError(errors.ACCOUNT_INACTIVE)
        try:
            posted = ledger_facade.reverse(original, user=self.request.user, amount=amount,
                                           merchant_reference=payload.get("merchant_reference"),
                                           check_authorisation=False)
        except exceptions.AccountException as exc:
            raise ValidationError(_refusal_code(exc, errors.CANNOT_CREATE_TRANSFER), str(exc)) from exc
        return self.created_transfer(posted)


class TransferRefundsView(TransferReverseView):
    """POST {amount, merchant_reference?}: send part of the transfer back (at most what is left)."""

    keys = (("amount", True), ("merchant_reference", False))

    def valid_payload(self, payload, amount=None):
        original = self.transfer(self.kwargs["reference"])
        left = original.max_refund()
        if payload["amount"] > left:
            raise ValidationError(errors.CANNOT_CREATE_TRANSFER,
                                  f"Refund not permitted: maximum refund permitted is {left:.2f}")
        return super().valid_payload(payload, amount=payload["amount"])
