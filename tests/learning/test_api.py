"""The API with the same policy as the pages."""

import datetime as dt

import pytest

from intact.learning.models import Activity, CounsellorConversation, MoralCase
from tests.learning.factories import ActivityFactory, ConversationFactory, MoralCaseFactory, topic

pytestmark = pytest.mark.django_db


def base(org):
    return f"/api/v1/organisations/{org.slug}/"


def test_counsellor_rows_only_for_their_author(org, other_org, make_user, login, client):
    mine = make_user(org, "counsellor")
    c = login(mine)
    response = c.post(
        base(org) + "counsellor-conversations/",
        {"date": "2024-04-04", "topic": "bullying", "follow_up": "referral", "note": "geheim"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert CounsellorConversation.objects.get(pk=pk).counsellor == mine
    listing = c.get(base(org) + "counsellor-conversations/").json()
    assert listing["count"] == 1
    assert "geheim" not in str(listing) and listing["results"][0]["has_note"] is True
    assert response.json()["has_note"] is True and "note" not in response.json()
    assert c.get(base(org) + f"counsellor-conversations/{pk}/").json()["note"] == "geheim"
    assert (
        c.patch(
            base(org) + f"counsellor-conversations/{pk}/",
            {"follow_up": "report"},
            content_type="application/json",
        ).json()["follow_up"]
        == "report"
    )
    c.logout()
    for user in (
        make_user(org, "counsellor"),
        make_user(org, "coordinator"),
        make_user(org, "auditor"),
        make_user(org, "technical_admin"),
        make_user(other_org, "counsellor"),
    ):
        c = login(user)
        detail = c.get(base(org) + f"counsellor-conversations/{pk}/")
        assert detail.status_code == 404, user
        assert detail["Content-Type"] == "application/problem+json"
        listing = c.get(base(org) + "counsellor-conversations/")
        assert listing.status_code == 404 or listing.json()["count"] == 0
        c.logout()


def test_counts_for_coordinator_and_auditor(org, make_user, login):
    ConversationFactory(
        organisation=org,
        counsellor=make_user(org, "counsellor"),
        date=dt.date(2019, 5, 1),
        topic=topic(org, "sexual_harassment"),
    )
    for role in ("coordinator", "auditor", "competent_authority"):
        c = login(make_user(org, role))
        body = c.get(base(org) + "counsellor-conversation-counts/?year=2019").json()
        assert body["total"] == 1
        row = next(t for t in body["topics"] if t["code"] == "undesirable_behaviour")
        assert row["count"] == 1
        assert "note" not in str(body)
        c.logout()
    c = login(make_user(org, "employee"))
    assert c.get(base(org) + "counsellor-conversation-counts/?year=2019").status_code == 404


def test_activities_api(org, other_org, make_user, login):
    coordinator = make_user(org, "coordinator")
    c = login(coordinator)
    response = c.post(
        base(org) + "activities/",
        {
            "type": "moral_deliberation",
            "title": "Moreel beraad",
            "date": "2024-02-02",
            "audience": "department",
            "participants": 8,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert c.get(base(org) + "activity-totals/?year=2024").json()["by_type"][2] == {
        "type": "moral_deliberation",
        "label": "Moreel beraad",
        "sessions": 1,
        "participants": 8,
        "by_audience": {"department": 1},
    }
    bad = c.post(
        base(org) + "activities/",
        {
            "type": "kaartspel",
            "title": "x",
            "date": "2024-02-02",
            "audience": "department",
            "participants": -1,
        },
        content_type="application/json",
    )
    assert bad.status_code == 400 and {p["name"] for p in bad.json()["invalid_params"]} == {
        "type",
        "participants",
    }
    c.logout()
    auditor = login(make_user(org, "auditor"))
    assert auditor.get(base(org) + "activities/").json()["count"] == 1
    assert (
        auditor.post(
            base(org) + "activities/",
            {
                "type": "training",
                "title": "x",
                "date": "2024-02-02",
                "audience": "all_staff",
                "participants": 1,
            },
            content_type="application/json",
        ).status_code
        == 403
    )
    auditor.logout()
    ActivityFactory(organisation=other_org)
    outsider = login(make_user(other_org, "coordinator"))
    assert outsider.get(base(org) + "activities/").status_code == 404
    assert (
        outsider.get(
            base(org) + f"activities/{Activity.objects.filter(organisation=org).get().pk}/"
        ).status_code
        == 404
    )


def test_moral_cases_api(org, make_user, login):
    MoralCaseFactory(organisation=org, title="Gepubliceerd", conclusion="leverancier")
    draft = MoralCaseFactory(organisation=org, title="Concept", status="draft")
    c = login(make_user(org, "employee"))
    body = c.get(base(org) + "moral-cases/?q=leverancier").json()
    assert [r["title"] for r in body["results"]] == ["Gepubliceerd"]
    assert c.get(base(org) + f"moral-cases/{draft.pk}/").status_code == 404
    assert c.post(base(org) + "moral-cases/", {}, content_type="application/json").status_code in (
        400,
        403,
    )
    c.logout()
    c = login(make_user(org, "coordinator"))
    response = c.post(
        base(org) + "moral-cases/",
        {
            "title": "Nieuw",
            "dilemma": "D",
            "considerations": "C",
            "conclusion": "X",
            "tags": ["independence", "gifts"],
            "anonymised_confirmed": True,
            "publish": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    case = MoralCase.objects.get(title="Nieuw")
    assert case.is_published and {t.code for t in case.tags.all()} == {"independence", "gifts"}
    response = c.patch(
        base(org) + f"moral-cases/{case.pk}/", {"publish": False}, content_type="application/json"
    )
    assert response.json()["status"] == "draft"
    refused = c.post(
        base(org) + "moral-cases/",
        {
            "title": "N",
            "dilemma": "D",
            "considerations": "C",
            "conclusion": "X",
            "anonymised_confirmed": False,
        },
        content_type="application/json",
    )
    assert refused.status_code == 400


def test_schema_has_learning_endpoints(client):
    schema = client.get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    text = schema.content.decode()
    for path in (
        "counsellor-conversations",
        "counsellor-conversation-counts",
        "activity-totals",
        "moral-cases",
    ):
        assert path in text
