from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "haat.contracts"
    label = "contracts"
    verbose_name = "Contracts"
