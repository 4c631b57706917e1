"""Pages: search (included by jobs.urls)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
