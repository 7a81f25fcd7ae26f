"""Staff: loyaltyRule (edited in the dashboard)."""
from decimal import Decimal

import strawberry

from headless_store.loyalty.models import LoyaltyRule as RuleModel

from ..context import Info
from ..fields import query


@strawberry.type(description="How loyalty points are earned (edited in the dashboard: Accounts > Loyalty rule).")
class LoyaltyRule:
    is_active: bool = strawberry.field(description="Whether orders earn points.")
    rate: Decimal = strawberry.field(description="Points per currency unit paid (gift cards and points excluded).")
    account_type: str = strawberry.field(description="Code of the account type points go to.")
    spendable: str = strawberry.field(description="PLACEMENT, DISPATCH or DAYS: when points can be spent.")
    days: int = strawberry.field(description="With DAYS: how many days after payment.")


@strawberry.type
class LoyaltyQueries:
    @query("loyalty_rule", description="The loyalty rule in force.")
    def loyalty_rule(self, info: Info) -> LoyaltyRule:
        rule = RuleModel.current()
        return LoyaltyRule(is_active=rule.is_active, rate=rule.rate, account_type=rule.account_type_code,
                           spendable=rule.spendable, days=rule.days)
