"""Payment gateways that take deposits, and the HMAC signature of their webhooks.

A gateway tells the payer what to do next (``start``) and later reports the outcome to
``POST /api/v1/gateways/<code>/webhook``, signed with ``HAAT_WEBHOOK_SECRET``:

    X-Haat-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">

A signature is accepted only within ``REPLAY_WINDOW_SECONDS`` of our clock (either way), and compared in
constant time. Several ``v1=`` entries may be sent (e.g. while the secret is being rotated); one must match.

Built in: ``sandbox`` (completes at once by sending itself a signed success event; for demos and tests) and
``manual`` (a bank transfer: the payer quotes the deposit's reference, finance staff confirm what arrived).
Which ones take new deposits is ``settings.HAAT_GATEWAYS``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from haat.payments.models import Deposit

SIGNATURE_HEADER = "X-Haat-Signature"
REPLAY_WINDOW_SECONDS = 5 * 60
_MAX_HEADER_LENGTH = 1024


# --- The interface -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Instructions:
    """What the payer should do next, shown on the deposit page and returned by the API."""

    kind: str  # "none" (nothing to do) or "bank_transfer"
    message: str
    reference: str | None = None  # the text the payer must quote, e.g. on the bank transfer
    bank_details: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "message": self.message,
            "reference": self.reference,
            "bank_details": self.bank_details,
        }


class Gateway(ABC):
    """A way to pay money in. Subclasses are stateless; one instance serves every request."""

    code: ClassVar[str]
    completes_instantly: ClassVar[bool] = False

    @property
    @abstractmethod
    def display_name(self) -> str:
        """The name shown to users, in the current language."""

    @abstractmethod
    def instructions(self, deposit: Deposit) -> Instructions:
        """What the payer has to do for ``deposit`` (pure: may be called on every page view)."""

    def start(self, deposit: Deposit) -> Instructions:
        """Begin a new deposit (called once, inside the transaction that created it) and say what comes next."""
        return self.instructions(deposit)


class SandboxGateway(Gateway):
    """Test money, credited at once. Never enable it where real money is handled."""

    code = "sandbox"
    completes_instantly = True

    @property
    def display_name(self) -> str:
        return _("Sandbox (test money)")

    def instructions(self, deposit: Deposit) -> Instructions:
        return Instructions(
            kind="none",
            message=_("Sandbox deposit: test money is credited at once. Nothing else to do."),
            reference=deposit.reference,
        )

    def start(self, deposit: Deposit) -> Instructions:
        """Report success straight away, through the same signed path a real gateway's webhook takes."""
        from haat.payments import deposits  # deposits imports this module

        body = encode_event(
            {
                "deposit": deposit.reference,
                "status": "succeeded",
                "amount": deposit.amount,
                "currency": deposit.currency,
                "gateway_reference": f"sandbox-{deposit.reference}",
            }
        )
        deposits.receive_webhook(gateway=self.code, body=body, signature=sign(body))
        return self.instructions(deposit)


class ManualGateway(Gateway):
    """A bank transfer: the payer quotes the reference; finance staff confirm the amount that arrived."""

    code = "manual"

    @property
    def display_name(self) -> str:
        return _("Bank transfer")

    def instructions(self, deposit: Deposit) -> Instructions:
        details = getattr(settings, "HAAT_MANUAL_BANK_DETAILS", "") or _(
            "The site's bank account details (bank, account name, account number, routing code) appear "
            "here once the operator has set them."
        )
        return Instructions(
            kind="bank_transfer",
            message=_(
                "Send the money by bank transfer to the account below and write the reference %(reference)s "
                "in the payment details, exactly as shown. Your wallet is credited with the amount that "
                "arrives once our finance team has checked it."
            )
            % {"reference": deposit.reference},
            reference=deposit.reference,
            bank_details=str(details),
        )


BUILT_IN: dict[str, Gateway] = {g.code: g for g in (SandboxGateway(), ManualGateway())}


class UnknownGateway(LookupError):
    """No such gateway, or it is not enabled here."""


def enabled() -> dict[str, Gateway]:
    """The gateways that take new deposits, in the order ``settings.HAAT_GATEWAYS`` lists them."""
    return {code: BUILT_IN[code] for code in settings.HAAT_GATEWAYS if code in BUILT_IN}


def get(code: str, *, enabled_only: bool = True) -> Gateway:
    """The gateway ``code``; raises ``UnknownGateway`` if there is none (or it is disabled and
    ``enabled_only``)."""
    gateway = (enabled() if enabled_only else BUILT_IN).get(code)
    if gateway is None:
        raise UnknownGateway(code)
    return gateway


def display_name(code: str) -> str:
    """A gateway's name for display, even if it has since been disabled or removed."""
    gateway = BUILT_IN.get(code)
    return gateway.display_name if gateway is not None else code


# --- Webhook signatures --------------------------------------------------------------------------------------


class SignatureError(Exception):
    """The webhook's signature is missing, malformed, wrong or too old. ``status`` is the HTTP answer."""

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status = status


def _secret() -> bytes:
    secret = settings.HAAT_WEBHOOK_SECRET
    if not secret:
        raise SignatureError(_("Webhooks are not configured on this site."), status=401)
    return str(secret).encode()


def _mac(timestamp: int, body: bytes) -> str:
    return hmac.new(_secret(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()


def encode_event(event: dict[str, Any]) -> bytes:
    """The canonical JSON body of a gateway event."""
    return json.dumps(event, separators=(",", ":"), sort_keys=True).encode()


def sign(body: bytes, *, timestamp: int | None = None) -> str:
    """The ``X-Haat-Signature`` header value for ``body`` (used by the sandbox, by gateways' tests, and by
    operators' scripts)."""
    t = int(time.time()) if timestamp is None else timestamp
    return f"t={t},v1={_mac(t, body)}"


def verify_signature(body: bytes, header: str | None, *, now: int | None = None) -> None:
    """Check a webhook's signature; raises ``SignatureError`` unless it is authentic and fresh."""
    if not header:
        raise SignatureError(
            _("The %(header)s header is missing.") % {"header": SIGNATURE_HEADER}, status=400
        )
    if len(header) > _MAX_HEADER_LENGTH:
        raise SignatureError(
            _("The %(header)s header is too long.") % {"header": SIGNATURE_HEADER}, status=400
        )
    timestamp: int | None = None
    candidates: list[str] = []
    for part in header.split(","):
        key, sep, value = part.strip().partition("=")
        if not sep:
            raise SignatureError(
                _("The %(header)s header is malformed.") % {"header": SIGNATURE_HEADER}, status=400
            )
        if key == "t":
            if timestamp is not None or not value.isascii() or not value.isdigit() or len(value) > 12:
                raise SignatureError(
                    _("The %(header)s timestamp is malformed.") % {"header": SIGNATURE_HEADER}, status=400
                )
            timestamp = int(value)
        elif key == "v1":
            candidates.append(value)
    if timestamp is None or not candidates:
        raise SignatureError(
            _("The %(header)s header needs t= and v1=.") % {"header": SIGNATURE_HEADER}, status=400
        )
    current = int(time.time()) if now is None else now
    if abs(current - timestamp) > REPLAY_WINDOW_SECONDS:
        raise SignatureError(
            _("The signature's timestamp is more than 5 minutes away from our clock."), status=401
        )
    expected = _mac(timestamp, body).encode()
    # Compare every candidate (no early exit), each in constant time.
    matched = False
    for candidate in candidates:
        matched |= hmac.compare_digest(expected, candidate.encode("ascii", "replace"))
    if not matched:
        raise SignatureError(_("The signature does not match the body."), status=401)
