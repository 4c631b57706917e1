from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "haat.moderation"
    label = "moderation"
