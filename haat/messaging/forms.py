"""Web forms for messages. They parse; ``haat.messaging.services`` validates and writes, so the page and the
API refuse the same input with the same message."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy

from haat.messaging.models import MESSAGE_MAX_LENGTH
from haat.messaging.services import MAX_ATTACHMENTS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more files from one ``<input type="file" multiple>``."""

    widget = MultipleFileInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def _attachment_help() -> str:
    return str(
        gettext_lazy("Up to %(n)d files, each at most %(size)s.")
        % {"n": MAX_ATTACHMENTS, "size": filesizeformat(settings.HAAT_MESSAGE_ATTACHMENT_MAX_BYTES)}
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Message"),
        max_length=MESSAGE_MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Markdown: **bold**, *italic*, lists and links."),
    )
    attachments = MultipleFileField(
        label=gettext_lazy("Attach files"), help_text=lazy(_attachment_help, str)()
    )


class EditMessageForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Message"),
        max_length=MESSAGE_MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("The earlier text stays visible to both of you as an earlier version."),
    )
