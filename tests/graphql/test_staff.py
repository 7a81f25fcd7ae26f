"""The staff side of /graphql/: every query and mutation, and each permission refusal."""
import datetime as dt
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import timezone

from accounts_graphql.ids import global_id
from headless_store.ledger import codes, core, facade
from headless_store.ledger.models import Account, Transfer
from tests.factories import AccountFactory, UserFactory

from .conftest import Api

pytestmark = pytest.mark.django_db

ALL = ["view_account", "view_transfer", "manage_accounts", "issue_gift_cards", "move_money", "view_reports"]


def staff_api(*perms, staff=True):
    user = UserFactory(is_staff=staff)
    if perms:
        group = Group.objects.create(name=f"g{user.pk}")
        group.permissions.set(Permission.objects.filter(content_type__app_label="ledger", codename__in=perms))
        user.groups.add(group)
    client = Client()
    client.force_login(user)
    api = Api(client)
    api.user = user
    return api


ACCOUNTS = """query Accounts($first: Int, $after: String, $filter: LedgerAccountFilter, $search: String, $ordering: AccountOrdering) {
  accounts(first: $first, after: $after, filter: $filter, search: $search, ordering: $ordering) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id name kind accountTypeCode currency status balance { amount } codeLast4 primaryUserEmail isExpired } }
  } }"""


def names(body):
    return [e["node"]["name"] for e in body["accounts"]["edges"]]


QUERIES = {
    "view_account": ('{ accounts { totalCount } }', "accounts"),
    "view_transfer": ('{ allTransfers { totalCount } }', "allTransfers"),
    "view_reports": ('{ ledgerHealth { ok } }', "ledgerHealth"),
}


@pytest.mark.parametrize("perm", list(QUERIES))
def test_each_query_needs_its_permission_and_is_staff_alone_is_not_enough(chart, perm):
    query, field = QUERIES[perm]
    for api in (staff_api(), staff_api(*[p for p in ALL if p != perm]), staff_api(perm, staff=False)):
        body = api.gql(query)
        assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED", body
    assert "errors" not in staff_api(perm).gql(query)


def test_anonymous_staff_queries_need_sign_in(anonymous_api):
    assert anonymous_api.gql("{ accounts { totalCount } }")["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_superusers_have_every_permission(chart):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    assert Api(client).data("{ ledgerHealth { ok } }")["ledgerHealth"]["ok"] is True


class TestAccounts:
    def test_filters_search_ordering_and_pages(self, chart):
        owner = UserFactory(email="owner@example.com")
        AccountFactory(name="Alpha", primary_user=owner, funded=D("5"))
        AccountFactory(name="Beta", type_code="gift_cards", funded=D("50"))
        frozen = AccountFactory(name="Gamma", currency="EUR")
        frozen.freeze()
        AccountFactory(name="Old", end_date=timezone.now() - dt.timedelta(days=1))
        api = staff_api("view_account")
        assert names(api.data(ACCOUNTS, {"filter": {"ownerEmail": "OWNER@example.com"}})) == ["Alpha"]
        assert names(api.data(ACCOUNTS, {"filter": {"typeCode": ["gift_cards"]}})) == ["Beta"]
        assert names(api.data(ACCOUNTS, {"filter": {"status": ["FROZEN"], "currency": "eur"}})) == ["Gamma"]
        assert names(api.data(ACCOUNTS, {"filter": {"isExpired": True}})) == ["Old"]
        assert names(api.data(ACCOUNTS, {"search": "amm"})) == ["Gamma"]
        ordered = names(api.data(ACCOUNTS, {"ordering": "BALANCE_DESC", "filter": {"typeCode": ["store_credit", "gift_cards"], "currency": "GBP"}}))
        assert ordered[:2] == ["Beta", "Alpha"]
        first = api.data(ACCOUNTS, {"first": 2, "ordering": "NAME"})["accounts"]
        rest = api.data(ACCOUNTS, {"first": 2, "ordering": "NAME", "after": first["pageInfo"]["endCursor"]})["accounts"]
        assert [e["node"]["name"] for e in first["edges"] + rest["edges"]][:4] == ["Alpha", "Bank", "Beta", "Gamma"]

    def test_gift_cards_by_code_last4(self, chart):
        from headless_store.ledger.services.giftcards import issue_gift_card

        card = issue_gift_card(amount=D("10"), currency="GBP")
        body = staff_api("view_account").data(ACCOUNTS, {"filter": {"codeLast4": card.code[-4:].lower()}})
        assert [e["node"]["codeLast4"] for e in body["accounts"]["edges"]] == ["••••" + card.code[-4:]]

    def test_one_account_with_its_legs_and_balance_after(self, chart, redemptions):
        account = AccountFactory(funded=D("30"))
        facade.transfer(account, redemptions, D("12.50"))
        query = """query A($id: ID!) { account(id: $id) { name balance { amount } secondaryUserEmails
          entries { totalCount edges { node { amount { amount } balanceAfter { amount } transferReference } } } } }"""
        node = staff_api("view_account").data(query, {"id": global_id("Account", account.pk)})["account"]
        assert node["balance"]["amount"] == "17.50" and node["entries"]["totalCount"] == 2
        assert [(e["node"]["amount"]["amount"], e["node"]["balanceAfter"]["amount"]) for e in node["entries"]["edges"]] == [
            ("-12.50", "17.50"), ("30.00", "30.00")]
        missing = staff_api("view_account").gql(query, {"id": global_id("Account", 99999)})
        assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    def test_the_chart_as_a_tree(self, chart):
        tree = staff_api("view_account").data("{ accountTypes { code children { code fullName children { code } } } }")["accountTypes"]
        assert [n["code"] for n in tree] == ["assets", "liabilities", "income", "expenses"]
        deferred = tree[1]["children"][0]
        assert deferred["fullName"] == "Liabilities / Deferred income"
        assert [c["code"] for c in deferred["children"]] == ["store_credit", "gift_cards", "loyalty_points", "refund_wallets", "b2b_prepaid"]


class TestTransfers:
    @pytest.fixture
    def payment(self, chart, redemptions):
        clerk = UserFactory(email="clerk@example.com")
        wallet = AccountFactory(funded=D("50"))
        return facade.transfer(wallet, redemptions, D("20"), merchant_reference="100077", user=clerk,
                               check_authorisation=False)

    def test_by_reference_or_id(self, payment):
        api = staff_api("view_transfer")
        query = "query T($id: ID, $ref: String) { transfer(id: $id, reference: $ref) { id reference amount { amount } source { name } destination { name accountTypeCode } username refundable { amount } merchantReference } }"
        by_ref = api.data(query, {"ref": payment.reference})["transfer"]
        assert by_ref["destination"]["accountTypeCode"] == "redemptions" and by_ref["refundable"]["amount"] == "20.00"
        assert api.data(query, {"id": by_ref["id"]})["transfer"] == by_ref
        assert api.gql(query, {"ref": "F" * 32})["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    def test_all_transfers_filtered(self, payment):
        api = staff_api("view_transfer")
        query = "query($filter: TransferFilter) { allTransfers(filter: $filter) { totalCount edges { node { reference } } } }"
        assert api.data(query, {"filter": {"merchantReference": "100077"}})["allTransfers"]["totalCount"] == 1
        assert api.data(query, {"filter": {"userEmail": "CLERK@example.com"}})["allTransfers"]["totalCount"] == 1
        account_id = global_id("Account", payment.source_id)
        assert api.data(query, {"filter": {"accountId": account_id}})["allTransfers"]["totalCount"] == 2
        today = timezone.localdate().isoformat()
        assert api.data(query, {"filter": {"dateFrom": today, "dateTo": today}})["allTransfers"]["totalCount"] == 2
        assert api.data(query, {"filter": {"dateTo": "2000-01-01"}})["allTransfers"]["totalCount"] == 0


class TestReportsAndHealth:
    def test_reports_come_from_the_same_selectors(self, chart):
        facade.transfer(core.bank_account(), AccountFactory(type_code="gift_cards"), D("40"))
        today = timezone.localdate().isoformat()
        api = staff_api("view_reports")
        report = api.data("query($d: Date!) { deferredIncomeReport(date: $d) { totals { amount currency } rows { accountType accounts total { amount } buckets { bucket accounts } } } }", {"d": today})["deferredIncomeReport"]
        assert report["totals"] == [{"amount": "40.00", "currency": "GBP"}]
        assert report["rows"][0]["accountType"] == "Gift cards" and report["rows"][0]["buckets"][0] == {"bucket": "no_expiry", "accounts": 1}
        pl = api.data("query($s: Date!, $e: Date!) { profitLossReport(startDate: $s, endDate: $e, currency: \"GBP\") { lines { code amount { amount } } net { amount } } }", {"s": today, "e": today})["profitLossReport"]
        assert {"code": "loaded_from_bank", "amount": {"amount": "40.00"}} in pl["lines"] and pl["net"]["amount"] == "0.00"
        bad = api.gql("{ profitLossReport(startDate: \"2026-02-01\", endDate: \"2026-01-01\", currency: \"GBP\") { net { amount } } }")
        assert bad["errors"][0]["extensions"]["code"] == "INVALID"
        assert api.gql("{ profitLossReport(startDate: \"2026-01-01\", endDate: \"2026-01-02\", currency: \"XXY\") { net { amount } } }")["errors"]

    def test_ledger_health(self, chart):
        body = staff_api("view_reports").data("{ ledgerHealth { ok checks { code violations } currencies { currency balanceTotal { amount } } } }")
        assert body["ledgerHealth"]["ok"] is True and len(body["ledgerHealth"]["checks"]) == 16  # 6 of credit lots
        assert "orders_within_paid" in [check["code"] for check in body["ledgerHealth"]["checks"]]


MUTATIONS = {
    "manage_accounts": ('mutation { createAccount(input: {name: "X", typeCode: "store_credit", currency: "GBP"}) { errors { code } } }', "createAccount"),
    "issue_gift_cards": ('mutation { issueGiftCards(input: {count: 1, amount: "5", currency: "GBP"}) { errors { code } } }', "issueGiftCards"),
    "move_money": ('mutation { topUpAccount(input: {accountId: "QWNjb3VudDox", amount: "5"}) { errors { code } } }', "topUpAccount"),
}


@pytest.mark.parametrize("perm", list(MUTATIONS))
def test_each_mutation_needs_its_permission(chart, perm):
    mutation, field = MUTATIONS[perm]
    for api in (staff_api(), staff_api(*[p for p in ALL if p != perm]), staff_api(perm, staff=False)):
        assert api.data(mutation)[field]["errors"] == [{"code": "PERMISSION_DENIED"}]
    assert Account.objects.filter(name="X").count() == 0 and Account.objects.filter(code_hash__isnull=False).count() == 0


@pytest.mark.parametrize("operation", ["freezeAccount", "thawAccount", "closeAccount", "updateAccount"])
def test_state_and_update_mutations_need_manage_accounts(chart, operation):
    account = AccountFactory()
    extra = ', name: "Y"' if operation == "updateAccount" else ""
    mutation = f'mutation {{ {operation}(input: {{accountId: "{global_id("Account", account.pk)}"{extra}}}) {{ errors {{ code }} }} }}'
    assert staff_api(*[p for p in ALL if p != "manage_accounts"]).data(mutation)[operation]["errors"] == [{"code": "PERMISSION_DENIED"}]
    assert Account.objects.get(pk=account.pk).is_open() and Account.objects.get(pk=account.pk).name != "Y"


CREATE = """mutation C($input: CreateAccountInput!) { createAccount(input: $input) {
  account { id name kind balance { amount } creditLimit { amount } primaryUserEmail secondaryUserEmails endDate }
  errors { field code message } } }"""


class TestMutations:
    def test_create_account_with_opening_balance_from_a_chosen_source(self, chart):
        owner, member = UserFactory(email="boss@acme.test"), UserFactory(email="clerk@acme.test")
        api = staff_api("manage_accounts")
        payload = api.data(CREATE, {"input": {
            "name": "ACME Ltd", "typeCode": "b2b_prepaid", "currency": "GBP", "primaryUserEmail": "boss@acme.test",
            "secondaryUserEmails": ["clerk@acme.test"], "creditLimit": "500.00", "openingBalance": "100.00",
            "sourceAccountId": global_id("Account", core.bank_account().pk), "endDate": "2027-01-01T00:00:00+00:00"}})["createAccount"]
        assert payload["errors"] == []
        account = payload["account"]
        assert (account["kind"], account["balance"]["amount"], account["creditLimit"]["amount"]) == ("B2B_PREPAID", "100.00", "500.00")
        assert account["primaryUserEmail"] == "boss@acme.test" and account["secondaryUserEmails"] == ["clerk@acme.test"]
        transfer = Transfer.objects.get(destination__name="ACME Ltd")
        assert transfer.source == core.bank_account() and transfer.user == api.user
        del owner, member

    @pytest.mark.parametrize("change, field", [
        ({"primaryUserEmail": "nobody@example.com"}, "primaryUserEmail"),
        ({"creditLimit": "-1"}, "creditLimit"),
        ({"openingBalance": "abc"}, None),
        ({"sourceAccountId": "garbage"}, None),
        ({"typeCode": "nonsense"}, None),
        ({"currency": "XXQ"}, None),
        ({"startDate": "2027-01-01T00:00:00+00:00", "endDate": "2026-01-01T00:00:00+00:00"}, None),
    ])
    def test_create_account_refusals_change_nothing(self, chart, change, field):
        before = Account.objects.count()
        payload = staff_api("manage_accounts").data(CREATE, {"input": {"name": "Z", "typeCode": "store_credit", "currency": "GBP", **change}})["createAccount"]
        assert payload["account"] is None and payload["errors"][0]["code"] in ("INVALID", "INVALID_AMOUNT", "NOT_FOUND")
        if field:
            assert payload["errors"][0]["field"] == field
        assert Account.objects.count() == before

    def test_update_account_credit_limit_and_dates(self, chart, redemptions):
        account = AccountFactory(credit_limit=D("100"))
        facade.transfer(account, redemptions, D("40"))
        api = staff_api("manage_accounts")
        mutation = "mutation U($input: UpdateAccountInput!) { updateAccount(input: $input) { account { name creditLimit { amount } endDate balance { amount } status } errors { field code message } } }"
        ok = api.data(mutation, {"input": {"accountId": global_id("Account", account.pk), "creditLimit": "60", "name": "Renamed", "endDate": "2030-01-01T00:00:00+00:00"}})["updateAccount"]
        assert ok["errors"] == [] and ok["account"]["creditLimit"]["amount"] == "60.00" and ok["account"]["balance"]["amount"] == "-40.00"
        too_low = api.data(mutation, {"input": {"accountId": global_id("Account", account.pk), "creditLimit": "30"}})["updateAccount"]
        assert too_low["errors"][0]["code"] == "INVALID_AMOUNT"
        unlimited = api.data(mutation, {"input": {"accountId": global_id("Account", account.pk), "creditLimit": None}})["updateAccount"]
        assert unlimited["account"]["creditLimit"] is None
        assert Account.objects.get(pk=account.pk).name == "Renamed"

    def test_issue_gift_cards_returns_each_code_once(self, chart):
        api = staff_api("issue_gift_cards")
        mutation = 'mutation { issueGiftCards(input: {count: 3, amount: "25.00", currency: "GBP", endDate: "2030-01-01T00:00:00+00:00"}) { giftCards { code account { id codeLast4 balance { amount } endDate } } total { amount } errors { code } } }'
        payload = api.data(mutation)["issueGiftCards"]
        assert payload["total"]["amount"] == "75.00" and len(payload["giftCards"]) == 3
        for card in payload["giftCards"]:
            account = Account.objects.get(code_hash=codes.code_hash(card["code"]))
            assert card["account"]["codeLast4"] == "••••" + card["code"][-4:] and account.balance == D("25")
        listing = staff_api("view_account").gql('{ accounts(filter: {typeCode: ["gift_cards"]}) { edges { node { codeLast4 } } } }')
        assert not any(card["code"] in str(listing) for card in payload["giftCards"])
        too_many = api.data('mutation { issueGiftCards(input: {count: 1001, amount: "1", currency: "GBP"}) { errors { code message } } }')["issueGiftCards"]
        assert too_many["errors"][0]["code"] == "INVALID" and "1000" in too_many["errors"][0]["message"]

    def test_top_up_and_withdraw_through_the_facade(self, chart, settings):
        account = AccountFactory()
        api = staff_api("move_money")
        top_up = 'mutation T($input: MoveMoneyInput!) { topUpAccount(input: $input) { account { balance { amount } } transfer { source { name } username description } errors { field code message } } }'
        withdraw = top_up.replace("topUpAccount", "withdrawFromAccount")
        account_id = global_id("Account", account.pk)
        payload = api.data(top_up, {"input": {"accountId": account_id, "amount": "30.00", "description": "Goodwill", "idempotencyKey": "t1"}})["topUpAccount"]
        assert payload["account"]["balance"]["amount"] == "30.00" and payload["transfer"]["source"]["name"] == "Unpaid source"
        assert payload["transfer"]["username"] == api.user.username
        assert api.data(top_up, {"input": {"accountId": account_id, "amount": "30.00", "description": "Goodwill", "idempotencyKey": "t1"}})["topUpAccount"]["account"]["balance"]["amount"] == "30.00"
        over = api.data(withdraw, {"input": {"accountId": account_id, "amount": "30.01"}})["withdrawFromAccount"]
        assert over["errors"][0]["code"] == "INSUFFICIENT_FUNDS" and over["errors"][0]["field"] == "amount"
        stranger = AccountFactory(funded=D("5"))
        odd = api.data(top_up, {"input": {"accountId": account_id, "amount": "1", "counterAccountId": global_id("Account", stranger.pk)}})["topUpAccount"]
        assert odd["errors"][0]["field"] == "counterAccountId"
        settings.ACCOUNTS_MIN_LOAD_VALUE = "10"
        assert api.data(top_up, {"input": {"accountId": account_id, "amount": "9.99"}})["topUpAccount"]["errors"][0]["code"] == "INVALID_AMOUNT"
        done = api.data(withdraw, {"input": {"accountId": account_id, "amount": "30", "counterAccountId": global_id("Account", core.bank_account().pk)}})["withdrawFromAccount"]
        assert done["account"]["balance"]["amount"] == "0.00" and done["transfer"]["source"]["name"] != "Bank"

    def test_freeze_thaw_close_are_checked_transitions(self, chart):
        api = staff_api("manage_accounts")
        funded, empty = AccountFactory(funded=D("5")), AccountFactory()

        def run(operation, account):
            return api.data(f'mutation {{ {operation}(input: {{accountId: "{global_id("Account", account.pk)}"}}) {{ account {{ status }} errors {{ code message }} }} }}')[operation]

        assert run("freezeAccount", funded)["account"]["status"] == "FROZEN"
        assert run("freezeAccount", funded)["errors"][0]["code"] == "INVALID"
        assert run("thawAccount", funded)["account"]["status"] == "OPEN"
        assert run("closeAccount", funded)["errors"][0]["code"] == "INVALID"  # AccountNotEmpty
        assert run("closeAccount", empty)["account"]["status"] == "CLOSED"
        assert run("thawAccount", empty)["errors"][0]["code"] == "ACCOUNT_CLOSED"
        assert Account.objects.get(pk=empty.pk).is_closed() and Account.objects.get(pk=funded.pk).balance == D("5")


EVERY_OPERATION = [
    ("view_account", "query", '{ accounts { totalCount } }', "accounts"),
    ("view_account", "query", '{ account(id: "%(account)s") { name } }', "account"),
    ("view_account", "query", '{ accountTypes { code } }', "accountTypes"),
    ("view_transfer", "query", '{ transfer(reference: "%(reference)s") { amount { amount } } }', "transfer"),
    ("view_transfer", "query", '{ allTransfers { totalCount } }', "allTransfers"),
    ("view_reports", "query", '{ deferredIncomeReport(date: "2026-01-01") { totals { amount } } }', "deferredIncomeReport"),
    ("view_reports", "query", '{ profitLossReport(startDate: "2026-01-01", endDate: "2026-01-31", currency: "GBP") { net { amount } } }', "profitLossReport"),
    ("view_reports", "query", '{ ledgerHealth { ok } }', "ledgerHealth"),
    ("manage_accounts", "mutation", 'mutation { createAccount(input: {name: "New", typeCode: "store_credit", currency: "GBP"}) { errors { code } } }', "createAccount"),
    ("manage_accounts", "mutation", 'mutation { updateAccount(input: {accountId: "%(account)s", name: "Changed"}) { errors { code } } }', "updateAccount"),
    ("manage_accounts", "mutation", 'mutation { freezeAccount(input: {accountId: "%(account)s"}) { errors { code } } }', "freezeAccount"),
    ("manage_accounts", "mutation", 'mutation { thawAccount(input: {accountId: "%(account)s"}) { errors { code } } }', "thawAccount"),
    ("manage_accounts", "mutation", 'mutation { closeAccount(input: {accountId: "%(account)s"}) { errors { code } } }', "closeAccount"),
    ("issue_gift_cards", "mutation", 'mutation { issueGiftCards(input: {count: 2, amount: "5", currency: "GBP"}) { errors { code } } }', "issueGiftCards"),
    ("move_money", "mutation", 'mutation { topUpAccount(input: {accountId: "%(account)s", amount: "5"}) { errors { code } } }', "topUpAccount"),
    ("move_money", "mutation", 'mutation { withdrawFromAccount(input: {accountId: "%(account)s", amount: "5"}) { errors { code } } }', "withdrawFromAccount"),
    ("reverse_transfer", "mutation", 'mutation { reverseTransfer(input: {transferId: "%(reference)s"}) { errors { code } } }', "reverseTransfer"),
]


@pytest.mark.parametrize("perm, kind, document, field", EVERY_OPERATION, ids=[op[3] for op in EVERY_OPERATION])
def test_every_staff_operation_is_refused_without_its_permission_and_changes_nothing(chart, redemptions, perm, kind, document, field):
    account = AccountFactory(name="Target", funded=D("10"))
    payment = facade.transfer(account, redemptions, D("4"))
    document = document % {"account": global_id("Account", account.pk), "reference": payment.reference}

    def state():
        return list(Account.objects.order_by("pk").values_list("pk", "name", "status", "balance")), Transfer.objects.count()

    before = state()
    lacking = staff_api(*[p for p in ALL + ["reverse_transfer"] if p != perm])
    body = lacking.gql(document)
    if kind == "query":
        assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
        assert body["data"] is None or set(body["data"].values()) == {None}  # nullable lookups null only their field
    else:
        assert body["data"][field]["errors"][0]["code"] == "PERMISSION_DENIED"
    assert state() == before
    allowed = staff_api(perm)
    body = allowed.gql(document)
    assert "errors" not in body
    if kind == "mutation":
        assert body["data"][field]["errors"] in ([], [{"code": "INVALID"}], [{"code": "ACCOUNT_CLOSED"}])


class TestStaffPaging:
    """Staff lists are strawberry_django connections: forwards, backwards, and typed refusals."""

    def test_forwards_and_backwards(self, chart):
        for n in range(5):
            AccountFactory(name=f"P{n}", type_code="gift_cards")
        api = staff_api("view_account")
        query = """query($first: Int, $after: String, $last: Int, $before: String) {
          accounts(filter: {typeCode: ["gift_cards"]}, ordering: NAME, first: $first, after: $after, last: $last, before: $before) {
            totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { name } } } }"""
        first = api.data(query, {"first": 2})["accounts"]
        assert [e["node"]["name"] for e in first["edges"]] == ["P0", "P1"] and first["totalCount"] == 5
        second = api.data(query, {"first": 2, "after": first["pageInfo"]["endCursor"]})["accounts"]
        assert [e["node"]["name"] for e in second["edges"]] == ["P2", "P3"]
        back = api.data(query, {"last": 2, "before": second["pageInfo"]["startCursor"]})["accounts"]
        assert [e["node"]["name"] for e in back["edges"]] == ["P0", "P1"]

    @pytest.mark.parametrize("arguments, field", [
        ("first: 101", "first"), ("first: -1", "first"), ("last: 500", "last"),
        ('after: "bogus"', "after"), ('before: "QWNjb3VudDox"', "before"),
    ])
    def test_bad_page_arguments_are_typed_refusals(self, chart, arguments, field, caplog):
        api = staff_api("view_account", "view_transfer")
        for document in (f"{{ accounts({arguments}) {{ totalCount }} }}", f"{{ allTransfers({arguments}) {{ totalCount }} }}"):
            error = api.gql(document)["errors"][0]
            assert error["extensions"] == {"code": "INVALID", "field": field}, error
        assert not [r for r in caplog.records if r.levelname == "ERROR"]

    def test_bad_nested_page_arguments_are_typed_refusals(self, chart):
        AccountFactory(name="Nested", funded=D("5"))
        api = staff_api("view_account")
        error = api.gql("{ accounts { edges { node { entries(first: 500) { totalCount } } } } }")["errors"][0]
        assert error["extensions"] == {"code": "INVALID", "field": "first"}


UPDATE_DATES = """mutation U($input: UpdateAccountInput!) {
  updateAccount(input: $input) { account { startDate endDate } errors { field code message } } }"""
ISSUE_DATES = """mutation I($end: DateTime) {
  issueGiftCards(input: {count: 1, amount: "5", currency: "GBP", endDate: $end}) { errors { field code } } }"""


@pytest.mark.parametrize("start, end, expected", [
    # No offset: read in the shop's time zone (UTC here), compared with dates that have one.
    ("2030-01-01T00:00:00", "2031-01-01T00:00:00+00:00", ("2030-01-01T00:00:00+00:00", "2031-01-01T00:00:00+00:00")),
    ("2030-01-01T00:00:00+02:00", "2199-12-31T23:59:59", ("2029-12-31T22:00:00+00:00", "2199-12-31T23:59:59+00:00")),
    (None, "9999-12-31T23:59:59-05:00", "end_date"),   # beyond year 9999 in UTC
    (None, "2200-01-01T00:00:00", "end_date"),   # past the sane bounds (1970-2199)
    ("1969-12-31T23:00:00+00:00", None, "start_date"),
    ("0001-01-01T00:00:00+05:00", None, "start_date"),  # before year 1 in UTC
    ("2031-01-01T00:00:00", "2030-01-01T00:00:00", "end_date"),  # the window runs backwards
])
def test_validity_dates_with_and_without_offsets_and_out_of_range(chart, start, end, expected):
    account = AccountFactory()
    api = staff_api("manage_accounts", "issue_gift_cards")
    dates = {key: value for key, value in {"startDate": start, "endDate": end}.items() if value}
    payload = api.data(UPDATE_DATES, {"input": {"accountId": global_id("Account", account.pk), **dates}})["updateAccount"]
    if isinstance(expected, str):
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [("INVALID", expected.replace("_d", "D"))]
        assert Account.objects.get(pk=account.pk).end_date == account.end_date
    else:
        assert payload["errors"] == []
        assert (payload["account"]["startDate"], payload["account"]["endDate"]) == expected
    if end:  # issuing gift cards reads the same dates the same way
        issued = api.data(ISSUE_DATES, {"end": end})["issueGiftCards"]
        out_of_range = end in ("9999-12-31T23:59:59-05:00", "2200-01-01T00:00:00")
        assert [e["code"] for e in issued["errors"]] == (["INVALID"] if out_of_range else [])
