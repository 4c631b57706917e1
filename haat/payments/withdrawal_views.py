"""Pages: payout methods, requesting a withdrawal (with the fee shown before confirming), the user's
withdrawals, and the finance payout queue."""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haat.accounts.models import User
from haat.payments import withdrawals
from haat.payments.models import PayoutKind, PayoutMethod, Withdrawal
from haat.payments.withdrawal_forms import MarkPaidForm, PayoutMethodForm, RejectForm, WithdrawalForm
from haat.staff.access import staff_required
from haat.staff.roles import Role

QUEUE_PAGE_SIZE = 50
LIST_PAGE_SIZE = 50
# Service error keys that a page form calls by another name.
_FIELD_NAMES = {"payout_method_id": "payout_method"}


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _apply_errors(form: WithdrawalForm | PayoutMethodForm, exc: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form, by field where the form has that field."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        name = _FIELD_NAMES.get(field, field)
        form.add_error(name if name in form.fields else None, errors)


def _available_kinds() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in PayoutKind.choices if value in settings.HAAT_PAYOUTS]


# --- Payout methods -------------------------------------------------------------------------------------------


@login_required
def payout_method_list(request: HttpRequest) -> HttpResponse:
    """The user's active payout methods, masked, with a button to remove each."""
    return render(
        request, "payments/payout_methods.html", {"methods": withdrawals.payout_methods_of(_user(request))}
    )


@login_required
@reauthentication_required
def payout_method_add(request: HttpRequest) -> HttpResponse:
    """Add a payout method: first pick the kind, then its details. Needs a recent re-authentication."""
    kinds = _available_kinds()
    kind = request.POST.get("kind") if request.method == "POST" else request.GET.get("kind")
    if kind not in dict(kinds):
        return render(request, "payments/payout_method_add.html", {"kinds": kinds, "form": None})
    assert kind is not None
    status = 200
    if request.method == "POST":
        form = PayoutMethodForm(request.POST, kind=kind)
        if form.is_valid():
            try:
                method = withdrawals.add_payout_method(user=_user(request), kind=kind, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("%(method)s was added.") % {"method": str(method)})
                return redirect("payments:payout-method-list")
        status = 400
    else:
        form = PayoutMethodForm(kind=kind)
    return render(
        request,
        "payments/payout_method_add.html",
        {"kinds": kinds, "form": form, "kind": kind, "kind_label": PayoutKind(kind).label},
        status=status,
    )


@login_required
@require_POST
def payout_method_deactivate(request: HttpRequest, method_id: int) -> HttpResponse:
    """Remove one of the user's payout methods (404 for anyone else's)."""
    try:
        method = withdrawals.deactivate_payout_method(user=_user(request), method_id=method_id)
    except PayoutMethod.DoesNotExist as exc:
        raise Http404(_("No such payout method.")) from exc
    messages.success(request, _("%(method)s was removed.") % {"method": str(method)})
    return redirect("payments:payout-method-list")


# --- Withdrawals ----------------------------------------------------------------------------------------------


@login_required
def withdrawal_list(request: HttpRequest) -> HttpResponse:
    """The user's withdrawals, newest first."""
    page = Paginator(withdrawals.withdrawals_of(_user(request)), LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "payments/withdrawal_list.html", {"page": page})


@login_required
def withdrawal_new(request: HttpRequest) -> HttpResponse:
    """Request a withdrawal in two steps: enter it, then confirm after seeing the fee and the total."""
    user = _user(request)
    context: dict[str, object] = {"balances": withdrawals.available_balances(user)}
    if request.method != "POST":
        initial = {"currency": request.GET.get("currency", "")} if "currency" in request.GET else {}
        form = WithdrawalForm(user=user, initial=initial)
        return render(request, "payments/withdrawal_new.html", {**context, "form": form})

    form = WithdrawalForm(request.POST, user=user)
    if form.is_valid():
        details = {
            "user": user,
            "payout_method_id": form.cleaned_data["payout_method"].pk,
            "amount": form.cleaned_data["amount_minor"],
            "currency": form.cleaned_data["currency"],
        }
        try:
            if "confirm" not in request.POST:
                quote = withdrawals.quote_withdrawal(**details)
                return render(request, "payments/withdrawal_confirm.html", {"form": form, "quote": quote})
            withdrawal = withdrawals.request_withdrawal(**details, once_key=form.cleaned_data["form_token"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Your withdrawal of %(amount)s was requested. The money is held until finance pays it.")
                % {"amount": withdrawals.format_money(withdrawal.amount, withdrawal.currency)},
            )
            return redirect("payments:withdrawal-list")
    return render(request, "payments/withdrawal_new.html", {**context, "form": form}, status=400)


# --- Finance --------------------------------------------------------------------------------------------------


@staff_required(Role.FINANCE)
def payout_queue(request: HttpRequest) -> HttpResponse:
    """Withdrawals waiting for payment, oldest first, with full payout details (finance staff with 2FA)."""
    staff = _user(request)
    page = Paginator(withdrawals.payout_queue(staff), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(w, withdrawals.method_details(w.payout_method)) for w in page.object_list]
    return render(request, "payments/payout_queue.html", {"page": page, "rows": rows})


def _decide(request: HttpRequest, withdrawal_id: int, *, paid: bool) -> HttpResponse:
    """Mark paid or reject from the queue; refusals come back to the queue as messages."""
    staff = _user(request)
    form: MarkPaidForm | RejectForm = MarkPaidForm(request.POST) if paid else RejectForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(
                    request, _("Withdrawal #%(id)s: %(error)s") % {"id": withdrawal_id, "error": error}
                )
        return redirect("payments:payout-queue")
    try:
        if paid:
            withdrawal: Withdrawal = withdrawals.mark_paid(
                staff=staff, withdrawal_id=withdrawal_id, reference=form.cleaned_data["reference"]
            )
        else:
            withdrawal = withdrawals.reject(
                staff=staff, withdrawal_id=withdrawal_id, reason=form.cleaned_data["reason"]
            )
    except Withdrawal.DoesNotExist as exc:
        raise Http404(_("No such withdrawal.")) from exc
    except PermissionDenied as exc:  # the staff member's own withdrawal
        messages.error(request, _("Withdrawal #%(id)s: %(error)s") % {"id": withdrawal_id, "error": exc})
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(
                request, _("Withdrawal #%(id)s: %(error)s") % {"id": withdrawal_id, "error": message}
            )
    else:
        text = _("Withdrawal #%(id)s was marked paid.") if paid else _("Withdrawal #%(id)s was rejected.")
        messages.success(request, text % {"id": withdrawal.pk})
    return redirect("payments:payout-queue")


@staff_required(Role.FINANCE)
@require_POST
def payout_mark_paid(request: HttpRequest, withdrawal_id: int) -> HttpResponse:
    """Finance records that the money was sent, with the payment reference."""
    return _decide(request, withdrawal_id, paid=True)


@staff_required(Role.FINANCE)
@require_POST
def payout_reject(request: HttpRequest, withdrawal_id: int) -> HttpResponse:
    """Finance rejects a withdrawal with a reason; the held money returns to the user's wallet."""
    return _decide(request, withdrawal_id, paid=False)
