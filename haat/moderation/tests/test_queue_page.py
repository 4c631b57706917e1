"""The moderation queue page is for moderators only."""

import pytest
from django.urls import reverse

from haat.conftest import make_staff
from haat.staff.roles import Role


@pytest.mark.django_db
def test_queue_page_is_for_moderators(client, user):
    client.force_login(user)
    assert client.get(reverse("moderation:queue")).status_code == 403
    moderator = make_staff("mod@example.com", Role.MODERATOR)
    client.force_login(moderator)
    client.cookies["haat_language"] = "en"
    response = client.get(reverse("moderation:queue"))
    assert response.status_code == 200
    assert "Moderation queue" in response.content.decode()
