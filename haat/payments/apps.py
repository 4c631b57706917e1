from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "haat.payments"
    label = "payments"
    verbose_name = "Payments"

    def ready(self) -> None:
        from haat.payments import checks  # noqa: F401  (registers the deploy checks)
