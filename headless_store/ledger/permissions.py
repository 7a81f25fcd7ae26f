"""Who may do what: one table, operation -> rule, read by the GraphQL API and the dashboard alike.

Staff operations need an active user who is `is_staff` AND holds the operation's `ledger.*`
permission (a group may grant it). Either alone is not enough: a customer given the permission
by mistake, or a former staff member still in the "Ledger staff" group, can do nothing. Customer
operations need a signed-in user; what they may see is scoped by the selectors, per row.
"""
from dataclasses import dataclass

from .exceptions import NotAuthenticated, NotAuthorised


@dataclass(frozen=True)
class Rule:
    """A rule: who may run an operation."""

    name: str
    permission: str | None = None  # "ledger.<codename>"; None: any signed-in user
    staff: bool = False

    def allows(self, user) -> bool:
        if user is None or not user.is_authenticated or not user.is_active:
            return False
        if not self.staff:
            return True
        return bool(user.is_staff and (self.permission is None or user.has_perm(self.permission)))

    def check(self, user):
        """The user, if allowed; NotAuthenticated for anonymous callers, NotAuthorised otherwise."""
        if user is None or not user.is_authenticated:
            raise NotAuthenticated("Sign in to do this.")
        if not self.allows(user):
            needs = f"staff with the {self.permission} permission" if self.staff else "an active account"
            raise NotAuthorised(f"You are not allowed to do this: it needs {needs}.")
        return user

    def dashboard_permissions(self) -> list[str]:
        """The rule in the form of Oscar's dashboard `permissions_map` (all must hold)."""
        return ["is_staff", self.permission] if self.staff else []

    def describe(self) -> str:
        return f"staff with {self.permission}" if self.staff else "signed-in users"


def _staff(codename: str) -> Rule:
    return Rule(name=codename, permission=f"ledger.{codename}", staff=True)


SIGNED_IN = Rule(name="signed_in")
VIEW_ACCOUNTS = _staff("view_account")
MANAGE_ACCOUNTS = _staff("manage_accounts")
ISSUE_GIFT_CARDS = _staff("issue_gift_cards")
MOVE_MONEY = _staff("move_money")
VIEW_TRANSFERS = _staff("view_transfer")
REVERSE_TRANSFERS = _staff("reverse_transfer")
VIEW_REPORTS = _staff("view_reports")
# The project's other staff operations, in the same table (their permissions live in their apps).
MANAGE_WEBHOOKS = Rule(name="manage_webhooks", permission="events.manage_webhooks", staff=True)
MANAGE_LOYALTY = Rule(name="manage_loyalty", permission="loyalty.manage_loyalty", staff=True)
MANAGE_TASKS = Rule(name="manage_tasks", permission="events.manage_tasks", staff=True)

#: operation -> rule. GraphQL root fields and dashboard pages name their operation here; a test
#: walks every root field and every dashboard page against this table.
OPERATIONS: dict[str, Rule] = {
    # customers (rows scoped to the viewer by the selectors)
    "my_accounts": SIGNED_IN,
    "node": SIGNED_IN,
    "nodes": SIGNED_IN,
    "transfers": SIGNED_IN,
    "redeem_gift_card": SIGNED_IN,
    "my_gift_cards": SIGNED_IN,
    "my_account_statement": SIGNED_IN,
    # staff
    "accounts": VIEW_ACCOUNTS,
    "account": VIEW_ACCOUNTS,
    "account_types": VIEW_ACCOUNTS,
    "account_statement": VIEW_ACCOUNTS,
    "create_account": MANAGE_ACCOUNTS,
    "update_account": MANAGE_ACCOUNTS,
    "freeze_account": MANAGE_ACCOUNTS,
    "thaw_account": MANAGE_ACCOUNTS,
    "close_account": MANAGE_ACCOUNTS,
    "issue_gift_cards": ISSUE_GIFT_CARDS,
    "gift_card_sales": ISSUE_GIFT_CARDS,  # sold in the shop: their delivery log
    "resend_gift_card": ISSUE_GIFT_CARDS,  # a new code goes out, as when issuing
    "top_up_account": MOVE_MONEY,
    "withdraw_from_account": MOVE_MONEY,
    "transfer": VIEW_TRANSFERS,
    "all_transfers": VIEW_TRANSFERS,
    "reverse_transfer": REVERSE_TRANSFERS,
    "refund_order": REVERSE_TRANSFERS,
    "deferred_income_report": VIEW_REPORTS,
    "profit_loss_report": VIEW_REPORTS,
    "ledger_health": VIEW_REPORTS,
    "webhook_endpoints": MANAGE_WEBHOOKS,
    "webhook_deliveries": MANAGE_WEBHOOKS,
    "create_webhook_endpoint": MANAGE_WEBHOOKS,
    "update_webhook_endpoint": MANAGE_WEBHOOKS,
    "delete_webhook_endpoint": MANAGE_WEBHOOKS,
    "loyalty_rule": MANAGE_LOYALTY,
}

#: Operations of the dashboard only (no API field): the same rules, the same table.
DASHBOARD_OPERATIONS = {
    "retry_task": MANAGE_TASKS,
    "breakage_report": VIEW_REPORTS,
    "dormancy_report": VIEW_REPORTS,
    "expiring_lots_report": VIEW_REPORTS,
}

#: Operations anyone may call, a guest included (checked per row or per code inside):
#: `balance` (a gift card's by code; one's own account by id needs sign-in) and `payWithAccount`
#: (django-oscar-api's basket rule: the owner, or this session's anonymous basket), and the card
#: checkout's steps (started like payWithAccount; later steps need the checkout's secret id, and
#: a signed-in shopper's checkout is theirs alone).
PUBLIC_OPERATIONS = frozenset({
    "balance", "pay_with_account", "start_card_checkout", "pay_card_checkout", "cancel_card_checkout",
})


def rule_for(operation: str) -> Rule:
    return OPERATIONS[operation] if operation in OPERATIONS else DASHBOARD_OPERATIONS[operation]


def is_allowed(user, operation: str) -> bool:
    return OPERATIONS[operation].allows(user)


def dashboard_permissions_map(page_operations: dict[str, str]) -> dict:
    """An Oscar dashboard app's `permissions_map` from its page -> operation table (one rule per page)."""
    return {page: rule_for(op).dashboard_permissions() for page, op in page_operations.items()}
