"""The contract's secret vault: server and database details the buyer shares with the freelancer.

Secrets are encrypted at rest with Fernet (``settings.HAAT_VAULT_KEY``); the database only ever holds the
ciphertext. Only the contract's two parties see the vault; everyone else gets "not found", like an unknown id.
Every read, addition, change and deletion is logged (``VaultAccess``: who, what, when and from which address),
and the log is kept for the parties (and arbiters) after the contract ends; it never holds the secret.

What each action needs (``RULES``: action → who may, contract states in which it is allowed)::

    action   who                      contract status
    add      buyer                    awaiting funding, active
    read     buyer, freelancer        awaiting funding, active       logged on every read
    update   buyer                    awaiting funding, active
    delete   buyer                    any (wiping a secret is always allowed)

A contract that is completed, cancelled or disputed closes the vault: its entries are hidden and nobody can
read them (``VaultClosed``, answered 409), but the access log stays. A deleted entry keeps its row (the access
log points at it) with its ciphertext replaced by an empty marker, and is hidden from then on.

Every public write is one transaction that locks the contract row first, then the entry
(``select_for_update``), so a read and the contract's closing never overlap.
"""

from __future__ import annotations

import enum
import ipaddress
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from haat.accounts.models import Profile, User
from haat.contracts.models import Contract, ContractStatus, VaultAccess, VaultEntry
from haat.ledger.models import MAX_AMOUNT

MAX_LABEL_LENGTH = 120
MAX_SECRET_LENGTH = 10_000
MAX_ENTRIES = 50
# The ciphertext of a deleted entry: not a Fernet token, so it can never be mistaken for a secret.
DELETED = ""

OPEN_STATUSES = frozenset({ContractStatus.AWAITING_FUNDING, ContractStatus.ACTIVE})


class Action(enum.StrEnum):
    ADD = "add"
    READ = "read"
    UPDATE = "update"
    DELETE = "delete"


class Role(enum.StrEnum):
    BUYER = "buyer"
    FREELANCER = "freelancer"


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role]
    statuses: frozenset[str] | None  # None: any contract status


RULES: dict[Action, Rule] = {
    Action.ADD: Rule(frozenset({Role.BUYER}), OPEN_STATUSES),
    Action.READ: Rule(frozenset({Role.BUYER, Role.FREELANCER}), OPEN_STATUSES),
    Action.UPDATE: Rule(frozenset({Role.BUYER}), OPEN_STATUSES),
    Action.DELETE: Rule(frozenset({Role.BUYER}), None),
}


class VaultClosed(ValidationError):
    """The contract has ended (or is disputed): the vault's secrets are hidden (the API answers 409)."""


class VaultKeyError(Exception):
    """The site's vault key cannot decrypt this secret (the key was changed or is malformed)."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "This secret cannot be decrypted with the site's current vault key. Nothing was shown; please "
                "ask the site's administrator to restore the key (HAAT_VAULT_KEY) that was used to store it."
            )
        )


# --- Encryption -----------------------------------------------------------------------------------------------


def _fernet() -> Fernet:
    try:
        return Fernet(settings.HAAT_VAULT_KEY)
    except (ValueError, TypeError) as exc:
        raise VaultKeyError from exc


def encrypt(secret: str) -> str:
    """The Fernet token (ASCII text) of ``secret`` under the site's vault key."""
    return _fernet().encrypt(secret.encode("utf-8")).decode("ascii")


def decrypt(ciphertext: str) -> str:
    """The secret of a Fernet token. Raises ``VaultKeyError`` when the key cannot decrypt it."""
    try:
        return _fernet().decrypt(ciphertext.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError) as exc:
        raise VaultKeyError from exc


# --- Helpers --------------------------------------------------------------------------------------------------


def _ip(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def _valid_id(value: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= MAX_AMOUNT:
        raise VaultEntry.DoesNotExist
    return value


def _parties(user: User) -> Q:
    return Q(buyer=user) | Q(freelancer=user)


def _role(contract: Contract, user: User) -> Role:
    return Role.BUYER if contract.buyer_id == user.pk else Role.FREELANCER


def closed_message(contract: Contract) -> str:
    """Why the vault of a contract that is no longer open is hidden."""
    if contract.status == ContractStatus.DISPUTED:
        return _(
            "The vault is closed while the contract is disputed: nobody can read its secrets. The log stays."
        )
    return _(
        "The vault is closed because the contract has ended (%(status)s): nobody can read its secrets any more. "
        "The access log stays."
    ) % {"status": contract.get_status_display()}


def is_open(contract: Contract) -> bool:
    return contract.status in OPEN_STATUSES


def check(contract: Contract, user: User, action: Action) -> None:
    """Raise ``PermissionDenied`` or ``VaultClosed`` unless ``RULES`` allow ``action``."""
    rule = RULES[action]
    if _role(contract, user) not in rule.roles:
        if action is Action.ADD:
            raise PermissionDenied(_("Only the buyer can add secrets to the vault."))
        if action is Action.UPDATE:
            raise PermissionDenied(_("Only the buyer can change the vault's secrets."))
        raise PermissionDenied(_("Only the buyer can delete the vault's secrets."))
    if rule.statuses is not None and contract.status not in rule.statuses:
        raise VaultClosed(closed_message(contract))


def _locked_contract(user: User, contract_id: int) -> Contract:
    if not isinstance(contract_id, int) or not 0 < contract_id <= MAX_AMOUNT:
        raise Contract.DoesNotExist
    return Contract.objects.select_for_update().filter(_parties(user)).get(pk=contract_id)


def _locked_entry(user: User, entry_id: int) -> tuple[Contract, VaultEntry]:
    """The contract (locked first) and the live entry (locked second); ``DoesNotExist`` for anyone else's."""
    contract_id = (
        VaultEntry.objects.filter(pk=_valid_id(entry_id))
        .exclude(ciphertext=DELETED)
        .values_list("contract_id", flat=True)
        .first()
    )
    if contract_id is None:
        raise VaultEntry.DoesNotExist
    try:
        contract = _locked_contract(user, contract_id)
    except Contract.DoesNotExist as exc:
        raise VaultEntry.DoesNotExist from exc
    entry = VaultEntry.objects.select_for_update().exclude(ciphertext=DELETED).get(pk=entry_id)
    return contract, entry


def _label(value: object) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise ValidationError({"label": _("Give the secret a label, such as “Production database”.")})
    if len(text) > MAX_LABEL_LENGTH:
        raise ValidationError({"label": _("At most %(n)d characters, please.") % {"n": MAX_LABEL_LENGTH}})
    if not text.isprintable():
        raise ValidationError(
            {"label": _("The label contains characters that are not allowed (such as line breaks).")}
        )
    return text


def _secret(value: object) -> str:
    text = value if isinstance(value, str) else ""
    if not text.strip():
        raise ValidationError({"secret": _("Enter the secret to store.")})
    if len(text) > MAX_SECRET_LENGTH:
        raise ValidationError(
            {"secret": _("A secret may have at most %(n)d characters.") % {"n": MAX_SECRET_LENGTH}}
        )
    if "\x00" in text:
        raise ValidationError({"secret": _("The secret contains a NUL character, which cannot be stored.")})
    return text


def _log(entry: VaultEntry, user: User, action: str, ip: object) -> None:
    VaultAccess.objects.create(entry=entry, user=user, action=action, ip_address=_ip(ip))


# --- Writes ---------------------------------------------------------------------------------------------------


@transaction.atomic
def add_entry(*, user: User, contract_id: int, label: str, secret: str, ip: str | None = None) -> VaultEntry:
    """Store an encrypted secret in the contract's vault (the buyer, while the contract is awaiting funding or
    active; at most ``MAX_ENTRIES`` live entries). Logged as ``create``. Raises ``Contract.DoesNotExist`` for
    other people's contracts, ``PermissionDenied`` for the freelancer, ``VaultClosed`` after the contract ended
    and ``ValidationError`` (by field) for a bad label or secret."""
    contract = _locked_contract(user, contract_id)
    check(contract, user, Action.ADD)
    errors: dict[str, list[str]] = {}
    clean: dict[str, str] = {}
    for field, parse, value in (("label", _label, label), ("secret", _secret, secret)):
        try:
            clean[field] = parse(value)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    if live_entries(contract).count() >= MAX_ENTRIES:
        raise ValidationError(
            {"label": _("A vault holds at most %(n)d secrets; delete one first.") % {"n": MAX_ENTRIES}}
        )
    entry = VaultEntry.objects.create(
        contract=contract, label=clean["label"], ciphertext=encrypt(clean["secret"]), created_by=user
    )
    _log(entry, user, VaultAccess.Action.CREATE, ip)
    return entry


@transaction.atomic
def read_entry(*, user: User, entry_id: int, ip: str | None = None) -> str:
    """Decrypt and return a secret for one of the contract's two parties, while the contract is awaiting
    funding or active; every read is logged. Raises ``VaultEntry.DoesNotExist`` for anyone else (and deleted
    entries), ``VaultClosed`` after the contract ended and ``VaultKeyError`` (nothing logged) when the site's
    key cannot decrypt it."""
    contract, entry = _locked_entry(user, entry_id)
    check(contract, user, Action.READ)
    secret = decrypt(entry.ciphertext)
    _log(entry, user, VaultAccess.Action.READ, ip)
    return secret


@transaction.atomic
def update_entry(
    *,
    user: User,
    entry_id: int,
    label: str | None = None,
    secret: str | None = None,
    ip: str | None = None,
) -> VaultEntry:
    """Change a secret's label and/or the secret (the buyer, while the vault is open; ``None`` keeps the value).
    Logged as ``update``. Raises like ``add_entry``, with ``VaultEntry.DoesNotExist`` for unknown entries."""
    contract, entry = _locked_entry(user, entry_id)
    check(contract, user, Action.UPDATE)
    errors: dict[str, list[str]] = {}
    changes: dict[str, str] = {}
    if label is not None:
        try:
            changes["label"] = _label(label)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if secret is not None:
        try:
            changes["ciphertext"] = encrypt(_secret(secret))
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    if not changes:
        raise ValidationError(_("Nothing to change: send a new label, a new secret or both."))
    for field, value in changes.items():
        setattr(entry, field, value)
    entry.save(update_fields=[*changes, "updated_at"])
    _log(entry, user, VaultAccess.Action.UPDATE, ip)
    return entry


@transaction.atomic
def delete_entry(*, user: User, entry_id: int, ip: str | None = None) -> VaultEntry:
    """Delete a secret (the buyer, in any contract state): the ciphertext is wiped and the entry hidden; the
    row and its access log stay. Logged as ``delete``. Raises ``VaultEntry.DoesNotExist`` for unknown or
    already deleted entries and ``PermissionDenied`` for the freelancer."""
    contract, entry = _locked_entry(user, entry_id)
    check(contract, user, Action.DELETE)
    entry.ciphertext = DELETED
    entry.save(update_fields=["ciphertext", "updated_at"])
    _log(entry, user, VaultAccess.Action.DELETE, ip)
    return entry


# --- Reads ----------------------------------------------------------------------------------------------------


def live_entries(contract: Contract) -> QuerySet[VaultEntry]:
    """The contract's entries that were not deleted, oldest first (labels only; the ciphertext stays put)."""
    return VaultEntry.objects.filter(contract=contract).exclude(ciphertext=DELETED).order_by("pk")


def visible_entries(contract: Contract) -> QuerySet[VaultEntry]:
    """What the parties see listed: the live entries while the vault is open, nothing once it is closed."""
    if not is_open(contract):
        return VaultEntry.objects.none()
    return live_entries(contract).defer("ciphertext")


def entry_of(user: User, entry_id: int) -> VaultEntry:
    """A live entry of one of the user's contracts (for the edit page: the ciphertext is never decrypted here);
    ``VaultEntry.DoesNotExist`` for anyone else's."""
    return (
        VaultEntry.objects.filter(contract__in=Contract.objects.filter(_parties(user)))
        .exclude(ciphertext=DELETED)
        .select_related("contract")
        .get(pk=_valid_id(entry_id))
    )


def person(user: User) -> str:
    """The name the other party sees in the log."""
    try:
        return user.profile.public_name
    except Profile.DoesNotExist:
        return user.email.split("@")[0]


def access_log(user: User, contract_id: int) -> QuerySet[VaultAccess]:
    """Who did what to which secret and when, oldest first, for the contract's parties (arbiters later); never
    the secret. Kept after the contract ends and for deleted entries. ``Contract.DoesNotExist`` for anyone
    else."""
    if not isinstance(contract_id, int) or not 0 < contract_id <= MAX_AMOUNT:
        raise Contract.DoesNotExist
    contract = Contract.objects.filter(_parties(user)).get(pk=contract_id)
    return (
        VaultAccess.objects.filter(entry__contract=contract)
        .select_related("entry", "user__profile")
        .defer("entry__ciphertext")
        .order_by("at", "pk")
    )
