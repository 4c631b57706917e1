from django.apps import AppConfig


class ReputationConfig(AppConfig):
    name = "haat.reputation"
    label = "reputation"
    verbose_name = "Reputation"
