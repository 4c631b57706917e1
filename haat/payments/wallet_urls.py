"""Pages: wallets (included by payments.urls)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
