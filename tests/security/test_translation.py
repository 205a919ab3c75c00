"""The security pages have a complete English translation."""

import pytest
from django.utils import translation


def test_security_messages_are_translated_to_english():
    with translation.override("en"):
        assert translation.gettext("Inloggen voor medewerkers") == "Staff login"
        assert translation.gettext("Account tijdelijk geblokkeerd") == "Account temporarily locked"
        assert (
            translation.ngettext("%(n)s regel gevonden.", "%(n)s regels gevonden.", 2) % {"n": 2}
            == "2 entries found."
        )


@pytest.mark.django_db
def test_login_page_in_english(client):
    client.cookies["intact_language"] = "en"
    html = client.get("/account/login/").content.decode()
    assert "Staff login" in html
