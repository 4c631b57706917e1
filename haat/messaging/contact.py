"""Finding off-platform contact details in a message: e-mail addresses, phone numbers and messenger links.

Before an award, talk must stay on the site (it is the evidence in a dispute, and the site's fee protects both
sides), so a message that contains such details is still delivered but flagged to its sender and recorded.
The detection is deliberately a little generous: a false flag only shows the sender a warning.

- **E-mail**: ``name@example.com`` and the usual disguises ``name (at) example (dot) com``,
  ``name [at] example.com``, ``name at gmail dot com``.
- **Phone**: any digits in any script (Bengali ``০১৭১২…`` counts as ``01712…``), with spaces, dashes, dots or
  brackets between them. Flagged: a Bangladeshi mobile number (``01712-345678``, ``+880 1712 345678``,
  ``8801712345678``), a number written with a leading ``+`` and 8–15 digits, or any run of 10–15 digits.
- **Messenger**: links and names of WhatsApp (``wa.me``), Telegram (``t.me``), Skype (``skype:``,
  ``live:`` ids), Facebook Messenger (``m.me``), Viber and imo, in English and Bengali spelling. "imo" alone is
  also "in my opinion", so it is flagged only as ``imo.im`` or when a number, an ``@`` or "id" follows it.
"""

from __future__ import annotations

import enum
import re
import unicodedata

from django.utils.text import get_text_list
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class ContactKind(enum.StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    MESSENGER = "messenger"


LABELS = {
    ContactKind.EMAIL: _("an e-mail address"),
    ContactKind.PHONE: _("a phone number"),
    ContactKind.MESSENGER: _("a messenger link or handle"),
}

_AT = r"(?:@|\s*[\(\[\{<]\s*at\s*[\)\]\}>]\s*|\s+at\s+)"
_DOT = r"(?:\.|\s*[\(\[\{<]\s*dot\s*[\)\]\}>]\s*|\s+dot\s+)"
# Each alternative starts only at the beginning of a word, so a long word is scanned once, not once per letter.
_EMAIL = re.compile(
    # A plain address; the domain needs a dot and a letter-only top-level part.
    r"(?<![\w.+%-])[\w.+%-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,24}\b"
    # Disguised: "name (at) example (dot) com", "name at gmail dot com", "name [at] example.com".
    rf"|(?<![\w.+%-])[\w.+%-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}(?:com|net|org|info|io|me|co|bd|in|uk|edu)\b",
    re.IGNORECASE,
)
# Digits with at most two separators between each; the leading "+" is kept to tell international numbers.
_PHONE_CANDIDATE = re.compile(r"(?<![0-9+])\+?\(?[0-9](?:[\s.()\-]{0,2}[0-9]){6,18}(?![0-9])")
_BD_MOBILE = re.compile(r"(?:\+?88)?01[3-9][0-9]{8}")


def _bengali(*words: str) -> str:
    """Bengali words as a regex alternative, in the same normal form as the text (NFKC splits য় into য + ়)."""
    return "|".join(re.escape(unicodedata.normalize("NFKC", word)) for word in words)


_BN = "\u0980-\u09ff"
_MESSENGER = re.compile(
    r"\b(?:wa\.me|api\.whatsapp\.com|chat\.whatsapp\.com|whats\s?app|whatsap|watsapp)\b"
    r"|\b(?:t\.me|telegram\.me|telegram)\b"
    r"|\bskype\b|\blive:[.\w-]{3,}"
    r"|\b(?:m\.me|messenger\.com|messenger)\b"
    r"|\bviber\b"
    # "imo" is also "in my opinion": only its domain, or the name followed by a number, an "@" or "id".
    r"|\bimo\.im\b|\bimo\b(?=\s*(?:id\b|no\b|number\b|[:\-]?\s*[+0-9@]))"
    rf"|{_bengali('হোয়াটসঅ্যাপ', 'হোয়াটস অ্যাপ', 'হোয়াটসআপ', 'টেলিগ্রাম', 'স্কাইপ', 'মেসেঞ্জার', 'ম্যাসেঞ্জার', 'ভাইবার')}"
    rf"|(?<![{_BN}]){_bengali('ইমো')}(?![{_BN}])(?=\s*(?:[:\-]?\s*[+0-9]|{_bengali('আইডি', 'নাম্বার', 'নম্বর')}))",
    re.IGNORECASE,
)


def _ascii_digits(text: str) -> str:
    """The text with every decimal digit of any script (Bengali ০–৯, Arabic-Indic…) as 0–9, same length."""
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in text)


def _is_phone(candidate: str) -> bool:
    digits = re.sub(r"[^0-9]", "", candidate)
    if _BD_MOBILE.fullmatch(digits):
        return True
    if candidate.startswith("+") and 8 <= len(digits) <= 15:
        return True
    return 10 <= len(digits) <= 15


def find_contact_details(text: str) -> list[ContactKind]:
    """The kinds of contact details ``text`` contains, in a fixed order (e-mail, phone, messenger)."""
    normalised = unicodedata.normalize("NFKC", _ascii_digits(text or ""))
    found: list[ContactKind] = []
    if _EMAIL.search(normalised):
        found.append(ContactKind.EMAIL)
    if any(_is_phone(match.group()) for match in _PHONE_CANDIDATE.finditer(normalised)):
        found.append(ContactKind.PHONE)
    if _MESSENGER.search(normalised):
        found.append(ContactKind.MESSENGER)
    return found


def parse_flags(value: str) -> list[ContactKind]:
    """The kinds stored in ``Message.contact_flags`` (comma-separated), unknown words skipped."""
    known = {kind.value for kind in ContactKind}
    return [ContactKind(part) for part in value.split(",") if part in known]


def format_flags(kinds: list[ContactKind] | set[ContactKind]) -> str:
    """Store kinds as ``Message.contact_flags`` does: comma-separated, in the fixed order."""
    return ",".join(kind.value for kind in ContactKind if kind in kinds)


def warning_for(kinds: list[ContactKind]) -> str:
    """What the sender is told about a flagged message, in the current language."""
    found = get_text_list([str(LABELS[kind]) for kind in kinds], gettext("and"))
    return gettext(
        "Your message seems to contain %(found)s. It was sent, but until the job is awarded please keep all "
        "contact on the site: our records of the conversation protect you if there is a dispute. This has been "
        "noted."
    ) % {"found": found}


def note_for(kinds: list[ContactKind]) -> str:
    """The short note the sender sees next to a flagged message (the recipient never sees it)."""
    found = get_text_list([str(LABELS[kind]) for kind in kinds], gettext("and"))
    return gettext("Only you see this: the message seems to contain %(found)s, and this was recorded.") % {
        "found": found
    }
