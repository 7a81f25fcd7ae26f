"""Build a django-oscar-accounts 3.0.1 ledger with OA's own code (its migrations,
`oscar_accounts_init`, facade, codes, dashboard forms and security records), in the database
DATABASE_URL names, and dump what it made to JSON (argv[1]) for tests/ledger/test_oa_import.py.

Runs in the virtualenv build.sh makes (Django 4.2, Oscar 3.2), never in this project's."""
import json
import os
import sys
from datetime import timedelta
from decimal import Decimal as D

import django

os.environ["DJANGO_SETTINGS_MODULE"] = "settings"  # never the calling project's
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db.models import Sum  # noqa: E402
from django.utils import timezone  # noqa: E402
from oscar_accounts.dashboard.forms import FreezeAccountForm, NewAccountForm  # noqa: E402

from oscar_accounts import codes, core, facade, names, security  # noqa: E402
from oscar_accounts.models import Account, AccountType, IPAddressRecord, Transaction, Transfer  # noqa: E402


def build():
    call_command("migrate", verbosity=0)
    call_command("oscar_accounts_init")
    staff = User.objects.create_user("staff", "staff@example.com", is_staff=True)
    alice = User.objects.create_user("alice", "alice@example.com")
    bob = User.objects.create_user("bob", "Bob@Example.com")  # here known by email only, under another name
    carol = User.objects.create_user("carol", "carol@example.com")
    dave = User.objects.create_user("dave", "dave@example.com")
    bank, unpaid = Account.objects.get(name=names.BANK), Account.objects.get(name=names.UNPAID_ACCOUNTS[0])
    redemptions, dashboard_type = core.redemptions_account(), AccountType.objects.get(name="Dashboard created accounts")

    def dashboard_account(data):  # as OA's AccountCreateView does it
        form = NewAccountForm(data=data)
        assert form.is_valid(), form.errors
        account = form.save()
        facade.transfer(form.get_source_account(), account, form.cleaned_data["initial_amount"], user=staff,
                        description="Creation of account")
        return account

    # Accounts OA's dashboard made: a code, the one deferred-income type, primary and secondary users.
    budget = dashboard_account({"name": "Alice budget", "primary_user": alice.pk, "initial_amount": "120.00",
                                "can_be_used_for_non_products": "on"})
    team = dashboard_account({"name": "Team budget", "description": "Shared", "secondary_users": [alice.pk, bob.pk],
                              "initial_amount": "60.00"})
    card = dashboard_account({"name": "Gift card for a friend", "initial_amount": "50.00"})
    # Code-only gift cards without type or name, as shops made them in code.
    loose = Account.objects.create(code=codes.generate())
    facade.transfer(bank, loose, D("25.00"), description="Gift card sold")
    facade.transfer(loose, redemptions, D("10.00"), user=None, merchant_reference="100001",
                    description="Redeemed to pay for order 100001")
    spare = Account.objects.create(code=codes.generate())
    facade.transfer(bank, spare, D("30.00"))
    # Customer wallets: one typed and named, one with neither (OA allows both).
    wallet = Account.objects.create(name="Store credit - carol", primary_user=carol, account_type=dashboard_type)
    facade.transfer(bank, wallet, D("40.00"), description="Refund to wallet")
    bare = Account.objects.create(primary_user=bob)
    facade.transfer(unpaid, bare, D("15.00"), user=staff, description="Top-up account")
    facade.transfer(bare, unpaid, D("5.00"), user=bob, description="Return funds to source account")
    # A B2B account with a credit limit, driven negative.
    b2b = Account.objects.create(name="Dave Ltd", primary_user=dave, account_type=dashboard_type,
                                 credit_limit=D("200.00"))
    facade.transfer(b2b, redemptions, D("150.00"), user=dave, merchant_reference="100002")
    # Payments, a secondary user's payment, a reversal and a partial refund.
    paid = facade.transfer(budget, redemptions, D("45.00"), user=alice, merchant_reference="100003",
                           description="Redeemed to pay for order 100003")
    facade.reverse(paid, user=staff, merchant_reference="100003", description="Order 100003 cancelled")
    second = facade.transfer(team, redemptions, D("20.00"), user=bob, merchant_reference="100004")
    facade.transfer(redemptions, team, D("5.00"), parent=second, user=staff, merchant_reference="100004",
                    description="Partial refund")
    # An expired gift card, closed by OA's own sweep (its balance goes to Lapsed accounts).
    now = timezone.now()
    expired = Account.objects.create(name="Summer promo", code=codes.generate(), start_date=now - timedelta(days=90),
                                     end_date=now - timedelta(days=1))
    facade.transfer(bank, expired, D("12.50"))
    facade.close_expired_accounts()
    # A frozen account, frozen through OA's dashboard form.
    frozen = Account.objects.create(name="Disputed", code=codes.generate(), account_type=dashboard_type)
    facade.transfer(bank, frozen, D("8.00"))
    form = FreezeAccountForm(data={"status": Account.FROZEN}, instance=frozen, initial={})
    assert form.is_valid(), form.errors
    form.save()
    # OA's security rows (not imported: our throttle keeps its own).
    request = type("Request", (), {"META": {"REMOTE_ADDR": "127.0.0.9"}})()
    security.record_failed_request(request)
    assert IPAddressRecord.objects.count() == 1
    assert card.code and loose.account_type is None and loose.name is None and bare.name is None


def user(u):
    return None if u is None else {"username": u.username, "email": u.email}


def dump():
    def full_name(kind):
        return None if kind is None else [node.name for node in kind.get_ancestors()] + [kind.name]

    accounts = []
    for a in Account.objects.order_by("id"):
        legs = a.transactions.aggregate(total=Sum("amount"))["total"] or D("0")
        accounts.append({
            "id": a.id, "name": a.name, "code": a.code, "type": full_name(a.account_type), "status": a.status,
            "credit_limit": None if a.credit_limit is None else str(a.credit_limit), "balance": str(a.balance),
            "legs_sum": str(legs), "primary_user": user(a.primary_user),
            "secondary_users": [user(u) for u in a.secondary_users.order_by("id")],
            "start_date": a.start_date and a.start_date.isoformat(), "end_date": a.end_date and a.end_date.isoformat(),
            "can_be_used_for_non_products": a.can_be_used_for_non_products,
        })
    transfers = [{
        "id": t.id, "reference": t.reference, "source": t.source_id, "destination": t.destination_id,
        "amount": str(t.amount), "parent": t.parent_id, "merchant_reference": t.merchant_reference,
        "description": t.description, "user": user(t.user), "username": t.username,
    } for t in Transfer.objects.order_by("id")]
    legs = [{"id": leg.id, "transfer": leg.transfer_id, "account": leg.account_id, "amount": str(leg.amount)}
            for leg in Transaction.objects.order_by("id")]
    types = [{"id": t.id, "code": t.code, "name": full_name(t)} for t in AccountType.objects.order_by("path")]
    users = [{"id": u.id, **user(u)} for u in User.objects.order_by("id")]
    total = sum(D(a["balance"]) for a in accounts)
    assert total == 0, total
    return {"types": types, "accounts": accounts, "transfers": transfers, "legs": legs, "users": users}


if __name__ == "__main__":
    build()
    with open(sys.argv[1], "w") as out:
        json.dump(dump(), out, indent=1)
