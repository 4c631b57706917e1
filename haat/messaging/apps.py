from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "haat.messaging"
    label = "messaging"
    verbose_name = "Messaging"
