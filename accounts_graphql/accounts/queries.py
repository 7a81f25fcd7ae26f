"""Account queries: the viewer's `myAccounts` and `balance`; staff's `accounts`, `account` and
`accountTypes`. Who may call each is declared with its field (fields.py reads the policy)."""
from collections.abc import Iterable
from typing import Annotated

import strawberry

from headless_store.ledger.models import Account as AccountModel
from headless_store.ledger.selectors.accounts import (
    account_by_pk,
    account_type_tree,
    search_accounts,
    viewer_account,
    viewer_accounts,
)
from headless_store.ledger.services.giftcards import find_by_code

from ..context import Info
from ..errors import invalid_argument
from ..fields import connection, query
from ..ids import decode_owned_id
from ..money import Money
from ..pagination import After, Before, Connection, First, Last, StaffConnection, keyset_page, page
from .inputs import AccountFilter, LedgerAccountFilter
from .types import Account, AccountOrdering, AccountTypeNode, LedgerAccount


@strawberry.type
class AccountQueries:
    @query("my_accounts", description="Your accounts (as primary or secondary user), newest first. Requires sign-in.")
    def my_accounts(
        self, info: Info, first: First = None, after: After = None,
        filter: Annotated[AccountFilter | None, strawberry.argument(description="Only accounts matching this.")] = None,
        last: Last = None, before: Before = None,
    ) -> Connection[Account]:
        filter = filter or AccountFilter()
        accounts = viewer_accounts(
            info.context.user,
            status=[s.value for s in filter.status or []],
            currency=filter.currency,
            type_codes=[k.value for k in filter.kind or []],
            active=filter.is_active,
        )
        rows, page_info = keyset_page(accounts, first, after, last, before)
        return page([(Account.from_model(a, info), a) for a in rows], page_info, accounts.count)

    @query(
        "balance",
        description="The balance of one of your accounts (`accountId`, needs sign-in) or of a gift card "
        "(`code`; failed attempts are counted and throttled). Give exactly one.",
    )
    def balance(
        self, info: Info,
        account_id: Annotated[strawberry.ID | None, strawberry.argument(description="One of your accounts.")] = None,
        code: Annotated[str | None, strawberry.argument(description="A gift-card code.")] = None,
    ) -> Money | None:
        if (account_id is None) == (code is None):
            raise invalid_argument("Give exactly one of accountId and code.", "accountId")
        if code is not None:
            account = find_by_code(code, ip=info.context.ip, user=info.context.user, require_balance=False)
        else:
            account = viewer_account(info.context.viewer(), decode_owned_id(account_id, "Account", "account_id"))
        return Money.of(account.balance, account.currency)

    @connection("accounts", StaffConnection[LedgerAccount], description="Every account, filtered, searched and ordered.")
    def accounts(
        self, info: Info,
        filter: Annotated[LedgerAccountFilter | None, strawberry.argument(description="Only accounts matching this.")] = None,
        search: Annotated[str | None, strawberry.argument(description="Name, description, owner email or code's last 4.")] = None,
        ordering: Annotated[AccountOrdering, strawberry.argument(description="Order of the list.")] = AccountOrdering.NEWEST,
    ) -> Iterable[AccountModel]:
        filter = filter or LedgerAccountFilter()
        return search_accounts(
            search=search, type_codes=filter.type_code, statuses=[s.value for s in filter.status or []],
            currency=filter.currency, owner_email=filter.owner_email, code_last4=filter.code_last4,
            is_active=filter.is_active, is_expired=filter.is_expired,
        ).order_by(ordering.value, "-pk")

    @query("account", description="One account with its legs.")
    def account(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="Account ID.")]
    ) -> LedgerAccount | None:
        return account_by_pk(decode_owned_id(id, "Account", "id"), field="id")

    @query("account_types", description="The chart of accounts as a tree.")
    def account_types(self, info: Info) -> list[AccountTypeNode]:
        def node(branch) -> AccountTypeNode:
            return AccountTypeNode(code=branch.code, name=branch.name, full_name=branch.full_name,
                                   children=[node(child) for child in branch.children])

        return [node(root) for root in account_type_tree()]
