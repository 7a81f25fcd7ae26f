"""Gift cards sold in the shop: a gift-card product class in Oscar, a card issued for each gift-card
line when its order is paid (funded as deferred income, not revenue), delivered by e-mail on the
date the buyer chose, voided when the line is refunded, and reported on the dashboard."""
