"""myGiftCards (the buyer's), giftCardSales (staff)."""
from typing import Annotated

import strawberry

from headless_store.giftcard_sales.selectors import sales_bought_by, sales_for_staff

from ..context import Info
from ..fields import query
from ..pagination import After, Connection, First, keyset_page, page
from .types import GiftCardPurchase, GiftCardStatus


@strawberry.type
class GiftCardSaleQueries:
    @query("my_gift_cards", description="The gift cards you bought, newest first: recipient, amount, when sent, "
           "whether used. Never their codes.")
    def my_gift_cards(self, info: Info, first: First = None, after: After = None) -> Connection[GiftCardPurchase]:
        sales = sales_bought_by(info.context.user)
        rows, page_info = keyset_page(sales, first, after)
        return page([(GiftCardPurchase.from_model(sale), sale) for sale in rows], page_info, sales.count)

    @query("gift_card_sales", description="Gift cards sold in the shop, newest first, with their delivery log.")
    def gift_card_sales(
        self, info: Info, first: First = None, after: After = None,
        status: Annotated[GiftCardStatus | None, strawberry.argument(description="Only these (FAILED: to resend).")] = None,
    ) -> Connection[GiftCardPurchase]:
        sales = sales_for_staff(status=status.value if status else None).prefetch_related("deliveries")
        rows, page_info = keyset_page(sales, first, after)
        return page([(GiftCardPurchase.from_model(sale), sale) for sale in rows], page_info, sales.count)
