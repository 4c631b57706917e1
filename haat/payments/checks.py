"""Deploy checks: refuse a production configuration in which anyone could create money."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register


@register(Tags.security, deploy=True)
def sandbox_gateway_off_in_production(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The sandbox gateway credits deposits without real money: it must be off when serving real users."""
    if "sandbox" in settings.HAAT_GATEWAYS:
        return [
            Error(
                "The sandbox payment gateway is enabled: anyone could add money to their wallet for free.",
                hint="Set HAAT_GATEWAYS=manual (or your real gateways) for production.",
                id="haat.E001",
            )
        ]
    return []
