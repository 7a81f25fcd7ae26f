"""Gift cards sold in the shop: the buyer's myGiftCards; staff's giftCardSales and resendGiftCard."""
