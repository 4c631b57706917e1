"""Pages: posting and editing a job, the job page (with the NDA box), the buyer's actions on it, attachment
downloads and the buyer's list of their jobs."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from haat.accounts.models import User
from haat.jobs import job_selectors, services
from haat.jobs.forms import AttachmentForm, InviteForm, JobForm, apply_errors
from haat.jobs.models import Job, JobAttachment, JobStatus

MY_JOBS_PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _view(request: HttpRequest, job_id: int) -> job_selectors.JobView:
    try:
        return job_selectors.job_for_viewer(request.user, job_id)
    except Job.DoesNotExist as exc:
        raise Http404(_("No such job.")) from exc


def _to_job(job_id: int) -> HttpResponse:
    return redirect("jobs:job-detail", job_id=job_id)


def _report(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def job_new(request: HttpRequest) -> HttpResponse:
    """Post a job: save it as a draft, or publish it at once."""
    if request.method != "POST":
        return render(request, "jobs/job_form.html", {"form": JobForm()})
    form = JobForm(request.POST, request.FILES)
    if form.is_valid():
        publish = "publish" in request.POST
        try:
            job = services.create_job(
                buyer=_user(request),
                fields=form.service_fields(),
                publish=publish,
                attachments=form.cleaned_data["attachments"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if publish:
                messages.success(request, _("Your job is published and open for bids."))
            else:
                messages.success(request, _("Your job was saved as a draft. Publish it when it is ready."))
            return _to_job(job.pk)
    return render(request, "jobs/job_form.html", {"form": form}, status=400)


def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    """The job page: its facts for everyone who may see it, its details after the NDA if it is confidential,
    and the buyer's tools."""
    view = _view(request, job_id)
    job = view.job
    context: dict[str, Any] = {
        "view": view,
        "job": job,
        "is_buyer": view.is_buyer,
        "can_see_details": view.can_see_details,
        "can_edit": view.is_buyer and job.status in services.EDITABLE_STATUSES,
    }
    if view.is_buyer:
        if job.status in services.EDITABLE_STATUSES:
            context["attachment_form"] = AttachmentForm()
        if job.status == JobStatus.OPEN:
            context["invite_form"] = InviteForm()
        context["invitations"] = job_selectors.invitations_of(request.user, job.pk)
    return render(request, "jobs/job_detail.html", context)


@login_required
def job_edit(request: HttpRequest, job_id: int) -> HttpResponse:
    """Edit a draft or open job (its buyer only)."""
    view = _view(request, job_id)
    job = view.job
    if not view.is_buyer:
        raise PermissionDenied(_("Only the buyer who posted this job may edit it."))
    if job.status not in services.EDITABLE_STATUSES:
        messages.error(request, _("Only drafts and jobs open for bids can be edited."))
        return _to_job(job.pk)
    if request.method != "POST":
        return render(request, "jobs/job_form.html", {"form": JobForm(job=job), "job": job})
    form = JobForm(request.POST, job=job)
    if form.is_valid():
        changes = form.service_fields()
        # Times are typed to the minute: an untouched field keeps its exact stored value.
        for name in ("bidding_closes_at", "deadline"):
            if name not in form.changed_data:
                del changes[name]
        try:
            services.update_job(user=_user(request), job_id=job.pk, changes=changes)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The job was saved."))
            return _to_job(job.pk)
    return render(request, "jobs/job_form.html", {"form": form, "job": job}, status=400)


def _act(request: HttpRequest, job_id: int, action: Any, done: str) -> HttpResponse:
    try:
        action(user=_user(request), job_id=job_id)
    except Job.DoesNotExist as exc:
        raise Http404(_("No such job.")) from exc
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(request, done)
    return _to_job(job_id)


@login_required
@require_POST
def job_publish(request: HttpRequest, job_id: int) -> HttpResponse:
    return _act(request, job_id, services.publish_job, _("Your job is published and open for bids."))


@login_required
@require_POST
def job_close(request: HttpRequest, job_id: int) -> HttpResponse:
    return _act(request, job_id, services.close_job, _("Bidding on your job is closed."))


@login_required
@require_POST
def job_cancel(request: HttpRequest, job_id: int) -> HttpResponse:
    return _act(request, job_id, services.cancel_job, _("Your job was cancelled."))


@login_required
@require_POST
def job_nda(request: HttpRequest, job_id: int) -> HttpResponse:
    """Accept a confidential job's NDA; the details show at once."""
    try:
        services.accept_nda(user=_user(request), job_id=job_id, ip_address=request.META.get("REMOTE_ADDR"))
    except Job.DoesNotExist as exc:
        raise Http404(_("No such job.")) from exc
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("You accepted the NDA. Keep these details to yourself."))
    return _to_job(job_id)


@login_required
@require_POST
def job_invite(request: HttpRequest, job_id: int) -> HttpResponse:
    """Invite a freelancer by e-mail address or user id (the buyer)."""
    form = InviteForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return _to_job(job_id)
    try:
        invitation, created = services.invite_freelancer(
            user=_user(request), job_id=job_id, message=form.cleaned_data["message"], **form.invitee()
        )
    except Job.DoesNotExist as exc:
        raise Http404(_("No such job.")) from exc
    except ValidationError as exc:
        _report(request, exc)
    else:
        name = invitation.freelancer.profile.public_name
        if created:
            messages.success(request, _("%(name)s was invited and e-mailed.") % {"name": name})
        else:
            messages.info(request, _("%(name)s was already invited.") % {"name": name})
    return _to_job(job_id)


@login_required
@require_POST
def job_attachment_add(request: HttpRequest, job_id: int) -> HttpResponse:
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return _to_job(job_id)
    try:
        attachment = services.add_attachment(
            user=_user(request), job_id=job_id, upload=form.cleaned_data["file"]
        )
    except Job.DoesNotExist as exc:
        raise Http404(_("No such job.")) from exc
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("“%(name)s” was attached.") % {"name": attachment.original_name})
    return _to_job(job_id)


@login_required
@require_POST
def job_attachment_delete(request: HttpRequest, job_id: int, attachment_id: int) -> HttpResponse:
    try:
        services.remove_attachment(user=_user(request), job_id=job_id, attachment_id=attachment_id)
    except (Job.DoesNotExist, JobAttachment.DoesNotExist) as exc:
        raise Http404(_("No such file.")) from exc
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("The file was removed."))
    return _to_job(job_id)


def attachment_response(attachment: JobAttachment) -> FileResponse:
    """Send an attachment as a download under its original name, never rendered by the browser."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def job_attachment(request: HttpRequest, job_id: int, attachment_id: int) -> FileResponse:
    """Download an attachment: only for viewers of the job, and after the NDA for a confidential job (403)."""
    try:
        attachment = job_selectors.attachment_for_download(request.user, job_id, attachment_id)
    except JobAttachment.DoesNotExist as exc:
        raise Http404(_("No such file.")) from exc
    return attachment_response(attachment)


@login_required
def my_jobs(request: HttpRequest) -> HttpResponse:
    """The buyer's jobs in every state, with their bid counts."""
    page = Paginator(job_selectors.jobs_of_buyer(_user(request)), MY_JOBS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "jobs/job_mine.html", {"page": page})
