from django.apps import AppConfig
from django.db.models.signals import post_migrate


class StaffConfig(AppConfig):
    name = "haat.staff"
    label = "staff"
    verbose_name = "Staff back office"

    def ready(self) -> None:
        from haat.staff import roles

        # After every migrate (including the test database's), the role groups exist with their permissions.
        post_migrate.connect(roles.ensure_groups_on_migrate, dispatch_uid="haat.staff.ensure_groups")
