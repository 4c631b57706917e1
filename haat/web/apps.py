from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "haat.web"
    label = "web"
    verbose_name = "Web"
