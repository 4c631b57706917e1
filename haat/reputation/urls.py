"""Pages of the reputation app: reviews and the freelancer directory."""

from django.urls import URLPattern

app_name = "reputation"
urlpatterns: list[URLPattern] = []
