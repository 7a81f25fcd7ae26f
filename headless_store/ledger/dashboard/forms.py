"""Dashboard forms: input checks only; the services decide what is allowed.

Two shapes every money form shares: an amount field is checked against its currency's own
decimal places (`AmountField` + `MoneyForm`: 2 for GBP, 0 for JPY, 3 for BHD), and a form that
moves money carries an idempotency key made when it is shown (`IdempotentForm`), so submitting
it twice moves the money once."""
import datetime as dt
import secrets
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

from .. import conf, names
from ..conf import settings
from ..exceptions import InvalidAmount, InvalidInput
from ..inputs import EARLIEST, LATEST, check_date
from ..models import Account, AccountType
from ..money import STORED_DECIMAL_PLACES, STORED_MAX_DIGITS, parse_amount
from ..selectors.accounts import source_accounts
from ..selectors.reports import currencies_in_use
from ..services.idempotency import MAX_KEY_LENGTH

Range = get_model("offer", "Range")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _WithinYears:
    """A date or moment between 1970 and 2199 (`inputs.check_date`): further out is a typing
    mistake, and the reports' month arithmetic fails past 9999."""

    def validate(self, value):
        super().validate(value)
        if value is not None:
            try:
                check_date(value)
            except InvalidInput as error:
                raise forms.ValidationError(str(error)) from None


class DayField(_WithinYears, forms.DateField):
    pass


class MomentField(_WithinYears, forms.DateTimeField):
    """A moment, in UTC once cleaned: a typed offset may be up to +-23:59, PostgreSQL takes +-15:59."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is not None and moment.utcoffset() is not None:
            try:
                return moment.astimezone(dt.UTC)
            except OverflowError:
                raise forms.ValidationError(f"Give a date between {EARLIEST} and {LATEST}.") from None
        return moment


class AmountField(forms.DecimalField):
    """An amount of money: at most the stored scale here; its currency's own decimal places (and
    the ledger's other rules for amounts) are checked by MoneyForm.clean, which knows the currency."""

    def __init__(self, *, allow_zero: bool = False, **kwargs):
        kwargs.setdefault("max_digits", STORED_MAX_DIGITS)
        kwargs.setdefault("decimal_places", STORED_DECIMAL_PLACES)
        super().__init__(**kwargs)
        self.allow_zero = allow_zero


class MoneyForm(forms.Form):
    """A form with AmountFields of one currency: `self.currency_code` (set by the view's form) or the
    form's own `currency` field."""

    currency_code: str | None = None

    def clean(self):
        data = super().clean()
        currency = self.currency_code or data.get("currency")
        for name, field in self.fields.items():
            if currency and isinstance(field, AmountField) and data.get(name) is not None:
                try:
                    data[name] = parse_amount(data[name], currency, allow_zero=field.allow_zero)
                except InvalidAmount as error:
                    self.add_error(name, str(error))
        return data


class IdempotentForm(forms.Form):
    """Carries an idempotency key, made when the form is shown: a second submission replays the first."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=MAX_KEY_LENGTH)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", secrets.token_hex(16))


def currency_choices():
    codes = sorted(set(conf.currencies()) | set(currencies_in_use()))
    return [(code, code) for code in codes]


class UserEmailField(forms.EmailField):
    def clean(self, value):
        email = super().clean(value)
        if not email:
            return None
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError("No user has this email address.")
        return user


class AccountSearchForm(forms.Form):
    q = forms.CharField(required=False, label="Search", help_text="Name, owner email or a code's last 4 characters")
    type_code = forms.ChoiceField(required=False, label="Type")
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *Account.Status.choices])
    currency = forms.ChoiceField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type_code"].choices = [("", "Any type")] + [(t.code, t.name) for t in AccountType.objects.filter(numchild=0)]
        self.fields["currency"].choices = [("", "Any currency"), *currency_choices()]


class AccountFieldsForm(MoneyForm):
    name = forms.CharField(max_length=128)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    primary_user = UserEmailField(required=False, label="Owner's email")
    credit_limit = AmountField(min_value=0, initial=Decimal("0"), allow_zero=True,
                               help_text="How far below zero the balance may go (B2B credit).")
    unlimited_credit = forms.BooleanField(required=False, help_text="No limit at all (source accounts only).")
    start_date = MomentField(required=False, widget=DATETIME)
    end_date = MomentField(required=False, widget=DATETIME, help_text="Unspent money lapses after this.")
    product_range = forms.ModelChoiceField(Range.objects.all(), required=False, help_text="Only products in this range.")
    can_be_used_for_non_products = forms.BooleanField(required=False, initial=True, label="May pay for shipping")

    def __init__(self, *args, currency: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency_code = currency

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["start_date"] >= data["end_date"]:
            raise forms.ValidationError("The start date must be before the end date.")
        return data

    def account_fields(self):
        data = self.cleaned_data
        return {
            "name": data["name"], "description": data["description"], "primary_user": data["primary_user"],
            "credit_limit": None if data["unlimited_credit"] else data["credit_limit"],
            "start_date": data["start_date"], "end_date": data["end_date"], "product_range": data["product_range"],
            "can_be_used_for_non_products": data["can_be_used_for_non_products"],
        }


class AccountCreateForm(AccountFieldsForm):
    type_code = forms.ChoiceField(label="Type")
    currency = forms.ChoiceField()
    opening_balance = AmountField(required=False, min_value=0)
    source_account = forms.ModelChoiceField(Account.objects.none(), required=False,
                                            help_text="Where the opening balance comes from (default: Unpaid source).")

    field_order = ["name", "type_code", "currency", "description", "primary_user", "credit_limit",
                   "unlimited_credit", "start_date", "end_date", "product_range", "can_be_used_for_non_products",
                   "opening_balance", "source_account"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type_code"].choices = [(t.code, t.name) for t in AccountType.objects.filter(numchild=0)]
        self.fields["type_code"].initial = names.STORE_CREDIT
        self.fields["currency"].choices = currency_choices()
        self.fields["currency"].initial = settings.OSCAR_DEFAULT_CURRENCY
        self.fields["source_account"].queryset = source_accounts()


class MoveMoneyForm(IdempotentForm, MoneyForm):
    amount = AmountField()
    counter_account = forms.ModelChoiceField(Account.objects.none(), required=False, label="Other account",
                                             help_text="Default: Unpaid source.")
    description = forms.CharField(required=False, max_length=256)

    def __init__(self, account, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency_code = account.currency
        self.fields["counter_account"].queryset = source_accounts(account.currency)


class IssueGiftCardsForm(MoneyForm):
    count = forms.IntegerField(min_value=1, max_value=1000, initial=10)
    amount = AmountField(label="Amount on each card")
    currency = forms.ChoiceField()
    end_date = MomentField(required=False, widget=DATETIME, label="Expires")
    product_range = forms.ModelChoiceField(Range.objects.all(), required=False)
    source_account = forms.ModelChoiceField(Account.objects.none(), required=False,
                                            help_text="Where the money comes from (default: Unpaid source).")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = currency_choices()
        self.fields["currency"].initial = settings.OSCAR_DEFAULT_CURRENCY
        self.fields["source_account"].queryset = source_accounts()


class TransferSearchForm(forms.Form):
    reference = forms.CharField(required=False)
    merchant_reference = forms.CharField(required=False, label="Order number")
    date_from = DayField(required=False, widget=DATE)
    date_to = DayField(required=False, widget=DATE)


class ReverseForm(IdempotentForm, MoneyForm):
    amount = AmountField(required=False, help_text="Leave empty to reverse everything left.")
    reason = forms.CharField(required=False, max_length=256)

    def __init__(self, *args, currency: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency_code = currency


class DeferredIncomeForm(forms.Form):
    date = DayField(widget=DATE)
    currency = forms.ChoiceField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [("", "All currencies"), *currency_choices()]


class ProfitLossForm(forms.Form):
    start_date = DayField(widget=DATE)
    end_date = DayField(widget=DATE)
    currency = forms.ChoiceField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = currency_choices()

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["start_date"] > data["end_date"]:
            raise forms.ValidationError("The start date must not be after the end date.")
        return data


class StatementForm(forms.Form):
    """The period of an account statement: from `start` (inclusive) to `end` (exclusive)."""

    start = MomentField(required=False, label="From")
    end = MomentField(required=False, label="Until")


class BreakageForm(forms.Form):
    """Months of the breakage report (any day of the first and of the last)."""

    first_month = DayField(widget=DATE, label="From month")
    last_month = DayField(widget=DATE, label="To month")
    currency = forms.ChoiceField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [("", "All currencies"), *currency_choices()]


class DormancyForm(forms.Form):
    months = forms.IntegerField(min_value=1, max_value=600, label="No customer activity for (months)")
    currency = forms.ChoiceField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [("", "All currencies"), *currency_choices()]


class ExpiringLotsForm(forms.Form):
    days = forms.IntegerField(min_value=1, max_value=3660, label="Expiring in the next (days)")
    currency = forms.ChoiceField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [("", "All currencies"), *currency_choices()]
