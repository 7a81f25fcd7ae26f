"""The loyalty app's settings and their defaults, in one place (read through `loyalty.conf.settings`).
This module only declares values, so settings.py can name its defaults.

The LOYALTY_ACTIVE...LOYALTY_SPENDABLE_DAYS values are the defaults of the rule staff edit in the
dashboard (Loyalty rule): they apply when the rule is first made.
"""

LOYALTY_ACTIVE = True
# Points per currency unit paid (not counting what gift cards and points paid); a point is worth 1 unit.
LOYALTY_RATE = "0.05"
# When earned points may be spent: PLACEMENT (paid), DISPATCH (dispatched) or DAYS (days after payment).
LOYALTY_SPENDABLE = "PLACEMENT"
# With DAYS: how many days after payment. 14, a usual return window, so points from an order that
# is returned are taken back before they are spent (used only when LOYALTY_SPENDABLE is DAYS).
LOYALTY_SPENDABLE_DAYS = 14
# The account type of the points wallets.
LOYALTY_ACCOUNT_TYPE = "loyalty_points"
# Oscar order statuses: the one that takes earned points back, and those that count as dispatched.
LOYALTY_CANCELLED_STATUS = "Cancelled"
LOYALTY_DISPATCHED_STATUSES = ("Complete",)
# Product classes (slugs) whose lines earn no points: gift cards are money, not a purchase.
LOYALTY_EXCLUDED_PRODUCT_CLASSES = ("gift-card",)
