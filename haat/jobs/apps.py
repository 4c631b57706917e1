from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "haat.jobs"
    label = "jobs"
    verbose_name = "Jobs"
