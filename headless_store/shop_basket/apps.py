import oscar.apps.basket.apps as apps


class BasketConfig(apps.BasketConfig):
    name = "headless_store.shop_basket"
