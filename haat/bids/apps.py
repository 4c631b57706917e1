from django.apps import AppConfig


class BidsConfig(AppConfig):
    name = "haat.bids"
    label = "bids"
    verbose_name = "Bids"
