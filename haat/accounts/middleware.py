"""Show every page in the signed-in user's language and time zone."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from haat.accounts.models import Profile


class UserPreferencesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            profile = Profile.objects.filter(user=user).only("time_zone", "language").first()
            if profile is not None:
                timezone.activate(profile.zone)
                # An explicit choice on this browser (the language cookie) wins over the stored one.
                if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
                    translation.activate(profile.language)
                    request.LANGUAGE_CODE = profile.language
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
