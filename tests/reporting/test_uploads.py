"""Attachments: real type by content, metadata stripped, hostile files refused."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image

from intact.reporting import services, uploads
from intact.reporting.models import Attachment, Report
from intact.security import files
from intact.security.models import EncryptedFile
from tests.reporting.factories import make_report

MB = 1024 * 1024


def jpeg_with_gps() -> bytes:
    img = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "CameraMakerMARKER"  # Make
    exif[0x0110] = "PhoneModelMARKER"  # Model
    exif[0x0131] = "SoftwareMARKER"
    gps = {1: "N", 2: (52.0, 5.0, 12.5), 3: "E", 4: (4.0, 18.0, 30.0)}
    exif[0x8825] = gps  # GPSInfo IFD
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif.tobytes())
    data = out.getvalue()
    # Prove the fixture carries what we want removed.
    with Image.open(io.BytesIO(data)) as check:
        assert check.getexif().get_ifd(0x8825)
    assert b"PhoneModelMARKER" in data
    return data


def png_with_text() -> bytes:
    from PIL import PngImagePlugin

    img = Image.new("RGB", (10, 10), (0, 0, 255))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "AuthorMARKER")
    out = io.BytesIO()
    img.save(out, format="PNG", pnginfo=info)
    assert b"AuthorMARKER" in out.getvalue()
    return out.getvalue()


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def odt_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * (60 * MB))
    return out.getvalue()


@pytest.mark.django_db
def test_jpeg_exif_and_gps_are_stripped_in_the_stored_file(org):
    report, _receipt = make_report(org, attachments=[("foto.jpg", jpeg_with_gps())])
    att = Attachment.objects.get(report=report)
    assert att.stripped_metadata is True
    stored = files.file_read(att.file)
    for marker in (b"PhoneModelMARKER", b"CameraMakerMARKER", b"SoftwareMARKER", b"Exif"):
        assert marker not in stored
    with Image.open(io.BytesIO(stored)) as img:
        assert img.format == "JPEG"
        exif = img.getexif()
        assert not exif.get_ifd(0x8825)
        assert len(exif) == 0
        assert img.size == (64, 48)


def test_png_text_chunks_are_stripped():
    result = uploads.clean("scherm.png", png_with_text())
    assert result.stripped_metadata
    assert b"AuthorMARKER" not in result.data
    assert result.content_type == "image/png"


@pytest.mark.parametrize(
    "name,maker,ctype",
    [
        ("brief.pdf", lambda: b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF", "application/pdf"),
        ("notitie.txt", lambda: "Gewoon tekst, met é en ü.".encode(), "text/plain"),
        ("verslag.docx", docx_bytes, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("verslag.odt", odt_bytes, "application/vnd.oasis.opendocument.text"),
        ("memo.mp3", lambda: b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb" * 100, "audio/mpeg"),
        ("memo.m4a", lambda: b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00" + b"\x00" * 64, "audio/mp4"),
    ],
)
def test_allowed_types(name, maker, ctype):
    result = uploads.clean(name, maker())
    assert result.content_type == ctype
    assert result.stripped_metadata is False


@pytest.mark.parametrize(
    "name,data,fragment",
    [
        ("tekening.svg", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "SVG"),
        ("plaatje.svg", b'<svg onload="alert(1)"/>', "SVG"),
        ("pagina.html", b"<!doctype html><script>x</script>", "SVG"),
        ("archief.zip", None, "zip"),
        ("programma.exe", b"MZ\x90\x00" + b"\x00" * 100, "niet aangenomen"),
        ("leeg.pdf", b"", "leeg"),
    ],
)
def test_refused_types(name, data, fragment):
    if data is None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("a.txt", "x")
        data = out.getvalue()
    with pytest.raises(uploads.UploadRejected) as exc:
        uploads.clean(name, data)
    assert fragment.lower() in str(exc.value).lower()


def test_lying_type_is_refused():
    png = png_with_text()
    with pytest.raises(uploads.UploadRejected) as exc:
        uploads.clean("contract.pdf", png)
    assert "past niet bij de naam" in str(exc.value)
    with pytest.raises(uploads.UploadRejected):
        uploads.clean("foto.jpg", b"%PDF-1.4 fake")


def test_zip_bomb_is_refused():
    with pytest.raises(uploads.UploadRejected) as exc:
        uploads.clean("bom.docx", zip_bomb())
    assert "zip-bom" in str(exc.value)


def test_image_decompression_bomb_is_refused():
    img = Image.new("1", (9000, 9000))  # 81 megapixels, tiny as PNG
    out = io.BytesIO()
    img.save(out, format="PNG")
    with pytest.raises(uploads.UploadRejected) as exc:
        uploads.clean("groot.png", out.getvalue())
    assert "te groot" in str(exc.value)


def test_oversize_file_and_total():
    big = b"a" * (10 * MB + 1)
    with pytest.raises(uploads.UploadRejected) as exc:
        uploads.clean("groot.txt", big)
    assert "10 MB" in str(exc.value)
    parts = [(f"deel{i}.txt", b"a" * (9 * MB)) for i in range(3)]
    with pytest.raises(uploads.UploadRejected) as exc:
        uploads.clean_all(parts)
    assert "25 MB" in str(exc.value)


def test_name_is_sanitised():
    result = uploads.clean("../../etc/<passwd>.txt", b"hallo")
    assert result.name == "passwd.txt"


@pytest.mark.django_db
def test_refused_file_stores_nothing(org):
    with pytest.raises(uploads.UploadRejected):
        make_report(org, attachments=[("ok.txt", b"prima"), ("x.svg", b"<svg/>")])
    assert Report.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert EncryptedFile.objects.count() == 0


@pytest.mark.django_db
def test_failure_after_files_were_written_removes_them(org, monkeypatch):
    """A failure late in the transaction rolls back the records and removes the blobs."""
    from django.core.files.storage import default_storage

    from intact.reporting import routing

    def boom(**kwargs):
        raise RuntimeError("routing failed")

    monkeypatch.setattr(routing, "report_route", boom)
    folder = f"encrypted/{org.pk}"

    def listing():
        return set(default_storage.listdir(folder)[1]) if default_storage.exists(folder) else set()

    before = listing()
    with pytest.raises(RuntimeError):
        make_report(org, attachments=[("ok.txt", b"prima")])
    after = listing()
    assert after == before
    assert Report.objects.count() == 0 and EncryptedFile.objects.count() == 0


@pytest.mark.django_db
def test_upload_through_the_page_shows_clear_message(client, org):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    url = reverse("reporting_public:report", kwargs={"org": org.slug})
    client.post(url, {"step": "topic", "report_type": "wrongdoing"})
    client.post(url, {"step": "how", "anonymity": "anonymous"})
    client.post(url, {"step": "details", "q_what": "iets"})
    svg = SimpleUploadedFile("x.svg", b"<svg onload='alert(1)'/>", content_type="image/svg+xml")
    r = client.post(url, {"step": "submit", "attachments": [svg]})
    assert r.status_code == 400
    assert "SVG" in r.content.decode()
    assert Report.objects.count() == 0
    # The draft survives: fixing the file lets the reporter submit.
    ok = SimpleUploadedFile("x.txt", b"tekst", content_type="text/plain")
    r = client.post(url, {"step": "submit", "attachments": [ok]})
    assert r.status_code == 200
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_handler_and_reporter_message_attachments(org, make_user):
    report, _ = make_report(org)
    handler = make_user(org, "coordinator")
    msg = services.reporter_message_send(report=report, body="Zie foto", attachments=[("foto.jpg", jpeg_with_gps())])
    att = msg.attachments.get()
    assert att.stripped_metadata and b"PhoneModelMARKER" not in files.file_read(att.file)
    with pytest.raises(uploads.UploadRejected):
        services.handler_message_send(report=report, author=handler, body="x", attachments=[("a.svg", b"<svg/>")])


@pytest.mark.django_db
def test_uploads_never_touch_a_temp_file(client, org, monkeypatch, tmp_path):
    """A large file (above FILE_UPLOAD_MAX_MEMORY_SIZE) is not written to the temp folder."""
    from django.core.files import temp as django_temp
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    temp_files = []
    real = django_temp.NamedTemporaryFile

    def spy(*args, **kwargs):
        handle = real(*args, **kwargs)
        temp_files.append(handle.name)
        return handle

    monkeypatch.setattr(django_temp, "NamedTemporaryFile", spy)
    url = reverse("reporting_public:report", kwargs={"org": org.slug})
    client.post(url, {"step": "topic", "report_type": "wrongdoing"})
    client.post(url, {"step": "how", "anonymity": "anonymous"})
    client.post(url, {"step": "details", "q_what": "groot bestand"})
    big = SimpleUploadedFile("groot.txt", b"tekst " * (700 * 1024), content_type="text/plain")  # ~4 MB
    r = client.post(url, {"step": "submit", "attachments": [big]})
    assert r.status_code == 200
    assert temp_files == []
    assert files.file_read(Attachment.objects.get().file).startswith(b"tekst tekst")


@pytest.mark.django_db
def test_too_large_request_is_stopped_with_a_clear_message(client, org):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    url = reverse("reporting_public:report", kwargs={"org": org.slug})
    client.post(url, {"step": "topic", "report_type": "wrongdoing"})
    client.post(url, {"step": "how", "anonymity": "anonymous"})
    client.post(url, {"step": "details", "q_what": "te veel"})
    parts = [SimpleUploadedFile(f"deel{i}.txt", b"a" * (9 * MB), content_type="text/plain") for i in range(3)]
    r = client.post(url, {"step": "submit", "attachments": parts})
    assert r.status_code == 400
    assert "25 MB" in r.content.decode()
    assert Report.objects.count() == 0 and EncryptedFile.objects.count() == 0
