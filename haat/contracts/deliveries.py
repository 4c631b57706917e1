"""Delivered work: checking a zip before it is stored, storing each version with its sha256, listing files.

The milestone's state change (funded / changes requested → delivered) belongs to ``contracts.services``; its
``deliver`` locks the milestone row and calls ``store_delivery`` inside its transaction. Nothing here moves
money or changes a milestone.

Reads (for the two parties only; everyone else gets ``DoesNotExist``, shown as 404) are at the bottom.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from haat.accounts.models import User
from haat.contracts import zipcheck
from haat.contracts.models import Delivery, Milestone
from haat.ledger.models import MAX_AMOUNT

NOTE_MAX_LENGTH = 5000
HASH_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class _Digest:
    sha256: str
    size: int


def _digest(upload: UploadedFile) -> _Digest:
    """sha256 and size of the upload, read chunk by chunk (the bytes that are stored are the bytes hashed)."""
    digest = hashlib.sha256()
    size = 0
    upload.seek(0)
    for chunk in upload.chunks(HASH_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return _Digest(sha256=digest.hexdigest(), size=size)


def _original_name(upload: UploadedFile) -> str:
    """The uploader's file name, reduced to a base name without control characters, at most 200 characters."""
    raw = os.path.basename((upload.name or "").replace("\\", "/"))
    clean = "".join(ch for ch in raw if ch.isprintable()).strip() or "delivery.zip"
    return clean[-200:]


def download_name(delivery: Delivery) -> str:
    """A safe name for the download: contract, milestone, version and a slug of the uploader's name."""
    milestone = delivery.milestone
    stem = slugify(os.path.splitext(delivery.original_name)[0], allow_unicode=True)[:60]
    base = f"contract-{milestone.contract_id}-milestone-{milestone.position}-v{delivery.version}"
    return f"{base}-{stem}.zip" if stem else f"{base}.zip"


@transaction.atomic
def store_delivery(*, milestone: Milestone, upload: UploadedFile, note: str) -> Delivery:
    """Check ``upload`` (a zip) and store it as the milestone's next delivery version.

    Raises ``django.core.exceptions.ValidationError`` keyed ``file`` (or ``note``) and stores nothing when the
    file is refused. Runs inside the caller's transaction; the caller has locked the milestone row, so the next
    version number (highest + 1) cannot be taken twice (the unique constraint is the last line of defence).

    ==============================  =========================================================================
    input                           outcome
    ==============================  =========================================================================
    note longer than 5000           ``ValidationError({"note": …})``; nothing checked or stored
    file refused by ``zipcheck``    ``ValidationError({"file": …})``; no row, no file in storage
    good zip                        ``Delivery`` version n+1 with size, sha256, entry count, uncompressed
                                    size; ``is_late`` when now is after ``milestone.due_at``
    ==============================  =========================================================================

    If the caller's transaction rolls back after this returns, the stored file stays behind without a row
    (storage is not transactional); it is never served, because files are served only through rows.
    """
    note = note or ""
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {
                "note": _("The note is %(length)s characters long; at most %(limit)s are allowed.")
                % {"length": len(note), "limit": NOTE_MAX_LENGTH}
            }
        )
    if upload is None:
        raise ValidationError({"file": _("Choose the zip file to deliver.")})
    try:
        upload.seek(0)
        report = zipcheck.check_zip(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    digest = _digest(upload)
    latest = Delivery.objects.filter(milestone=milestone).aggregate(latest=Max("version"))["latest"]
    delivery = Delivery(
        milestone=milestone,
        version=(latest or 0) + 1,
        original_name=_original_name(upload),
        size=digest.size,
        sha256=digest.sha256,
        entry_count=report.count,
        uncompressed_size=report.total_size,
        note=note,
        is_late=timezone.now() > milestone.due_at,
    )
    delivery.file.save("delivery.zip", upload, save=False)
    try:
        delivery.save()
    except BaseException:
        delivery.file.delete(save=False)
        raise
    return delivery


# --- Reads ------------------------------------------------------------------------------------------------


def _parties(user: User) -> Q:
    return Q(milestone__contract__buyer=user) | Q(milestone__contract__freelancer=user)


def deliveries_visible_to(user: User) -> QuerySet[Delivery]:
    """Every delivery on the user's contracts (as buyer or freelancer)."""
    return Delivery.objects.filter(_parties(user)).select_related("milestone", "milestone__contract")


def deliveries_of_milestone(user: User, milestone_id: int) -> QuerySet[Delivery]:
    """The versions delivered for one of the user's milestones, oldest first; ``Milestone.DoesNotExist``
    for unknown ids and other people's milestones alike."""
    if not 0 < milestone_id <= MAX_AMOUNT:
        raise Milestone.DoesNotExist
    parties = Q(contract__buyer=user) | Q(contract__freelancer=user)
    if not Milestone.objects.filter(parties, pk=milestone_id).exists():
        raise Milestone.DoesNotExist
    return deliveries_visible_to(user).filter(milestone_id=milestone_id).order_by("version", "pk")


def deliveries_of_contract(user: User, contract_id: int) -> QuerySet[Delivery]:
    """Every version delivered on one of the user's contracts, by milestone then version."""
    return (
        deliveries_visible_to(user)
        .filter(milestone__contract_id=contract_id)
        .order_by("milestone__position", "version", "pk")
    )


def delivery_for(user: User, delivery_id: int) -> Delivery:
    """One delivery on the user's contracts; ``Delivery.DoesNotExist`` for unknown ids and others' alike."""
    if not 0 < delivery_id <= MAX_AMOUNT:
        raise Delivery.DoesNotExist
    return deliveries_visible_to(user).get(pk=delivery_id)


def list_files(delivery: Delivery) -> list[zipcheck.ZipEntry]:
    """The entries of the stored zip, read from its central directory (names and sizes; nothing extracted)."""
    with delivery.file.open("rb") as handle:
        return zipcheck.read_entries(handle)
