"""The reporter's pages in a browser with JavaScript OFF (Tor Browser's safest setting).

An anonymous report with an attachment -> the receipt (shown once, must be
confirmed) -> mailbox login with the receipt -> the status. axe-core finds no
WCAG 2.1 AA violation on any reporter page, including the error states, and
no page asks anything from another host. The handler's side of the journey
is in test_anonymous_journey.py.
"""

from __future__ import annotations

import re

import pytest

from intact.reporting.models import Attachment, Report
from intact.security import files
from tests.e2e.conftest import (
    PHONE,
    assert_no_csp_violations,
    assert_no_horizontal_scroll,
    assert_no_third_party_requests,
    axe_check,
)
from tests.organisations.factories import OrganisationFactory

SLUG = "melders-e2e"


@pytest.fixture
def org(transactional_db):
    return OrganisationFactory(slug=SLUG, name="Gemeente Meldstad")


def _click(page, name):
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state("load")


def _jpeg_with_gps(path):
    from PIL import Image

    img = Image.new("RGB", (40, 30), (10, 120, 10))
    exif = Image.Exif()
    exif[0x0110] = "E2E-PhoneModel"
    exif[0x8825] = {1: "N", 2: (52.0, 4.0, 1.0), 3: "E", 4: (5.0, 6.0, 7.0)}
    img.save(path, format="JPEG", exif=exif.tobytes())


def test_anonymous_report_receipt_and_mailbox_without_javascript(org, live_url, page_nojs, tmp_path):
    page = page_nojs
    checked = []

    def check(label):
        axe_check(page)
        checked.append(label)

    # Step 1: topic. Submitting without a choice shows an error summary.
    page.goto(f"{live_url}/o/{SLUG}/melden/")
    assert page.get_by_role("heading", level=1).count() == 1
    check("topic")
    _click(page, "Volgende stap")
    assert page.get_by_role("alert").count() >= 1
    check("topic with error")
    page.check("input[name=report_type][value=wrongdoing]")
    _click(page, "Volgende stap")

    # Step 2: how.
    check("how")
    page.check("input[name=anonymity][value=anonymous]")
    _click(page, "Volgende stap")

    # Step 3: the questionnaire; the required question left empty first.
    check("details")
    _click(page, "Volgende stap")
    assert "Beantwoord deze vraag" in page.content()
    check("details with error")
    page.fill("textarea[name=q_what]", "Bij de aanbesteding van de brug kreeg steeds dezelfde aannemer de opdracht.")
    page.fill("input[name=q_where]", "Afdeling Infra")
    page.check("input[name=q_how_known][value=documents]")
    page.fill("textarea[name=implicated]", "Hoofd inkoop")
    _click(page, "Volgende stap")

    # Step 4: review, add a photo with GPS data, send.
    check("review")
    assert "Afdeling Infra" in page.content()
    photo = tmp_path / "bewijs.jpg"
    _jpeg_with_gps(photo)
    page.set_input_files("input[name=attachments]", str(photo))
    _click(page, "Melding versturen")

    # The receipt, shown once; leaving needs the confirmation.
    check("receipt")
    shown = page.locator("p.intact-receipt").first.inner_text()
    receipt = re.sub(r"[^0-9A-Z]", "", shown)
    assert len(receipt) == 20
    assert shown.count("–") == 3  # four groups
    assert "Uit uw foto hebben wij de metadata verwijderd" in page.content()
    _click(page, "Verder naar de postbus")
    assert "Bevestig dat u uw ontvangstbewijs hebt bewaard" in page.content()
    assert receipt[:5] in page.content()  # shown again within the same step
    check("receipt with error")
    page.check("input[name=saved]")
    _click(page, "Verder naar de postbus")
    assert "/postbus/" in page.url
    assert receipt[:5] not in page.content()

    # The stored photo has no EXIF/GPS left.
    report = Report.objects.get(organisation=org)
    stored = files.file_read(Attachment.objects.get(report=report).file)
    assert b"E2E-PhoneModel" not in stored and b"Exif" not in stored

    # Mailbox: a wrong receipt first, then the right one (lower case, with spaces).
    check("mailbox login")
    page.fill("input[name=receipt]", "AAAAA-BBBBB-CCCCC-DDDDD")
    _click(page, "Postbus openen")
    assert "kunnen wij geen postbus openen" in page.content()
    check("mailbox login with error")
    page.fill("input[name=receipt]", " ".join([receipt[i:i + 5].lower() for i in range(0, 20, 5)]))
    _click(page, "Postbus openen")
    assert page.get_by_role("heading", name="Uw meldingspostbus").count() == 1
    assert "Ontvangen" in page.content()
    assert "bewijs.jpg" in page.content() and "metadata zoals GPS-locatie verwijderd" in page.content()
    check("mailbox")

    # Reply from the mailbox, then log out.
    page.fill("textarea[name=body]", "Ik heb nog een tweede offerte.")
    _click(page, "Bericht versturen")
    assert "Ik heb nog een tweede offerte." in page.content()
    _click(page, "Uitloggen")
    check("logged out")
    page.goto(f"{live_url}/o/{SLUG}/postbus/")
    assert "Uw meldingspostbus" not in page.content()

    assert_no_third_party_requests(page, live_url)
    assert_no_csp_violations(page)
    assert len(checked) == 12
    # Only the session and CSRF cookies were set.
    names = {c["name"] for c in page.context.cookies()}
    assert names <= {"intact_session", "intact_csrf"}, names


def test_reporter_pages_fit_a_phone_and_pass_axe_in_english(org, live_url, new_page):
    page = new_page(javascript_enabled=True, viewport=PHONE)
    page.context.add_cookies([{"name": "intact_language", "value": "en", "url": live_url}])
    page.goto(f"{live_url}/o/{SLUG}/melden/")
    assert "Make a report to" in page.content()
    assert_no_horizontal_scroll(page)
    axe_check(page)
    page.check("input[name=report_type][value=undesirable_behaviour]")
    _click(page, "Next step")
    assert_no_horizontal_scroll(page)
    page.check("input[name=anonymity][value=confidential]")
    _click(page, "Next step")
    assert_no_horizontal_scroll(page)
    axe_check(page)
    page.fill("textarea[name=q_what]", "My manager keeps making remarks about my background.")
    page.fill("input[name=name]", "A. Reporter")
    _click(page, "Next step")
    assert_no_horizontal_scroll(page)
    _click(page, "Send report")
    assert "Write down your receipt now" in page.content()
    assert_no_horizontal_scroll(page)
    axe_check(page)
    page.goto(f"{live_url}/o/{SLUG}/postbus/")
    assert_no_horizontal_scroll(page)
    axe_check(page)
    assert Report.objects.get(organisation=org).identity.sealed
    assert_no_third_party_requests(page, live_url)
