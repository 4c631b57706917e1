"""Pages: the job list with search, filters, category facets, sorting and pagination, and saved filters.

The forms here only parse what a person typed (budgets in major units); ``search.clean_params`` validates,
so the page and ``GET /api/v1/jobs`` refuse the same input with the same message.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from haat.accounts.models import User
from haat.jobs import digest, search, selectors
from haat.jobs.models import Category, SavedFilter, Skill
from haat.web.forms import grouped_checkboxes
from haat.web.money import format_money, to_minor_units

PAGE_SIZE = 20
MAX_PAGE = 10_000
# Enough digits for 2**63 - 1 minor units plus decimals; longer input is refused before any arithmetic.
_MAX_DIGITS = 24

SORT_CHOICES = [
    (search.Sort.NEWEST, gettext_lazy("Newest first")),
    (search.Sort.RELEVANCE, gettext_lazy("Best match")),
    (search.Sort.BUDGET_HIGH, gettext_lazy("Highest budget")),
    (search.Sort.BUDGET_LOW, gettext_lazy("Lowest budget")),
    (search.Sort.FEWEST_BIDS, gettext_lazy("Fewest bids")),
]


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _viewer(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


class JobSearchForm(forms.Form):
    """The job list's filters, as a GET form; budgets are typed in major units (e.g. 12.50)."""

    q = forms.CharField(
        label=gettext_lazy("Keywords"),
        required=False,
        max_length=search.MAX_QUERY_LENGTH,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": gettext_lazy("e.g. logo, লোগো, Django")}
        ),
    )
    sort = forms.ChoiceField(label=gettext_lazy("Sort by"), required=False, choices=SORT_CHOICES)
    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    skills = forms.MultipleChoiceField(
        label=gettext_lazy("Skills (any of them)"), required=False, widget=forms.CheckboxSelectMultiple
    )
    currency = forms.ChoiceField(label=gettext_lazy("Currency"), required=False)
    budget_min = forms.DecimalField(
        label=gettext_lazy("Budget from"),
        required=False,
        max_digits=_MAX_DIGITS,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    budget_max = forms.DecimalField(
        label=gettext_lazy("Budget up to"),
        required=False,
        max_digits=_MAX_DIGITS,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    posted_since = forms.DateField(
        label=gettext_lazy("Posted since"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    open_only = forms.ChoiceField(
        label=gettext_lazy("Show"),
        required=False,
        choices=[
            ("1", gettext_lazy("Jobs open for bids")),
            ("0", gettext_lazy("Also closed and awarded jobs")),
        ],
    )
    confidential = forms.ChoiceField(
        label=gettext_lazy("Confidential jobs"),
        required=False,
        choices=[
            ("", gettext_lazy("Include them")),
            ("0", gettext_lazy("Leave them out")),
            ("1", gettext_lazy("Only confidential jobs")),
        ],
    )

    def __init__(self, *args: Any, categories: list[Category], skills: list[Skill], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        skill_field = self.fields["skills"]
        currency = self.fields["currency"]
        assert isinstance(category, forms.ChoiceField) and isinstance(skill_field, forms.ChoiceField)
        assert isinstance(currency, forms.ChoiceField)
        category.choices = [("", _("Any category"))] + [
            (
                top.localized_name,
                [(top.slug, _("All of %(name)s") % {"name": top.localized_name})]
                + [(child.slug, child.localized_name) for child in top.children.all()],
            )
            for top in categories
        ]
        self._skills = skills
        skill_field.choices = [(skill.slug, skill.localized_name) for skill in skills]
        currency.choices = [("", _("Any currency"))] + [(code, code) for code in settings.HAAT_CURRENCIES]

    def skill_groups(self) -> list[tuple[str, list[Any], bool]]:
        """Skill checkboxes grouped by category, with whether any in the group is ticked."""
        group_of = {
            skill.slug: skill.category.localized_name if skill.category else "" for skill in self._skills
        }
        return grouped_checkboxes(self["skills"], lambda box: group_of.get(str(box.data["value"]), ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        currency = data.get("currency") or ""
        for name in ("budget_min", "budget_max"):
            amount: Decimal | None = data.get(name)
            if amount is None:
                data[f"{name}_minor"] = None
            elif not currency:
                self.add_error("currency", _("Choose the currency of the budget."))
            else:
                try:
                    data[f"{name}_minor"] = to_minor_units(amount, currency)
                except ValidationError as exc:
                    self.add_error(name, exc)
        return data

    def search_params(self) -> dict[str, Any]:
        """The cleaned form as ``search.clean_params`` input (budgets in minor units)."""
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "category": data.get("category") or "",
            "skills": list(data.get("skills") or []),
            "currency": data.get("currency") or "",
            "budget_min": data.get("budget_min_minor"),
            "budget_max": data.get("budget_max_minor"),
            "posted_since": data.get("posted_since"),
            "open_only": data.get("open_only") or None,
            "confidential": data.get("confidential") or None,
            "sort": data.get("sort") or search.Sort.NEWEST,
        }


class SaveFilterForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name this search"), max_length=search.MAX_FILTER_NAME_LENGTH)
    email_digest = forms.BooleanField(
        label=gettext_lazy("E-mail me new matches once a day"), required=False, initial=True
    )
    # The job list's query string: the search to save.
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=4000)


def _apply_errors(form: forms.Form, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _search_form(data: QueryDict) -> tuple[JobSearchForm, list[Category]]:
    categories = list(selectors.category_tree())
    skills = list(Skill.objects.select_related("category").order_by("name"))
    return JobSearchForm(data, categories=categories, skills=skills), categories


def _parse(form: JobSearchForm) -> search.SearchParams | None:
    """The form's search, or ``None`` with the errors put on the form."""
    if not form.is_valid():
        return None
    try:
        return search.clean_params(form.search_params())
    except ValidationError as exc:
        _apply_errors(form, exc)
        return None


def _facet_links(categories: list[Category], facets: dict[str, int], selected: str) -> list[dict[str, Any]]:
    """Top categories with matches (or selected); the selected one's sub-categories under it."""
    links = []
    for top in categories:
        children = list(top.children.all())
        open_here = selected == top.slug or any(child.slug == selected for child in children)
        if not facets.get(top.slug) and not open_here:
            continue
        links.append(
            {
                "slug": top.slug,
                "name": top.localized_name,
                "count": facets.get(top.slug, 0),
                "selected": selected == top.slug,
                "children": [
                    {
                        "slug": child.slug,
                        "name": child.localized_name,
                        "count": facets.get(child.slug, 0),
                        "selected": selected == child.slug,
                    }
                    for child in children
                    if open_here and (facets.get(child.slug) or selected == child.slug)
                ],
            }
        )
    return links


def _active_filters(params: search.SearchParams | None) -> int:
    """How many of the folded-away filters are set (for the "More filters" summary)."""
    if params is None:
        return 0
    return sum(
        [
            bool(params.category),
            bool(params.skills),
            bool(params.currency),
            params.budget_min is not None or params.budget_max is not None,
            params.posted_since is not None,
            not params.open_only,
            params.confidential is not None,
        ]
    )


def _page_number(value: str | None) -> int:
    try:
        number = int(value or "1")
    except ValueError:
        return 1
    return max(1, min(number, MAX_PAGE))


def job_list(request: HttpRequest) -> HttpResponse:
    """The job list: keyword search, filters, category facets, sorting and pages; anyone may look."""
    form, categories = _search_form(request.GET)
    params = _parse(form)
    context: dict[str, Any] = {"form": form, "params": params, "active_filters": _active_filters(params)}
    if params is None:
        return render(request, "jobs/search_list.html", context, status=400)
    number = _page_number(request.GET.get("page"))
    result = selectors.search_jobs(_viewer(request), params, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
    pages = max(1, -(-result.count // PAGE_SIZE))
    query = request.GET.copy()
    query.pop("page", None)
    context.update(
        {
            "jobs": result.jobs,
            "count": result.count,
            "facets": _facet_links(categories, result.facets, params.category),
            "all_count": sum(result.facets.get(top.slug, 0) for top in categories),
            "page_number": number,
            "page_count": pages,
            "has_previous": number > 1,
            "has_next": number < pages,
            "save_form": SaveFilterForm(initial={"query": query.urlencode(), "email_digest": True}),
        }
    )
    return render(request, "jobs/search_list.html", context)


def _describe(params: dict[str, Any], categories: dict[str, str], skills: dict[str, str]) -> list[str]:
    """A saved filter's settings as short phrases for its list."""
    parts: list[str] = []
    if params.get("q"):
        parts.append(_("Keywords: %(q)s") % {"q": params["q"]})
    if params.get("category"):
        parts.append(categories.get(params["category"], params["category"]))
    if params.get("skills"):
        parts.append(", ".join(skills.get(slug, slug) for slug in params["skills"]))
    currency = params.get("currency") or ""
    low, high = params.get("budget_min"), params.get("budget_max")
    low_text = format_money(low, currency) if currency and isinstance(low, int) else ""
    high_text = format_money(high, currency) if currency and isinstance(high, int) else ""
    if low_text and high_text:
        parts.append(_("Budget %(min)s to %(max)s") % {"min": low_text, "max": high_text})
    elif low_text:
        parts.append(_("Budget from %(min)s") % {"min": low_text})
    elif high_text:
        parts.append(_("Budget up to %(max)s") % {"max": high_text})
    elif currency:
        parts.append(_("Paid in %(currency)s") % {"currency": currency})
    if params.get("posted_since"):
        parts.append(_("Posted since %(day)s") % {"day": params["posted_since"]})
    if params.get("open_only", True):
        parts.append(_("Open for bids"))
    if params.get("confidential") is True:
        parts.append(_("Confidential only"))
    elif params.get("confidential") is False:
        parts.append(_("No confidential jobs"))
    return parts


@login_required
def saved_filters(request: HttpRequest) -> HttpResponse:
    """The user's saved filters (show the jobs, delete); POST saves the job list's current search."""
    user = _user(request)
    if request.method == "POST":
        return _save(request, user)
    filters = list(selectors.saved_filters_of(user))
    category_slugs = {f.params.get("category") for f in filters if f.params.get("category")}
    skill_slugs = {slug for f in filters for slug in f.params.get("skills") or []}
    category_names = {c.slug: c.localized_name for c in Category.objects.filter(slug__in=category_slugs)}
    skill_names = {s.slug: s.localized_name for s in Skill.objects.filter(slug__in=skill_slugs)}
    rows = [
        {
            "filter": saved,
            "summary": _describe(saved.params, category_names, skill_names),
            "link": digest.search_path(saved.params),
        }
        for saved in filters
    ]
    return render(request, "jobs/saved_filters.html", {"rows": rows})


def _save(request: HttpRequest, user: User) -> HttpResponse:
    save_form = SaveFilterForm(request.POST)
    query = request.POST.get("query", "")[:4000]
    back = reverse("jobs:job-list") + (f"?{query}" if query else "")
    if not save_form.is_valid():
        for errors in save_form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(back)
    form, _categories = _search_form(QueryDict(query))
    params = _parse(form)
    if params is None:
        messages.error(request, _("This search has errors; correct them before saving it."))
        return redirect(back)
    try:
        saved = search.save_filter(
            user=user,
            name=save_form.cleaned_data["name"],
            params=params.to_dict(),
            email_digest=save_form.cleaned_data["email_digest"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(back)
    if saved.email_digest:
        text = _("Your search “%(name)s” was saved. New matches will be e-mailed to you once a day.")
    else:
        text = _("Your search “%(name)s” was saved.")
    messages.success(request, text % {"name": saved.name})
    return redirect("jobs:saved-filters")


@login_required
@require_POST
def saved_filter_delete(request: HttpRequest, filter_id: int) -> HttpResponse:
    """Delete one of the user's saved filters (404 for anyone else's)."""
    try:
        saved = search.delete_saved_filter(user=_user(request), filter_id=filter_id)
    except SavedFilter.DoesNotExist as exc:
        raise Http404(_("No such saved filter.")) from exc
    messages.success(request, _("The saved filter “%(name)s” was deleted.") % {"name": saved.name})
    return redirect("jobs:saved-filters")
