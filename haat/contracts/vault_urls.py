"""Pages: the secret vault of a contract (included by contracts.urls)."""

from django.urls import URLPattern, path

from haat.contracts import vault_views as views

urlpatterns: list[URLPattern] = [
    path("contracts/<int:contract_id>/vault/", views.vault_list, name="vault"),
    path("contracts/<int:contract_id>/vault/add/", views.vault_add, name="vault-add"),
    path("contracts/<int:contract_id>/vault/log/", views.vault_log, name="vault-log"),
    path("contracts/vault/<int:entry_id>/reveal/", views.vault_reveal, name="vault-reveal"),
    path("contracts/vault/<int:entry_id>/edit/", views.vault_edit, name="vault-edit"),
    path("contracts/vault/<int:entry_id>/delete/", views.vault_delete, name="vault-delete"),
]
