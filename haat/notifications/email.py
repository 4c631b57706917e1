"""One way to e-mail a user: composed in their language and time zone, whoever triggers it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation

from haat.accounts.models import Profile, User


def send_to(recipient: User, compose: Callable[[], tuple[str, str]]) -> None:
    """Send one e-mail to ``recipient``. ``compose`` returns (subject, body) and runs with the recipient's
    language and time zone active, so texts, dates and amounts read as they would on their own pages."""
    profile = Profile.objects.filter(user=recipient).only("language", "time_zone").first()
    language = profile.language if profile else settings.LANGUAGE_CODE
    zone = profile.zone if profile else dt.UTC
    with translation.override(language), timezone.override(zone):
        subject, body = compose()
        send_mail(subject, body, None, [recipient.email])
