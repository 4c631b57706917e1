from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "haat.ledger"
    label = "ledger"
    verbose_name = "Ledger"
