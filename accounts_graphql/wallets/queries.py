"""Customer queries: myAccounts, balance, transfers."""
from typing import Annotated

import strawberry

from headless_store.ledger import exceptions
from headless_store.ledger.selectors.accounts import legs_of, viewer_account, viewer_accounts
from headless_store.ledger.services.giftcards import find_by_code

from ..context import Info
from ..errors import api_error, invalid_argument
from ..ids import decode_owned_id
from ..pagination import After, Connection, First, connection, keyset_page
from .inputs import AccountFilter
from .types import Account, Money, Transfer


@strawberry.type
class WalletQueries:
    @strawberry.field(description="Your accounts (as primary or secondary user), newest first. Requires sign-in.")
    def my_accounts(
        self, info: Info, first: First = None, after: After = None,
        filter: Annotated[AccountFilter | None, strawberry.argument(description="Only accounts matching this.")] = None,
    ) -> Connection[Account]:
        user = info.context.viewer()
        accounts = viewer_accounts(
            user,
            status=[s.value for s in filter.status] if filter and filter.status else None,
            currency=filter.currency if filter else None,
            type_codes=[k.value for k in filter.kind] if filter and filter.kind else None,
            active=filter.is_active if filter else None,
        )
        rows, page_info = keyset_page(accounts, first, after)
        return connection([(Account.from_model(a, info), a) for a in rows], page_info, accounts.count)

    @strawberry.field(
        description="The balance of one of your accounts (`accountId`, needs sign-in) or of a gift card "
        "(`code`; failed attempts are counted and throttled). Give exactly one."
    )
    def balance(
        self, info: Info,
        account_id: Annotated[strawberry.ID | None, strawberry.argument(description="One of your accounts.")] = None,
        code: Annotated[str | None, strawberry.argument(description="A gift-card code.")] = None,
    ) -> Money | None:
        if (account_id is None) == (code is None):
            raise invalid_argument("Give exactly one of accountId and code.", "accountId")
        try:
            if code is not None:
                account = find_by_code(code, ip=info.context.ip, user=info.context.user, require_balance=False)
            else:
                account = viewer_account(info.context.viewer(), decode_owned_id(account_id, "Account"))
        except exceptions.AccountException as error:
            raise api_error(error) from error
        return Money.of(account.balance, account.currency)

    @strawberry.field(description="Your history across your accounts (or one of them), newest first. Requires sign-in.")
    def transfers(
        self, info: Info,
        account_id: Annotated[strawberry.ID | None, strawberry.argument(description="Only this account of yours.")] = None,
        first: First = None, after: After = None,
    ) -> Connection[Transfer]:
        info.context.viewer()
        visible = info.context.viewer_account_ids()
        ids = visible
        if account_id is not None:
            try:
                pk = decode_owned_id(account_id, "Account")
                if pk not in visible:
                    raise exceptions.AccountNotFound("No account with this ID.")
            except exceptions.AccountException as error:
                raise api_error(error) from error
            ids = [pk]
        legs = legs_of(ids)
        rows, page_info = keyset_page(legs, first, after)
        return connection([(Transfer.from_leg(leg, info), leg) for leg in rows], page_info, legs.count)
