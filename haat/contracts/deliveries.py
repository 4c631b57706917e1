"""Delivered work: checking a zip before it is stored, storing each version with its sha256, listing files.

The milestone's state change (delivered) belongs to ``contracts.services``; it calls ``store_delivery``.
"""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile

from haat.contracts.models import Delivery, Milestone


def store_delivery(*, milestone: Milestone, upload: UploadedFile, note: str) -> Delivery:
    """Check ``upload`` (a zip) and store it as the milestone's next delivery version.

    Raises ``django.core.exceptions.ValidationError`` keyed ``file`` (or ``note``) and stores nothing when the
    file is refused. Runs inside the caller's transaction; the caller has locked the milestone row.
    """
    raise NotImplementedError("filled by the delivery part")
