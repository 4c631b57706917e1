"""Writing the audit log: every staff action calls ``record`` inside the transaction that does the action, so
the entry exists exactly when the action happened."""

from __future__ import annotations

from typing import Any

from haat.staff.models import AuditEntry


def record(
    *, actor: Any, action: str, target_type: str, target_id: object, reason: str = "", **details: Any
) -> AuditEntry:
    """Append one entry: ``actor`` (a user, or ``None`` for the system) did ``action`` to
    ``target_type:target_id`` because ``reason``; ``details`` are JSON-serialisable facts (amounts, ids)."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        reason=reason,
        details=details,
    )
