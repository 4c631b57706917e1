"""Profile pages, the profile editor, portfolio items and the settings page (API tokens)."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haat.accounts import selectors, services
from haat.accounts.forms import LanguageFormSet, PortfolioItemForm, ProfileForm, TokenForm
from haat.accounts.models import PortfolioItem, Profile, User


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def profile_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    try:
        profile = selectors.profile_for_display(user_id)
    except Profile.DoesNotExist as exc:
        raise Http404(_("No such profile.")) from exc
    return render(request, "accounts/profile_detail.html", {"profile": profile})


def _apply_errors(form: ProfileForm, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    profile = selectors.profile_of(user)
    initial_languages = [{"language": lang.language, "level": lang.level} for lang in profile.languages.all()]
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=profile)
        languages = LanguageFormSet(request.POST, prefix="languages", initial=initial_languages)
        if form.is_valid() and languages.is_valid():
            entries = [
                (f.cleaned_data["language"], f.cleaned_data["level"])
                for f in languages.forms
                if f.cleaned_data.get("language")
            ]
            try:
                with transaction.atomic():
                    services.update_profile(
                        user=user,
                        fields=form.profile_fields(),
                        skill_ids=[skill.pk for skill in form.cleaned_data["skills"]],
                        languages=entries,
                    )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Your profile was saved."))
                return redirect("accounts:profile-edit")
    else:
        form = ProfileForm(instance=profile)
        languages = LanguageFormSet(prefix="languages", initial=initial_languages)
    return render(
        request,
        "accounts/profile_edit.html",
        {
            "form": form,
            "languages": languages,
            "profile": profile,
            "portfolio_form": PortfolioItemForm(),
            "completeness": selectors.freelancer_profile_completeness(profile),
        },
    )


@login_required
@require_POST
def portfolio_add(request: HttpRequest) -> HttpResponse:
    form = PortfolioItemForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_portfolio_item(
                user=_user(request),
                image=request.FILES.get("image"),
                **{key: form.cleaned_data[key] for key in ("title", "description", "link")},
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The portfolio item was added."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else str(error))
    return redirect("accounts:profile-edit")


@login_required
@require_POST
def portfolio_delete(request: HttpRequest, item_id: int) -> HttpResponse:
    try:
        services.delete_portfolio_item(user=_user(request), item_id=item_id)
    except PortfolioItem.DoesNotExist as exc:
        raise Http404 from exc
    messages.success(request, _("The portfolio item was deleted."))
    return redirect("accounts:profile-edit")


def portfolio_image(request: HttpRequest, item_id: int) -> FileResponse:
    """Serve a portfolio image. They are public, but served by us so storage stays private."""
    item = PortfolioItem.objects.filter(pk=item_id, profile__user__is_active=True).exclude(image="").first()
    if item is None:
        raise Http404
    content_type = mimetypes.guess_type(item.image.name)[0] or "application/octet-stream"
    response = FileResponse(item.image.open("rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Cache-Control"] = "public, max-age=86400"
    return response


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/settings.html",
        {
            "tokens": selectors.api_tokens_of(_user(request)),
            "token_form": TokenForm(),
            "new_secret": request.session.pop("new_token_secret", None),
        },
    )


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "accounts/settings.html",
            {"tokens": selectors.api_tokens_of(_user(request)), "token_form": form},
            status=400,
        )
    issued = services.create_api_token(user=_user(request), name=form.cleaned_data["name"])
    # Kept in the session for exactly one page view, so a reload does not show it again.
    request.session["new_token_secret"] = issued.secret
    messages.success(request, _("Token created. Copy it now: it will not be shown again."))
    return redirect("accounts:settings")


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        services.revoke_api_token(user=_user(request), token_id=token_id)
    except services.ApiToken.DoesNotExist as exc:
        raise Http404 from exc
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:settings")
