from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "haat.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Connects the receivers: a profile for every new user; log-ins and log-outs in the session list.
        from haat.accounts import sessions, signals  # noqa: F401
