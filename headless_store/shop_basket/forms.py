"""Oscar's basket forms; AddToBasketForm also checks gift-card options (all problems at once, each
on its option's field)."""
from oscar.apps.basket.forms import *  # noqa: F403
from oscar.apps.basket.forms import AddToBasketForm as OscarAddToBasketForm

from headless_store.giftcard_sales.catalogue import check_basket_addition
from headless_store.giftcard_sales.exceptions import GiftCardOptionsInvalid


class AddToBasketForm(OscarAddToBasketForm):
    def clean(self):
        cleaned = super().clean()
        product = getattr(self, "product", None)
        if self.errors or product is None:
            return cleaned
        try:
            check_basket_addition(product, cleaned.get("quantity"), self.cleaned_options(), self.basket)
        except GiftCardOptionsInvalid as invalid:
            for field, messages in invalid.errors.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        return cleaned
