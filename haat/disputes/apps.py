from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "haat.disputes"
    label = "disputes"
