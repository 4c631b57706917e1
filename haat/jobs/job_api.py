"""API: posting and managing jobs, attachments, NDAs and invitations (the list/search lives in search_api)."""

from ninja import Router

router = Router(tags=["jobs"])
