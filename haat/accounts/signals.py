"""Every user gets a profile as soon as the account exists."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from haat.accounts.models import Profile, User


@receiver(post_save, sender=User, dispatch_uid="haat_accounts_create_profile")
def create_profile(
    sender: type[User], instance: User, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if created and not raw:
        Profile.objects.get_or_create(user=instance)
