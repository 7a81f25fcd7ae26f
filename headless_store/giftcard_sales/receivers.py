"""Where gift-card sales hook into the checkout (connected in apps.py)."""


def order_paid(sender, order, lines=None, **kwargs):
    from .services import issue_for_order

    issue_for_order(order, lines=lines)


def order_refunding(sender, order, amount, quantities=None, staff=None, **kwargs):
    from .services import void_for_refund

    void_for_refund(order=order, amount=amount, quantities=quantities, staff=staff)


def payment_sources_chosen(sender, basket, accounts, **kwargs):
    from .catalogue import check_gift_card_lines
    from .services import refuse_gift_cards_for_gift_cards

    check_gift_card_lines(basket)
    refuse_gift_cards_for_gift_cards(basket=basket, accounts=accounts)
