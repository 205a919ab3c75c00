"""The counsellor log: no names, rows only for their counsellor, counts for the rest."""

import datetime as dt

import pytest
from django.db import connection
from django.http import Http404
from django.urls import reverse

from intact.learning import selectors, services
from intact.learning.models import ConversationTopic, CounsellorConversation
from intact.security.models import AuditEntry
from tests.learning.factories import ConversationFactory, topic

pytestmark = pytest.mark.django_db

# Provincie Zuid-Holland, Integriteit: rapportage 2019, tabel 2.
ZH_2019 = {
    "integrity": 2,
    "undesirable_behaviour": 9,
    "discrimination": 0,
    "work_conflict": 5,
    "unsafe": 4,
    "general_advice": 5,
}


def test_new_organisation_gets_the_default_topics(org):
    codes = list(
        ConversationTopic.objects.filter(organisation=org, parent__isnull=True).values_list(
            "code", flat=True
        )
    )
    assert codes == [
        "integrity",
        "undesirable_behaviour",
        "discrimination",
        "work_conflict",
        "unsafe",
        "general_advice",
    ]
    subs = set(
        ConversationTopic.objects.filter(
            organisation=org, parent__code="undesirable_behaviour"
        ).values_list("code", flat=True)
    )
    assert subs == {"bullying", "intimidation", "sexual_harassment", "aggression_violence"}
    services.organisation_defaults_ensure(organisation=org)  # idempotent
    assert ConversationTopic.objects.filter(organisation=org).count() == 10


def test_counts_reproduce_the_zuid_holland_table(org, make_user):
    counsellor = make_user(org, "counsellor")
    plan = {
        "integrity": 2,
        "bullying": 4,
        "sexual_harassment": 2,
        "aggression_violence": 1,
        "undesirable_behaviour": 2,
        "work_conflict": 5,
        "unsafe": 4,
        "general_advice": 5,
    }
    for code, n in plan.items():
        for i in range(n):
            services.conversation_create(
                actor=counsellor,
                organisation=org,
                date=dt.date(2019, 1 + (i * 3) % 12, 10),
                topic=topic(org, code),
                contact_form="in_person",
                follow_up="advice",
            )
    ConversationFactory(organisation=org, date=dt.date(2020, 1, 5))  # another year: not counted
    counts = selectors.counsellor_topic_counts(org, 2019)
    assert counts["total"] == 25
    assert {t["code"]: t["count"] for t in counts["topics"]} == ZH_2019
    undesirable = next(t for t in counts["topics"] if t["code"] == "undesirable_behaviour")
    assert {s["code"]: s["count"] for s in undesirable["subtopics"]} == {
        "bullying": 4,
        "intimidation": 0,
        "sexual_harassment": 2,
        "aggression_violence": 1,
    }
    assert undesirable["direct"] == 2
    assert sum(counts["by_quarter"].values()) == 25
    assert counts["by_follow_up"]["advice"] == 25


def test_note_is_encrypted_and_audited(org, make_user):
    counsellor = make_user(org, "counsellor")
    secret = "Vervolgafspraak-geheim-7731"
    conversation = services.conversation_create(
        actor=counsellor,
        organisation=org,
        date=dt.date(2024, 2, 1),
        topic=topic(org, "work_conflict"),
        contact_form="phone",
        follow_up="referral",
        note=secret,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT note FROM learning_counsellorconversation WHERE id = %s", [conversation.pk]
        )
        raw = bytes(cursor.fetchone()[0])
    assert secret.encode() not in raw
    assert CounsellorConversation.objects.get(pk=conversation.pk).note == secret
    entry = AuditEntry.objects.filter(action="learning.conversation.create").latest("id")
    assert secret not in str(entry.detail)
    assert entry.detail["has_note"] is True


def test_rows_only_for_the_counsellor_who_wrote_them(org, other_org, make_user):
    mine = make_user(org, "counsellor")
    colleague = make_user(org, "counsellor")
    coordinator = make_user(org, "coordinator")
    conversation = ConversationFactory(organisation=org, counsellor=mine)
    assert list(selectors.conversation_list(user=mine, organisation=org)) == [conversation]
    assert list(selectors.conversation_list(user=colleague, organisation=org)) == []
    with pytest.raises(Http404):
        selectors.conversation_get(user=colleague, organisation=org, pk=conversation.pk)
    with pytest.raises(Http404):
        selectors.conversation_list(user=coordinator, organisation=org)
    # ...but the coordinator sees the count.
    assert (
        selectors.conversation_counts(user=coordinator, organisation=org, year=2019)["total"] == 1
    )
    outsider = make_user(other_org, "coordinator")
    with pytest.raises(Http404):
        selectors.conversation_counts(user=outsider, organisation=org, year=2019)
    employee = make_user(org, "employee")
    with pytest.raises(Http404):
        selectors.conversation_counts(user=employee, organisation=org, year=2019)


def test_only_the_author_changes_or_deletes(org, make_user):
    mine = make_user(org, "counsellor")
    colleague = make_user(org, "counsellor")
    conversation = ConversationFactory(organisation=org, counsellor=mine)
    with pytest.raises(Http404):
        services.conversation_update(actor=colleague, conversation=conversation, follow_up="report")
    with pytest.raises(Http404):
        services.conversation_delete(actor=colleague, conversation=conversation)
    services.conversation_update(actor=mine, conversation=conversation, follow_up="report")
    assert CounsellorConversation.objects.get(pk=conversation.pk).follow_up == "report"


def test_rules_on_register(org, other_org, make_user):
    counsellor = make_user(org, "counsellor")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):  # topic of another organisation
        services.conversation_create(
            actor=counsellor,
            organisation=org,
            date=dt.date(2024, 1, 1),
            topic=topic(other_org, "integrity"),
            contact_form="phone",
            follow_up="advice",
        )
    with pytest.raises(ValidationError):  # in the future
        services.conversation_create(
            actor=counsellor,
            organisation=org,
            date=dt.date.today() + dt.timedelta(days=3),
            topic=topic(org, "integrity"),
            contact_form="phone",
            follow_up="advice",
        )
    unused = topic(org, "unsafe")
    services.topic_update(actor=None, topic=unused, is_active=False)
    with pytest.raises(ValidationError):
        services.conversation_create(
            actor=counsellor,
            organisation=org,
            date=dt.date(2024, 1, 1),
            topic=unused,
            contact_form="phone",
            follow_up="advice",
        )
    coordinator = make_user(org, "coordinator")
    with pytest.raises(Http404):  # only counsellors register conversations
        services.conversation_create(
            actor=coordinator,
            organisation=org,
            date=dt.date(2024, 1, 1),
            topic=topic(org, "integrity"),
            contact_form="phone",
            follow_up="advice",
        )


def test_pages(org, make_user, login, client):
    counsellor = make_user(org, "counsellor")
    c = login(counsellor)
    url = reverse("learning:conversation_create", kwargs={"org": org.slug})
    assert c.get(url).status_code == 200
    response = c.post(
        url,
        {
            "date": "2024-06-03",
            "topic": topic(org, "bullying").pk,
            "contact_form": "video",
            "follow_up": "advice",
            "note": "Alleen voor mij",
        },
    )
    assert response.status_code == 302
    conversation = CounsellorConversation.objects.get(organisation=org)
    assert conversation.counsellor == counsellor and conversation.note == "Alleen voor mij"
    listing = c.get(reverse("learning:conversation_list", kwargs={"org": org.slug}) + "?year=2024")
    assert "Pesten" in listing.content.decode()
    before = AuditEntry.objects.filter(action="learning.conversation.view").count()
    detail = c.get(
        reverse("learning:conversation_detail", kwargs={"org": org.slug, "pk": conversation.pk})
    )
    assert "Alleen voor mij" in detail.content.decode()
    assert AuditEntry.objects.filter(action="learning.conversation.view").count() == before + 1
    # A future date is refused with a message, nothing stored.
    response = c.post(
        url,
        {
            "date": "2999-01-01",
            "topic": topic(org, "bullying").pk,
            "contact_form": "video",
            "follow_up": "advice",
        },
    )
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert CounsellorConversation.objects.count() == 1


def test_pages_hide_rows_from_others(org, other_org, make_user, login, client):
    conversation = ConversationFactory(
        organisation=org, counsellor=make_user(org, "counsellor"), date=dt.date(2024, 3, 1)
    )
    detail = reverse(
        "learning:conversation_detail", kwargs={"org": org.slug, "pk": conversation.pk}
    )
    counts = reverse("learning:conversation_counts", kwargs={"org": org.slug}) + "?year=2024"
    for role in ("counsellor", "coordinator", "auditor", "technical_admin", "employee"):
        c = login(make_user(org, role))
        assert c.get(detail).status_code == 404, role
        c.logout()
    for role in ("coordinator", "auditor", "competent_authority"):
        c = login(make_user(org, role))
        page = c.get(counts)
        assert page.status_code == 200, role
        assert "Integriteit" in page.content.decode()
        c.logout()
    c = login(make_user(org, "employee"))
    assert c.get(counts).status_code == 404
    c.logout()
    c = login(make_user(other_org, "coordinator"))
    assert c.get(counts).status_code == 404
