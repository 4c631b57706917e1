from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "haat.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from haat.accounts import signals  # noqa: F401  (connects the profile-on-signup receiver)
