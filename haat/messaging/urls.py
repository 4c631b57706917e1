"""Pages of the messaging app: the inbox, threads, editing a message, starting an interview, attachments."""

from django.urls import URLPattern, path

from haat.messaging import views

app_name = "messaging"
urlpatterns: list[URLPattern] = [
    path("messages/", views.inbox, name="inbox"),
    path("messages/<int:thread_id>/", views.thread_detail, name="thread"),
    path("messages/start/<int:job_id>/", views.thread_start, name="start"),
    path("messages/message/<int:message_id>/edit/", views.message_edit, name="edit"),
    path("messages/file/<int:attachment_id>/", views.attachment_download, name="attachment"),
]
