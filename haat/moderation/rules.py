"""The site's rules. Every warning and suspension cites one of them by its code, so the person affected reads
exactly which rule they are said to have broken, in their own language."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Rule:
    code: str
    title: str | Promise
    text: str | Promise


RULES: tuple[Rule, ...] = (
    Rule(
        "on-platform",
        _("Keep talk and payment on Haat"),
        _(
            "Do not share e-mail addresses, phone numbers or messenger handles before an award, and never "
            "pay or ask to be paid outside Haat."
        ),
    ),
    Rule(
        "respect",
        _("Be respectful"),
        _("No harassment, threats, hate or insults towards anyone on Haat."),
    ),
    Rule(
        "honesty",
        _("Be honest about yourself and your work"),
        _("No fake identities, invented experience, copied portfolios or misleading job posts."),
    ),
    Rule(
        "fair-reviews",
        _("Review fairly"),
        _("Reviews describe the contract as it happened; no bought, traded or retaliatory reviews."),
    ),
    Rule(
        "allowed-work",
        _("Only allowed work"),
        _("No illegal work, academic cheating, stolen content, malware or adult content."),
    ),
    Rule("no-spam", _("No spam"), _("No repeated, bulk or advertising posts, bids or messages.")),
    Rule(
        "no-fraud",
        _("No fraud"),
        _("No stolen payment methods, money laundering, chargeback schemes or scams."),
    ),
)

BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}


def choices() -> list[tuple[str, str | Promise]]:
    """The rules as form and model choices."""
    return [(rule.code, rule.title) for rule in RULES]


def rule_title(code: str) -> str:
    """The rule's title in the current language (the code itself for a rule since removed)."""
    rule = BY_CODE.get(code)
    return str(rule.title) if rule else code
