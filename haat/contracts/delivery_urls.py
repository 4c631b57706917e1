"""Pages: deliverys of a contract (included by contracts.urls)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
