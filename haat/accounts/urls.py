from django.urls import path

from haat.accounts import session_views, views

app_name = "accounts"
urlpatterns = [
    path("people/<int:user_id>/", views.profile_detail, name="profile"),
    path("profile/edit/", views.profile_edit, name="profile-edit"),
    path("profile/portfolio/add/", views.portfolio_add, name="portfolio-add"),
    path("profile/portfolio/<int:item_id>/delete/", views.portfolio_delete, name="portfolio-delete"),
    path("portfolio/<int:item_id>/image", views.portfolio_image, name="portfolio-image"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/tokens/", views.token_create, name="token-create"),
    path("settings/tokens/<int:token_id>/revoke/", views.token_revoke, name="token-revoke"),
    path("settings/sessions/", session_views.session_list, name="sessions"),
    path("settings/sessions/<int:session_id>/revoke/", session_views.session_revoke, name="session-revoke"),
    path(
        "settings/sessions/revoke-others/", session_views.session_revoke_others, name="session-revoke-others"
    ),
]
