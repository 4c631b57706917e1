"""Pages of haat.staff."""

from django.urls import URLPattern, URLResolver, path

from haat.staff import views

app_name = "staff"
urlpatterns: list[URLPattern | URLResolver] = [
    path("staff/", views.home, name="home"),
    path("staff/dashboard/", views.dashboard, name="dashboard"),
    path("staff/audit/", views.audit_log, name="audit-log"),
]
