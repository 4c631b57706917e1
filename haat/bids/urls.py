"""Pages of the bids app."""

from django.urls import URLPattern

app_name = "bids"
urlpatterns: list[URLPattern] = []
