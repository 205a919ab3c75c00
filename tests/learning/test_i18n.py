"""The English translation of the learning app is complete and used."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

import intact.learning

PO = Path(intact.learning.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_every_message_is_translated():
    text = PO.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    entries = text.split("\n\n")[1:]
    assert len(entries) > 250
    for entry in entries:
        # Each msgstr with its continuation lines ("..." on the following lines).
        blocks = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', entry + "\n", flags=re.M)
        texts = ["".join(re.findall(r'"(.*)"', block)) for block in blocks]
        assert texts and all(texts), entry
    assert PO.with_suffix(".mo").exists()


@pytest.mark.django_db
def test_pages_in_english(org, make_user, login):
    c = login(make_user(org, "coordinator"))
    c.cookies["intact_language"] = "en"
    page = c.get(reverse("learning:conversation_counts", kwargs={"org": org.slug})).content.decode()
    assert "Conversations with confidential counsellors" in page
    assert "Undesirable behaviour" in page and "Sexual harassment" in page
    page = c.get(reverse("learning:manifesto", kwargs={"org": org.slug})).content.decode()
    assert "Our moral manifesto" in page
