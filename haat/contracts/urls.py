"""Pages of the contracts app."""

from django.urls import URLPattern

app_name = "contracts"
urlpatterns: list[URLPattern] = []
