"""Web forms for posting and editing jobs, attachments and invitations. They parse; services validate and
write (so the page and the API refuse the same input with the same message)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy

from haat.jobs import services
from haat.jobs.models import Category, Job, Skill, Visibility
from haat.web.forms import grouped_checkboxes, skill_group
from haat.web.money import to_major, to_minor_units

# Enough digits for 2**63 - 1 minor units plus decimals; longer input is refused before any arithmetic.
_MAX_DIGITS = 24
_DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one ``<input type="file" multiple>``; cleans to a list (maybe empty)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        cleaned = single(data, initial)
        return [cleaned] if cleaned else []


class SkillField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Skill) -> str:
        return obj.localized_name


def _datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=_DATETIME_LOCAL)


def category_choices() -> list[tuple[str, Any]]:
    """Sub-categories grouped under their top category (a top category without children is itself a choice)."""
    choices: list[tuple[str, Any]] = [("", "—")]
    tops = Category.objects.filter(parent__isnull=True).prefetch_related("children")
    for top in tops:
        children = list(top.children.all())
        if children:
            choices.append((top.localized_name, [(child.slug, child.localized_name) for child in children]))
        else:
            choices.append((top.slug, top.localized_name))
    return choices


class JobForm(forms.Form):
    """Every field of a job; amounts are typed in the currency's major unit (``12.50``)."""

    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=services.TITLE_MAX_LENGTH,
        help_text=gettext_lazy("One line that says what you need, e.g. “Django shop with bKash payments”."),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        max_length=services.DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy("Markdown: **bold**, *italic*, lists and links."),
    )
    category = forms.ChoiceField(label=gettext_lazy("Category"))
    skills = SkillField(
        label=gettext_lazy("Skills"),
        queryset=Skill.objects.select_related("category").order_by("name"),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    budget_min = forms.DecimalField(
        label=gettext_lazy("Minimum budget"),
        max_digits=_MAX_DIGITS,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    budget_max = forms.DecimalField(
        label=gettext_lazy("Maximum budget"),
        max_digits=_MAX_DIGITS,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    currency = forms.ChoiceField(label=gettext_lazy("Currency"))
    bidding_closes_at = forms.DateTimeField(
        label=gettext_lazy("Bidding closes at"),
        widget=_datetime_input(),
        help_text=gettext_lazy("In your time zone."),
    )
    deadline = forms.DateTimeField(
        label=gettext_lazy("Delivery deadline"),
        widget=_datetime_input(),
        help_text=gettext_lazy("After bidding closes."),
    )
    visibility = forms.ChoiceField(
        label=gettext_lazy("Who can see it"),
        choices=Visibility.choices,
        initial=Visibility.PUBLIC,
        widget=forms.RadioSelect,
    )
    is_confidential = forms.BooleanField(
        label=gettext_lazy(
            "Confidential: show the description and files only to freelancers who accept an NDA"
        ),
        required=False,
    )
    attachments = MultipleFileField(
        label=gettext_lazy("Attachments"),
        required=False,
        help_text=gettext_lazy("Any file type."),
    )

    def __init__(self, *args: Any, job: Job | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        currency = self.fields["currency"]
        assert isinstance(category, forms.ChoiceField) and isinstance(currency, forms.ChoiceField)
        # Built per request so the names follow the page language.
        category.choices = category_choices()
        currency.choices = [(code, code) for code in settings.HAAT_CURRENCIES]
        limit_mb = f"{settings.HAAT_JOB_ATTACHMENT_MAX_BYTES / 2**20:g}"
        self.fields["attachments"].help_text = gettext_lazy("Any file type, up to %(mb)s MB each.") % {
            "mb": limit_mb
        }
        if job is not None:
            # Files of an existing job are managed on its page, one at a time.
            del self.fields["attachments"]
            # Also on a bound form: ``changed_data`` compares the input with these.
            self.initial.update(initial_for(job))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        currency = data.get("currency")
        for name in ("budget_min", "budget_max"):
            amount = data.get(name)
            if amount is not None and currency:
                try:
                    data[f"{name}_minor"] = to_minor_units(amount, currency)
                except ValidationError as exc:
                    self.add_error(name, exc)
        return data

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values ``services.create_job`` and ``services.update_job`` take."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "category": data["category"],
            "skills": [skill.slug for skill in data["skills"]],
            "budget_min": data["budget_min_minor"],
            "budget_max": data["budget_max_minor"],
            "currency": data["currency"],
            "deadline": data["deadline"],
            "bidding_closes_at": data["bidding_closes_at"],
            "visibility": data["visibility"],
            "is_confidential": data["is_confidential"],
        }

    def skill_groups(self) -> list[tuple[str, list[Any], bool]]:
        return grouped_checkboxes(self["skills"], skill_group)


def initial_for(job: Job) -> dict[str, Any]:
    """The job's values as the form shows them (amounts in major units, times in the current time zone)."""
    return {
        "title": job.title,
        "description": job.description,
        "category": job.category.slug,
        "skills": list(job.skills.values_list("slug", flat=True)),
        "budget_min": to_major(job.budget_min, job.currency),
        "budget_max": to_major(job.budget_max, job.currency),
        "currency": job.currency,
        # To the minute, as the input shows them, so an untouched field does not count as changed.
        "bidding_closes_at": timezone.localtime(job.bidding_closes_at).replace(second=0, microsecond=0),
        "deadline": timezone.localtime(job.deadline).replace(second=0, microsecond=0),
        "visibility": job.visibility,
        "is_confidential": job.is_confidential,
    }


def apply_errors(form: forms.Form, exc: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Put a service's ``ValidationError`` on the form, by field where the form has that field."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        name = (aliases or {}).get(field, field)
        form.add_error(name if name in form.fields else None, errors)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Add a file"))


class InviteForm(forms.Form):
    freelancer = forms.CharField(
        label=gettext_lazy("Freelancer's e-mail address or user id"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    message = forms.CharField(
        label=gettext_lazy("Message (optional)"),
        max_length=services.INVITATION_MESSAGE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def invitee(self) -> dict[str, Any]:
        """``freelancer_id`` or ``email``, as ``services.invite_freelancer`` takes them."""
        value: str = self.cleaned_data["freelancer"].strip()
        if value.isascii() and value.isdigit() and len(value) <= 19:
            return {"freelancer_id": int(value)}
        return {"email": value}
