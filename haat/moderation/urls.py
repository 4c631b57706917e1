"""Pages of haat.moderation: the staff queue and actions, reporting, and the user's own moderation page."""

from django.urls import URLPattern, URLResolver, path

from haat.moderation import views

app_name = "moderation"

urlpatterns: list[URLPattern | URLResolver] = [
    path("staff/moderation/", views.queue, name="queue"),
]
