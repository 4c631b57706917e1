"""What each staff role may see of the users' private things: a draft job and a confidential job's brief are
for moderators and arbiters (reported content, a disputed job's scope) with two-factor authentication, not for
finance and not for a staff account signed in with its password alone.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from haat.jobs import services as job_services
from haat.jobs.models import Job, JobStatus
from haat.web.tests.permissions import world as world_module
from haat.web.tests.permissions.world import World

pytestmark = pytest.mark.django_db

# Staff column -> may it see drafts and confidential briefs?
SEES_PRIVATE_JOBS = {
    "arbiter": True,
    "moderator": True,
    "admin": True,
    "finance": False,
    "staff_no2fa": False,
    "staff_norole": False,
}


@pytest.fixture(autouse=True)
def _site_settings(settings: Any) -> None:
    settings.HAAT_PAYOUTS = world_module.PAYOUTS
    settings.HAAT_GATEWAYS = ["sandbox", "manual"]


def _confidential(world: World) -> tuple[Job, int]:
    buyer = world.people["buyer"]
    assert buyer is not None
    job = world_module.make_job(buyer, title="A secret shop", is_confidential=True)
    attachment = job_services.add_attachment(
        user=buyer, job_id=job.pk, upload=SimpleUploadedFile("plan.txt", b"The secret plan.", "text/plain")
    )
    return job, attachment.pk


@pytest.mark.parametrize("role", list(SEES_PRIVATE_JOBS))
def test_private_jobs_are_for_moderators_and_arbiters_with_two_factor(role: str, client: Client) -> None:
    world = world_module.build()
    draft = world.objects["draft"]
    assert draft.status == JobStatus.DRAFT
    confidential, attachment_id = _confidential(world)
    person = world.people[role]
    assert person is not None
    client.force_login(person)
    sees = SEES_PRIVATE_JOBS[role]

    assert client.get(f"/jobs/{draft.pk}/").status_code == (200 if sees else 404)
    assert client.get(f"/api/v1/jobs/{draft.pk}").status_code == (200 if sees else 404)
    # The confidential job is public, its brief is not: the file and the description need the NDA or the role.
    download = client.get(f"/jobs/{confidential.pk}/files/{attachment_id}/")
    assert (download.status_code == 200) == sees, download.status_code
    description = client.get(f"/api/v1/jobs/{confidential.pk}").json().get("description")
    assert (description == confidential.description) == sees
