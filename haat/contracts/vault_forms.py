"""Web forms for the secret vault. They parse; ``haat.contracts.vault`` validates and writes (so the page and
the API refuse the same input with the same message)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from haat.contracts import vault


class VaultEntryForm(forms.Form):
    """Add a secret, or change one (then an empty secret keeps the stored one)."""

    label = forms.CharField(
        label=gettext_lazy("Label"),
        max_length=vault.MAX_LABEL_LENGTH,
        help_text=gettext_lazy("What this is, e.g. “Production database” or “Staging server SSH”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    secret = forms.CharField(
        label=gettext_lazy("Secret"),
        max_length=vault.MAX_SECRET_LENGTH,
        strip=False,
        help_text=gettext_lazy(
            "Host names, user names, passwords, keys. Stored encrypted; only you and the freelancer can read "
            "it while the contract is open, and every read is logged."
        ),
        widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["secret"].required = False
            self.fields["secret"].help_text = gettext_lazy(
                "Leave empty to keep the stored secret. It is not shown here: reveal it from the vault (logged)."
            )
