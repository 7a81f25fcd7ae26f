"""Filters for the viewer's accounts."""
import strawberry

from .types import AccountKind, AccountStatus


@strawberry.input(description="Narrow `myAccounts`; every field is optional and they combine with AND.")
class AccountFilter:
    status: list[AccountStatus] | None = strawberry.field(default=None, description="Only these statuses.")
    kind: list[AccountKind] | None = strawberry.field(default=None, description="Only these kinds of account.")
    currency: str | None = strawberry.field(default=None, description="Only this ISO 4217 currency.")
    is_active: bool | None = strawberry.field(default=None, description="Only accounts inside (true) or outside (false) their validity dates.")
