"""Hidden content: gone for others (404, or "hidden by a moderator"), shown to its author with the reason."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from haat.accounts.models import User
from haat.conftest import make_user
from haat.contracts.models import Contract, ContractStatus
from haat.jobs import selectors as job_selectors
from haat.jobs.models import Job
from haat.messaging.models import Message
from haat.moderation import services
from haat.moderation.tests.conftest import bearer, contract_between, english
from haat.reputation import services as reputation_services

pytestmark = pytest.mark.django_db

WHY = "Asks freelancers to pay a joining fee."


def test_a_hidden_job_is_404_to_others_and_shows_the_reason_to_its_buyer(
    moderator: User, buyer: User, worker: User, job: Job
) -> None:
    url = reverse("jobs:job-detail", args=[job.pk])
    client = english(Client(), worker)
    assert "Report" in client.get(url).content.decode()
    assert job in job_selectors.listed_jobs(worker)
    assert job.title in english(Client(), worker).get(reverse("jobs:job-list")).content.decode()
    services.hide(moderator=moderator, target_type="job", target_id=job.pk, reason=WHY)

    assert client.get(url).status_code == 404
    assert Client().get(url).status_code == 404
    assert client.get(f"/api/v1/jobs/{job.pk}", **bearer(worker)).status_code == 404
    assert job not in job_selectors.listed_jobs(worker) and job not in job_selectors.listed_jobs(None)
    search = english(Client(), worker).get(reverse("jobs:job-list"))
    assert job.title not in search.content.decode()

    own = english(Client(), buyer).get(url)
    assert own.status_code == 200
    html = own.content.decode()
    assert "Hidden by a moderator" in html and WHY in html
    # Staff still see it.
    assert english(Client(), moderator).get(url).status_code == 200

    services.unhide(moderator=moderator, target_type="job", target_id=job.pk, reason="Fixed.")
    assert client.get(url).status_code == 200


def test_a_hidden_message_shows_a_placeholder_to_the_other_side(
    moderator: User, buyer: User, worker: User, message: Message
) -> None:
    url = reverse("messaging:thread", args=[message.thread_id])
    services.hide(moderator=moderator, target_type="message", target_id=message.pk, reason=WHY)
    other = english(Client(), buyer).get(url).content.decode()
    assert "This message was hidden by a moderator." in other
    assert "Hello, I can start today." not in other and WHY not in other
    mine = english(Client(), worker).get(url).content.decode()
    assert "Hello, I can start today." in mine and WHY in mine
    api = Client().get(f"/api/v1/threads/{message.thread_id}/messages", **bearer(buyer)).json()
    assert "Hello, I can start today." not in str(api)
    api = Client().get(f"/api/v1/threads/{message.thread_id}/messages", **bearer(worker)).json()
    assert "Hello, I can start today." in str(api)


def test_a_hidden_profile_shows_nothing_of_itself_to_others(moderator: User, worker: User) -> None:
    url = reverse("accounts:profile", args=[worker.pk])
    services.hide(moderator=moderator, target_type="profile", target_id=worker.pk, reason=WHY)
    other = english(Client(), make_user("someone@example.com")).get(url).content.decode()
    assert "This profile was hidden by a moderator." in other and "Rahim" not in other
    own = english(Client(), worker).get(url).content.decode()
    assert "Rahim" in own and WHY in own
    assert Client().get(f"/api/v1/profiles/{worker.pk}").status_code == 404


def test_a_hidden_review_is_a_placeholder_for_others(moderator: User, buyer: User, worker: User) -> None:
    contract = contract_between(buyer, worker)
    Contract.objects.filter(pk=contract.pk).update(status=ContractStatus.COMPLETED, ended_at=timezone.now())
    review = reputation_services.leave_review(
        user=buyer,
        contract_id=contract.pk,
        quality=1,
        communication=1,
        deadlines=1,
        text="A thief and a liar.",
    )
    reputation_services.leave_review(
        user=worker, contract_id=contract.pk, quality=5, communication=5, deadlines=5, text="Fine buyer."
    )
    services.hide(moderator=moderator, target_type="review", target_id=review.pk, reason=WHY)
    url = reverse("accounts:profile", args=[worker.pk])
    other = english(Client(), make_user("someone@example.com")).get(url).content.decode()
    assert "This review was hidden by a moderator." in other and "A thief and a liar." not in other
    api = Client().get(f"/api/v1/profiles/{worker.pk}/reviews").json()
    assert "A thief and a liar." not in str(api)
    own = Client().get(f"/api/v1/contracts/{contract.pk}/reviews", **bearer(buyer)).json()
    assert "A thief and a liar." in str(own)
    theirs = Client().get(f"/api/v1/contracts/{contract.pk}/reviews", **bearer(worker)).json()
    assert "A thief and a liar." not in str(theirs)


def test_the_author_sees_their_hidden_content_on_their_status_page(
    moderator: User, buyer: User, job: Job
) -> None:
    services.hide(moderator=moderator, target_type="job", target_id=job.pk, reason=WHY)
    page = english(Client(), buyer).get(reverse("moderation:mine")).content.decode()
    assert job.title in page and WHY in page
