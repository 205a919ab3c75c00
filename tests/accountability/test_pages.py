"""Staff pages: preview, narrative, generation as a background task, download, settings; access."""

from __future__ import annotations

import datetime as dt

import pytest

from intact.accountability.models import ChapterText, JobStatus, ReportJob, ReportSettings
from tests.cases.factories import register_case

pytestmark = pytest.mark.django_db
YEAR = dt.date.today().year - 1


def test_preview_shows_report_and_log_to_coordinator(org, coordinator, login):
    register_case(org, coordinator, received_on=dt.date(YEAR, 2, 1))
    client = login(coordinator)
    r = client.get(f"/app/{org.slug}/verantwoording/{YEAR}/")
    assert r.status_code == 200
    body = r.content.decode()
    assert "Jaarverslag integriteit" in body and "minder dan 5" in body
    assert "alleen voor u" in body  # the suppression log
    r = client.get(f"/app/{org.slug}/verantwoording/{YEAR}/?editie=internal")
    assert "Interne editie" in r.content.decode()


def test_auditor_gets_public_only(org, make_user, login):
    auditor = make_user(org, "auditor", username="acc-aud2")
    client = login(auditor)
    assert client.get(f"/app/{org.slug}/verantwoording/{YEAR}/").status_code == 200
    assert client.get(f"/app/{org.slug}/verantwoording/{YEAR}/?editie=internal").status_code == 404
    assert client.get(f"/app/{org.slug}/verantwoording/instellingen/").status_code == 404


def test_other_roles_and_organisations_get_404(org, other_org, make_user, login):
    employee = make_user(org, "employee", username="acc-emp")
    assert login(employee).get(f"/app/{org.slug}/verantwoording/").status_code == 404
    stranger = make_user(other_org, "coordinator", username="acc-str")
    assert login(stranger).get(f"/app/{org.slug}/verantwoording/").status_code == 404


def test_chapter_text_versions(org, coordinator, login):
    client = login(coordinator)
    url = f"/app/{org.slug}/verantwoording/{YEAR}/tekst/actions/"
    client.post(url, {"text": "Een."})
    client.post(url, {"text": "Twee."})
    assert list(ChapterText.objects.filter(organisation=org).values_list("version", "text")) == [
        (2, "Twee."),
        (1, "Een."),
    ]
    assert client.get(f"/app/{org.slug}/verantwoording/{YEAR}/tekst/nonsense/").status_code == 404


def test_generate_in_background_and_download(
    org, coordinator, login, django_capture_on_commit_callbacks
):
    client = login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            f"/app/{org.slug}/verantwoording/",
            {"year": YEAR, "kind": "annual", "edition": "public", "format": "docx"},
        )
    assert r.status_code == 302
    job = ReportJob.objects.get()
    if job.status == JobStatus.QUEUED:  # a queueing backend: run it as the worker would
        from intact.accountability import services

        services.job_run(job_id=job.pk)
        job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.progress == 100
    page = client.get(r["Location"]).content.decode()
    assert "downloaden" in page and 'http-equiv="refresh"' not in page
    d = client.get(f"/app/{org.slug}/verantwoording/taak/{job.pk}/download/")
    assert d.status_code == 200 and d.content[:2] == b"PK"
    # the stored file is encrypted at rest
    from django.core.files.storage import default_storage

    with default_storage.open(job.file.storage_name, "rb") as fh:
        assert fh.read()[:2] != b"PK"


def test_someone_elses_job_is_404(org, coordinator, make_user, login):
    job = ReportJob.objects.create(
        organisation=org, year=YEAR, format="pdf", edition="public", requested_by=coordinator
    )
    other = make_user(org, "coordinator", username="acc-c2")
    assert login(other).get(f"/app/{org.slug}/verantwoording/taak/{job.pk}/").status_code == 404


def test_settings_refuse_threshold_below_3(org, coordinator, login):
    client = login(coordinator)
    r = client.post(f"/app/{org.slug}/verantwoording/instellingen/", {"threshold": 2})
    assert r.status_code == 200 and 'role="alert"' in r.content.decode()
    client.post(
        f"/app/{org.slug}/verantwoording/instellingen/",
        {"threshold": 4, "sector_participation": "on"},
    )
    s = ReportSettings.objects.get(organisation=org)
    assert s.threshold == 4 and s.sector_participation
