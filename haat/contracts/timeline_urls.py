"""Pages: the contract timeline (included by contracts.urls)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
