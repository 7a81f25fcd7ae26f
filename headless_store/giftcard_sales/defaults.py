"""Every GIFT_CARD_* setting with its default (read through conf.settings)."""
#: Slug of the Oscar product class whose products are gift cards.
GIFT_CARD_PRODUCT_CLASS = "gift-card"
#: May a gift card (or a gift card's code) pay for gift cards? Off: a basket with gift-card lines
#: refuses gift cards as payment (GiftCardCannotPayForGiftCards), so a card cannot be laundered
#: into a fresh one with a new expiry or a new owner.
GIFT_CARD_PAY_FOR_GIFT_CARDS = False
#: Longest message and recipient name the buyer may write.
GIFT_CARD_MESSAGE_MAX_LENGTH = 500
GIFT_CARD_NAME_MAX_LENGTH = 100
#: How far ahead a delivery date may be (days).
GIFT_CARD_MAX_DELIVERY_DAYS = 365
#: Cards in one basket line, at most.
GIFT_CARD_MAX_QUANTITY = 10
