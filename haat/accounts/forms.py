"""Web forms for profiles, portfolio items and API tokens. They validate; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haat.accounts import choices
from haat.accounts.models import BIO_MAX_LENGTH, LanguageLevel, Profile
from haat.jobs.models import Skill
from haat.web.forms import grouped_checkboxes, skill_group
from haat.web.money import to_major, to_minor


def _choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


class SkillChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Skill) -> str:
        return obj.localized_name


class ProfileForm(forms.ModelForm):
    country = forms.ChoiceField(label=_("Country"), required=False)
    time_zone = forms.ChoiceField(label=_("Time zone"))
    hourly_rate_amount = forms.DecimalField(
        label=_("Hourly rate"),
        required=False,
        min_value=0.01,
        max_value=1_000_000,
        decimal_places=2,
        help_text=_("Leave empty if you only buy work."),
    )
    skills = SkillChoiceField(
        label=_("Skills"),
        queryset=Skill.objects.select_related("category").order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Profile
        fields = [
            "display_name",
            "company_name",
            "headline",
            "bio",
            "country",
            "time_zone",
            "hourly_rate_currency",
            "skills",
        ]
        labels = {
            "display_name": _("Display name"),
            "company_name": _("Company name (buyers, optional)"),
            "headline": _("Headline"),
            "bio": _("About you"),
            "hourly_rate_currency": _("Currency"),
        }
        help_texts = {
            "headline": _("One line buyers see first, e.g. “Django developer, 6 years”."),
            "bio": _("Markdown: **bold**, *italic*, lists and links."),
        }
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 8, "maxlength": BIO_MAX_LENGTH}),
            "hourly_rate_currency": forms.Select(choices=[]),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Built per request so the names follow the page language.
        _choice_field(self, "country").choices = [("", "—"), *choices.country_choices()]
        _choice_field(self, "time_zone").choices = choices.time_zone_choices()
        from django.conf import settings

        self.fields["hourly_rate_currency"].widget.choices = [(c, c) for c in settings.HAAT_CURRENCIES]
        if self.instance.hourly_rate is not None and not self.is_bound:
            self.initial["hourly_rate_amount"] = to_major(
                self.instance.hourly_rate, self.instance.hourly_rate_currency
            )

    def skill_groups(self) -> list[tuple[str, list[Any], bool]]:
        return grouped_checkboxes(self["skills"], skill_group)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        amount, currency = data.get("hourly_rate_amount"), data.get("hourly_rate_currency")
        data["hourly_rate"] = None
        if amount is not None and currency:
            try:
                data["hourly_rate"] = to_minor(amount, currency)
            except ValueError as exc:
                self.add_error("hourly_rate_amount", str(exc))
        return data

    def profile_fields(self) -> dict[str, Any]:
        """The cleaned values the profile service takes."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name != "skills"}
        data["hourly_rate"] = self.cleaned_data["hourly_rate"]
        return data


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), required=False)
    level = forms.ChoiceField(label=_("Level"), choices=[("", "—"), *LanguageLevel.choices], required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "language").choices = [("", "—"), *choices.language_choices()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("language")) != bool(data.get("level")):
            raise forms.ValidationError(_("Choose both a language and a level, or neither."))
        return data


LanguageFormSet = forms.formset_factory(LanguageForm, extra=2, max_num=15, absolute_max=15)


class PortfolioItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=_("Description"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    link = forms.URLField(label=_("Link"), max_length=500, required=False, assume_scheme="https")
    image = forms.FileField(
        label=_("Image (JPEG, PNG or WebP)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=80, help_text=_("What will use it, e.g. “my script”.")
    )
