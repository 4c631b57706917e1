"""Pages: the contract's secret vault. Labels and the access log are listed; a secret is shown only on the page
a POST to "reveal" renders (never cached, every reveal logged). Only the buyer adds, changes and deletes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haat.accounts.models import User
from haat.contracts import selectors, vault
from haat.contracts.models import Contract, VaultEntry
from haat.contracts.vault_forms import VaultEntryForm

LOG_PAGE_SIZE = 50
RECENT_LOG = 10
NO_STORE = "private, no-store"


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _ip(request: HttpRequest) -> str | None:
    value = request.META.get("REMOTE_ADDR")
    return value if isinstance(value, str) else None


def _contract(user: User, contract_id: int) -> Contract:
    try:
        return selectors.contract_of(user, contract_id)
    except Contract.DoesNotExist as exc:
        raise Http404(_("No such contract.")) from exc


def _entry(user: User, entry_id: int) -> VaultEntry:
    try:
        return vault.entry_of(user, entry_id)
    except VaultEntry.DoesNotExist as exc:
        raise Http404(_("No such secret.")) from exc


def _apply_errors(form: VaultEntryForm, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _vault_page(
    request: HttpRequest, contract: Contract, *, error: str | None = None, status: int = 200
) -> HttpResponse:
    """The vault page: labels while open, the closed notice otherwise, the latest log rows; ``error`` on top."""
    user = _user(request)
    log = vault.access_log(user, contract.pk)
    is_open = vault.is_open(contract)
    response = render(
        request,
        "contracts/vault_list.html",
        {
            "contract": contract,
            "is_buyer": contract.buyer_id == user.pk,
            "is_open": is_open,
            "closed_reason": None if is_open else vault.closed_message(contract),
            "entries": vault.visible_entries(contract),
            "recent": list(log.reverse()[:RECENT_LOG]),
            "log_count": log.count(),
            "error": error,
        },
        status=status,
    )
    response["Cache-Control"] = NO_STORE
    return response


@login_required
def vault_list(request: HttpRequest, contract_id: int) -> HttpResponse:
    """The vault of one of the user's contracts: labels with a "reveal" button each, and the latest log rows."""
    return _vault_page(request, _contract(_user(request), contract_id))


@login_required
def vault_log(request: HttpRequest, contract_id: int) -> HttpResponse:
    """The whole access log of the contract's vault, newest first: who did what to which secret, and when."""
    user = _user(request)
    contract = _contract(user, contract_id)
    page = Paginator(vault.access_log(user, contract.pk).reverse(), LOG_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "contracts/vault_log.html", {"contract": contract, "page": page})


@login_required
def vault_add(request: HttpRequest, contract_id: int) -> HttpResponse:
    """Add a secret (the buyer, while the contract is open)."""
    user = _user(request)
    contract = _contract(user, contract_id)
    try:
        vault.check(contract, user, vault.Action.ADD)
    except vault.VaultClosed as exc:
        return _vault_page(request, contract, error=" ".join(exc.messages), status=409)
    form = VaultEntryForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                entry = vault.add_entry(
                    user=user,
                    contract_id=contract.pk,
                    label=form.cleaned_data["label"],
                    secret=form.cleaned_data["secret"],
                    ip=_ip(request),
                )
            except vault.VaultClosed as exc:
                return _vault_page(request, contract, error=" ".join(exc.messages), status=409)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("“%(label)s” was stored in the vault.") % {"label": entry.label})
                return redirect("contracts:vault", contract.pk)
        status = 400
    else:
        status = 200
    response = render(
        request,
        "contracts/vault_form.html",
        {"contract": contract, "form": form, "entry": None},
        status=status,
    )
    response["Cache-Control"] = NO_STORE
    return response


@login_required
@require_POST
def vault_reveal(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Show one secret on the page this POST renders (never cached); the read is logged."""
    user = _user(request)
    entry = _entry(user, entry_id)
    try:
        secret = vault.read_entry(user=user, entry_id=entry.pk, ip=_ip(request))
    except VaultEntry.DoesNotExist as exc:
        raise Http404(_("No such secret.")) from exc
    except vault.VaultClosed as exc:
        return _vault_page(request, entry.contract, error=" ".join(exc.messages), status=409)
    except vault.VaultKeyError as exc:
        return _vault_page(request, entry.contract, error=str(exc), status=503)
    response = render(
        request, "contracts/vault_reveal.html", {"contract": entry.contract, "entry": entry, "secret": secret}
    )
    response["Cache-Control"] = NO_STORE
    return response


@login_required
def vault_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Change a secret's label or the secret itself (the buyer, while the contract is open)."""
    user = _user(request)
    entry = _entry(user, entry_id)
    contract = entry.contract
    try:
        vault.check(contract, user, vault.Action.UPDATE)
    except vault.VaultClosed as exc:
        return _vault_page(request, contract, error=" ".join(exc.messages), status=409)
    form = VaultEntryForm(request.POST or None, editing=True, initial={"label": entry.label})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                vault.update_entry(
                    user=user,
                    entry_id=entry.pk,
                    label=form.cleaned_data["label"],
                    secret=form.cleaned_data["secret"] or None,
                    ip=_ip(request),
                )
            except VaultEntry.DoesNotExist as exc:
                raise Http404(_("No such secret.")) from exc
            except vault.VaultClosed as exc:
                return _vault_page(request, contract, error=" ".join(exc.messages), status=409)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("The secret was changed."))
                return redirect("contracts:vault", contract.pk)
        status = 400
    response = render(
        request,
        "contracts/vault_form.html",
        {"contract": contract, "form": form, "entry": entry},
        status=status,
    )
    response["Cache-Control"] = NO_STORE
    return response


@login_required
def vault_delete(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Delete a secret (the buyer): confirm, then it is wiped; the access log stays."""
    user = _user(request)
    entry = _entry(user, entry_id)
    vault.check(entry.contract, user, vault.Action.DELETE)
    if request.method == "POST":
        try:
            vault.delete_entry(user=user, entry_id=entry.pk, ip=_ip(request))
        except VaultEntry.DoesNotExist as exc:
            raise Http404(_("No such secret.")) from exc
        messages.success(request, _("“%(label)s” was deleted from the vault.") % {"label": entry.label})
        return redirect("contracts:vault", entry.contract_id)
    return render(request, "contracts/vault_delete.html", {"contract": entry.contract, "entry": entry})
