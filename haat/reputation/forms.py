"""Forms of the reputation app: a review, and the directory's filters."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy

from haat.accounts import choices
from haat.jobs.models import Skill
from haat.reputation.services import MAX_REVIEW_LENGTH

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

STAR_CHOICES = [(n, str(n)) for n in range(5, 0, -1)]


def _stars(label: str | _StrPromise) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=STAR_CHOICES,
        coerce=int,
        widget=forms.Select,
        help_text=gettext_lazy("5 is best, 1 is worst."),
    )


class ReviewForm(forms.Form):
    quality = _stars(gettext_lazy("Quality of the work"))
    communication = _stars(gettext_lazy("Communication"))
    deadlines = _stars(gettext_lazy("Deadlines"))
    text = forms.CharField(
        label=gettext_lazy("Your review"),
        required=False,
        max_length=MAX_REVIEW_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Double-blind: the other side sees it once they have reviewed you too, or after 14 days."
        ),
    )


class DirectoryForm(forms.Form):
    skill = forms.ChoiceField(label=gettext_lazy("Skill"), required=False)
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        skill, country = self.fields["skill"], self.fields["country"]
        assert isinstance(skill, forms.ChoiceField) and isinstance(country, forms.ChoiceField)
        skill.choices = [("", gettext_lazy("Any skill"))] + [
            (s.slug, s.localized_name) for s in Skill.objects.order_by("name")
        ]
        country.choices = [("", gettext_lazy("Any country")), *choices.country_choices()]
