"""Hooks into django-allauth's sign-up and e-mail flows."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.utils import translation

from haat.accounts import services


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        """Create the user, remembering the language they signed up in."""
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            services.set_language(user=user, language=translation.get_language() or "en")
        return user
