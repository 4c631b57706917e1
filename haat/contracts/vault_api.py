"""API: the contract's secret vault (mounted by contracts.api).

Listing shows labels and the access log only; ``GET /vault/{id}`` returns the secret, logs the read and is
never cached. Only the contract's two parties see anything (404 for everyone else); only the buyer adds,
changes and deletes. Once the contract is completed, cancelled or disputed the secrets are hidden (409) and
the log stays.
"""
# No "from __future__ import annotations": django-ninja reads the real annotations at import time.

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from haat.accounts.models import User
from haat.api import AUTH_ERRORS, INPUT_ERRORS, Problem
from haat.contracts import vault
from haat.contracts.models import Contract, VaultAccess, VaultEntry

router = Router(tags=["contracts"])

NOT_FOUND: dict[int, type[Schema]] = {404: Problem}
CLOSED: dict[int, type[Schema]] = {409: Problem}
KEY_ERROR: dict[int, type[Schema]] = {503: Problem}


class VaultEntryOut(Schema):
    id: int
    contract_id: int
    label: str
    created_at: datetime
    updated_at: datetime


class SecretOut(VaultEntryOut):
    secret: str = Field(description="The decrypted secret. This read is logged.")


class PersonOut(Schema):
    id: int
    name: str


class AccessOut(Schema):
    entry_id: int
    label: str = Field(description="The entry's label (kept after the entry is deleted).")
    user: PersonOut
    action: VaultAccess.Action
    at: datetime


class VaultOut(Schema):
    contract_id: int
    open: bool = Field(description="False once the contract is completed, cancelled or disputed.")
    closed_reason: str | None
    can_edit: bool = Field(description="Whether you (the buyer) may add and change secrets now.")
    entries: list[VaultEntryOut] = Field(description="Labels only; empty while the vault is closed.")
    log: list[AccessOut] = Field(description="Every creation, read, change and deletion, oldest first.")


class VaultEntryIn(Schema):
    label: str = Field(description=f"1 to {vault.MAX_LABEL_LENGTH} characters, one line.")
    secret: str = Field(description=f"1 to {vault.MAX_SECRET_LENGTH} characters; stored encrypted.")


class VaultEntryPatch(Schema):
    label: str | None = Field(None, description="A new label; leave out to keep it.")
    secret: str | None = Field(None, description="A new secret; leave out to keep it.")


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def _ip(request: HttpRequest) -> str | None:
    value = request.META.get("REMOTE_ADDR")
    return value if isinstance(value, str) else None


def _access(row: VaultAccess) -> dict[str, object]:
    return {
        "entry_id": row.entry_id,
        "label": row.entry.label,
        "user": {"id": row.user_id, "name": vault.person(row.user)},
        "action": row.action,
        "at": row.at,
    }


@router.get(
    "/contracts/{contract_id}/vault",
    response={200: VaultOut, **NOT_FOUND, **AUTH_ERRORS},
    summary="The contract's vault: labels of its secrets and the access log (never the secrets)",
)
def get_vault(request: HttpRequest, contract_id: int) -> dict[str, object]:
    user = _user(request)
    log = list(vault.access_log(user, contract_id))
    contract = Contract.objects.get(pk=contract_id)
    is_open = vault.is_open(contract)
    return {
        "contract_id": contract.pk,
        "open": is_open,
        "closed_reason": None if is_open else vault.closed_message(contract),
        "can_edit": is_open and contract.buyer_id == user.pk,
        "entries": list(vault.visible_entries(contract)),
        "log": [_access(row) for row in log],
    }


@router.post(
    "/contracts/{contract_id}/vault",
    response={201: VaultEntryOut, **CLOSED, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Store a secret, encrypted (the buyer, while the contract is awaiting funding or active)",
)
def add_entry(request: HttpRequest, contract_id: int, payload: VaultEntryIn) -> Status:
    try:
        entry = vault.add_entry(
            user=_user(request),
            contract_id=contract_id,
            label=payload.label,
            secret=payload.secret,
            ip=_ip(request),
        )
    except vault.VaultClosed as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc
    return Status(201, entry)


@router.get(
    "/vault/{entry_id}",
    response={200: SecretOut, **CLOSED, **KEY_ERROR, **NOT_FOUND, **AUTH_ERRORS},
    summary="Read a secret (the two parties, while the contract is open); every read is logged",
)
def read_entry(request: HttpRequest, response: HttpResponse, entry_id: int) -> dict[str, object]:
    response["Cache-Control"] = "private, no-store"
    try:
        secret = vault.read_entry(user=_user(request), entry_id=entry_id, ip=_ip(request))
    except vault.VaultClosed as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc
    except vault.VaultKeyError as exc:
        raise HttpError(503, str(exc)) from exc
    entry = VaultEntry.objects.defer("ciphertext").get(pk=entry_id)
    return {
        "id": entry.pk,
        "contract_id": entry.contract_id,
        "label": entry.label,
        "created_at": entry.created_at,
        "updated_at": entry.updated_at,
        "secret": secret,
    }


@router.patch(
    "/vault/{entry_id}",
    response={200: VaultEntryOut, **CLOSED, **NOT_FOUND, **INPUT_ERRORS, **AUTH_ERRORS},
    summary="Change a secret's label and/or the secret (the buyer, while the contract is open)",
)
def update_entry(request: HttpRequest, entry_id: int, payload: VaultEntryPatch) -> VaultEntry:
    try:
        return vault.update_entry(
            user=_user(request),
            entry_id=entry_id,
            label=payload.label,
            secret=payload.secret,
            ip=_ip(request),
        )
    except vault.VaultClosed as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc


@router.delete(
    "/vault/{entry_id}",
    response={204: None, **NOT_FOUND, **AUTH_ERRORS},
    summary="Delete a secret (the buyer): it is wiped and hidden; the access log stays",
)
def delete_entry(request: HttpRequest, entry_id: int) -> Status:
    vault.delete_entry(user=_user(request), entry_id=entry_id, ip=_ip(request))
    return Status(204, None)
