"""The daily e-mail of new jobs matching a saved filter.

For each saved filter with ``email_digest`` on, a digest lists the jobs that

- were published since the later of the filter's creation and its last digest,
- match the filter now, as its owner would search (invite-only jobs they are invited to count; a confidential
  job's description is searched only after they accepted its NDA), are not the owner's own, and
- were never sent for this filter (``DigestedJob``).

At most one e-mail per filter per calendar day in the owner's time zone, and none when nothing matched (the
filter then stays due, so a match later that day still goes out). Each filter is handled in its own
transaction with its row locked: the ``DigestedJob`` rows and ``last_digest_at`` are written together, and
the e-mail leaves only after they are committed. Running the task again, or on two workers at once, sends
nothing twice.
"""

from __future__ import annotations

import logging
import zoneinfo
from datetime import datetime, tzinfo
from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from haat.accounts.models import Profile, User
from haat.jobs import search, selectors
from haat.jobs.models import DigestedJob, Job, SavedFilter
from haat.web.money import format_money, to_major

logger = logging.getLogger(__name__)

# Jobs listed in one e-mail; the rest are counted, with a link to the search.
MAX_LISTED = 25


def _time_zone(profile: Profile | None) -> tzinfo:
    try:
        return zoneinfo.ZoneInfo(profile.time_zone if profile else "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _profile(user: User) -> Profile | None:
    return Profile.objects.filter(user=user).first()


def is_due(saved: SavedFilter, now: datetime, tz: tzinfo) -> bool:
    """No digest yet today (in ``tz``) for this filter."""
    if saved.last_digest_at is None:
        return True
    return timezone.localtime(saved.last_digest_at, tz).date() < timezone.localtime(now, tz).date()


def send_filter_digests() -> int:
    """Send every due digest; returns the number of e-mails sent. Idempotent (see the module docstring)."""
    ids = list(
        SavedFilter.objects.filter(email_digest=True, user__is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return sum(1 for filter_id in ids if send_digest(filter_id))


@transaction.atomic
def send_digest(filter_id: int) -> bool:
    """Send one saved filter's digest if it is due and something new matched; returns whether it was sent.

    Records every matched job as sent (``DigestedJob``) and the time in ``last_digest_at``, in this
    transaction; the e-mail is sent after it commits, in the owner's language and time zone. A filter whose
    parameters are no longer valid (e.g. a category was removed) is skipped and logged.
    """
    saved = SavedFilter.objects.select_for_update().filter(pk=filter_id, email_digest=True).first()
    if saved is None:
        return False
    user = User.objects.get(pk=saved.user_id)
    if not user.is_active or not user.email:
        return False
    profile = _profile(user)
    tz = _time_zone(profile)
    now = timezone.now()
    if not is_due(saved, now, tz):
        return False
    since = max(saved.created_at, saved.last_digest_at or saved.created_at)
    with timezone.override(tz):
        try:
            params = search.clean_params(saved.params)
        except ValidationError:
            logger.warning("Saved filter %s has parameters that are no longer valid; no digest", saved.pk)
            return False
        already = DigestedJob.objects.filter(saved_filter=saved).values("job_id")
        matches = (
            selectors.matching_jobs(user, params)
            .filter(published_at__gte=since)
            .exclude(buyer=user)
            .exclude(pk__in=already)
        )
        job_ids = list(matches.order_by("-published_at", "-pk").values_list("pk", flat=True))
    if not job_ids:
        return False
    DigestedJob.objects.bulk_create([DigestedJob(saved_filter=saved, job_id=job_id) for job_id in job_ids])
    saved.last_digest_at = now
    saved.save(update_fields=["last_digest_at"])
    transaction.on_commit(partial(_mail_digest, saved.pk, job_ids[:MAX_LISTED], len(job_ids)), robust=True)
    return True


# --- E-mail ---------------------------------------------------------------------------------------------------


def _url(path: str) -> str:
    return getattr(settings, "HAAT_BASE_URL", "").rstrip("/") + path


def search_path(params: dict[str, object]) -> str:
    """The job list page showing a saved filter's search (budgets in major units, as the page's form)."""
    return reverse("jobs:job-list") + "?" + urlencode(page_query(params), doseq=True)


def page_query(params: dict[str, object]) -> dict[str, object]:
    """A saved filter's parameters as the job list page's query string values."""
    query: dict[str, object] = {}
    currency = str(params.get("currency") or "")
    for name, value in params.items():
        if value in (None, "", [], ()):
            continue
        if name in {"budget_min", "budget_max"} and isinstance(value, int) and currency:
            query[name] = str(to_major(value, currency))
        elif isinstance(value, bool):
            query[name] = "1" if value else "0"
        else:
            query[name] = value
    if "open_only" not in query:
        query["open_only"] = "0"
    return query


def _mail_digest(filter_id: int, job_ids: list[int], total: int) -> None:
    saved = SavedFilter.objects.select_related("user").filter(pk=filter_id).first()
    if saved is None:
        return
    user = saved.user
    profile = _profile(user)
    tz = _time_zone(profile)
    language = profile.language if profile else settings.LANGUAGE_CODE
    by_id = {job.pk: job for job in Job.objects.filter(pk__in=job_ids)}
    jobs = [by_id[job_id] for job_id in job_ids if job_id in by_id]
    with translation.override(language), timezone.override(tz):
        subject = ngettext(
            "%(count)d new job matches “%(name)s”",
            "%(count)d new jobs match “%(name)s”",
            total,
        ) % {"count": total, "name": saved.name}
        lines = [
            _("Hello,"),
            "",
            ngettext(
                "A new job matches your saved filter “%(name)s”:",
                "%(count)d new jobs match your saved filter “%(name)s”:",
                total,
            )
            % {"count": total, "name": saved.name},
            "",
        ]
        for job in jobs:
            budget = _("%(min)s to %(max)s") % {
                "min": format_money(job.budget_min, job.currency),
                "max": format_money(job.budget_max, job.currency),
            }
            closes = formats.date_format(timezone.localtime(job.bidding_closes_at), "SHORT_DATETIME_FORMAT")
            lines.append(f"- {job.title}")
            lines.append(
                "  " + _("Budget: %(budget)s · bids close %(closes)s") % {"budget": budget, "closes": closes}
            )
            lines.append("  " + _url(reverse("jobs:job-detail", args=[job.pk])))
        more = total - len(jobs)
        if more > 0:
            lines += ["", ngettext("…and %(n)d more.", "…and %(n)d more.", more) % {"n": more}]
        lines += [
            "",
            _("See every match: %(link)s") % {"link": _url(search_path(saved.params))},
            _("Change or stop these e-mails: %(link)s") % {"link": _url(reverse("jobs:saved-filters"))},
            "",
            _("— %(site)s") % {"site": settings.HAAT_SITE_NAME},
        ]
        body = "\n".join(lines) + "\n"
    send_mail(subject, body, None, [user.email])
