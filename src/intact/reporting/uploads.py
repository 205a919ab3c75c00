"""Checking and cleaning files that reporters (and handlers) attach.

The real type is found from the content (magic bytes), never from the name or
the browser's claim; a file whose name says something else is refused. Images
are decoded and re-encoded with Pillow, which drops EXIF (GPS position,
camera serial, time), XMP, IPTC and comments. Office files are checked as
ZIP containers against zip bombs. SVG, archives, executables and anything
else are refused with a message the reporter can act on.

Limits are policy and live in ``data/uploads.yaml``.
"""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

DATA = Path(__file__).resolve().parent / "data" / "uploads.yaml"


@lru_cache(maxsize=1)
def limits() -> dict[str, Any]:
    """Upload limits and allowed types (see the data file for their source)."""
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


class UploadRejected(ValueError):
    """A file that may not be stored; ``str()`` is a translated message for the reporter."""

    def __init__(self, message: str, name: str = "") -> None:
        super().__init__(message)
        self.name = name


@dataclass
class CleanFile:
    name: str
    content_type: str
    data: bytes
    stripped_metadata: bool


# kind -> (content type, extensions accepted in the name)
TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "pdf": ("application/pdf", (".pdf",)),
    "jpeg": ("image/jpeg", (".jpg", ".jpeg")),
    "png": ("image/png", (".png",)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (".docx",),
    ),
    "odt": ("application/vnd.oasis.opendocument.text", (".odt",)),
    "txt": ("text/plain", (".txt",)),
    "mp3": ("audio/mpeg", (".mp3",)),
    "m4a": ("audio/mp4", (".m4a",)),
}


def safe_name(name: str) -> str:
    """The base name without path, control characters or excessive length."""
    base = os.path.basename((name or "").replace("\\", "/")).strip()
    base = "".join(c for c in base if c.isprintable() and c not in '<>:"|?*')
    if len(base) > 120:
        stem, ext = os.path.splitext(base)
        base = stem[: 120 - len(ext)] + ext
    return base or "bestand"


def _looks_like_svg_or_html(head: bytes) -> bool:
    sample = head[:2048].lstrip().lower()
    return (
        b"<svg" in sample
        or sample.startswith(b"<?xml")
        or b"<html" in sample
        or b"<!doctype" in sample
        or b"<script" in sample
    )


def _zip_kind(data: bytes) -> str:
    """'docx' or 'odt' for a sound office container; raise for bombs and other archives."""
    cfg = limits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UploadRejected(_("Het bestand is beschadigd of geen geldig document.")) from exc
    if len(infos) > cfg["zip_max_entries"]:
        raise UploadRejected(_("Het document bevat te veel onderdelen om veilig te openen."))
    total = sum(i.file_size for i in infos)
    compressed = max(1, sum(i.compress_size for i in infos))
    if total > cfg["zip_max_uncompressed_mb"] * 1024 * 1024 or total / compressed > cfg["zip_max_ratio"]:
        raise UploadRejected(
            _("Het document pakt uit tot een onwaarschijnlijk grote omvang (mogelijk een 'zip-bom') en is geweigerd.")
        )
    if any(i.flag_bits & 0x1 for i in infos):
        raise UploadRejected(_("Versleutelde documenten kunnen niet worden aangenomen."))
    names = {i.filename for i in infos}
    if "mimetype" in names:
        try:
            mimetype = archive.read("mimetype")[:100].strip()
        except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
            raise UploadRejected(_("Het bestand is beschadigd of geen geldig document.")) from exc
        if mimetype == b"application/vnd.oasis.opendocument.text":
            return "odt"
    if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
        return "docx"
    raise UploadRejected(
        _("Archieven (zoals zip) en dit soort documenten kunnen niet worden aangenomen.")
    )


def detect(data: bytes) -> str:
    """The kind of file from its content; raise :class:`UploadRejected` if not allowed."""
    head = data[:64]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in (
        b"M4A ",
        b"M4B ",
        b"mp42",
        b"isom",
        b"iso2",
        b"dash",
    ):
        return "m4a"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    if _looks_like_svg_or_html(data):
        raise UploadRejected(
            _("SVG-, HTML- en XML-bestanden kunnen code bevatten en worden niet aangenomen. Maak er een PDF of schermafdruk (PNG) van.")
        )
    if b"\x00" not in data[:8192]:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return "txt"
    raise UploadRejected(_("Dit soort bestand wordt niet aangenomen."))


def _reencode_image(data: bytes, kind: str) -> bytes:
    """Decode and encode again without any metadata (EXIF, GPS, XMP, comments)."""
    cfg = limits()
    Image.MAX_IMAGE_PIXELS = cfg["image_max_pixels"]
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            if img.width * img.height > cfg["image_max_pixels"]:
                raise UploadRejected(_("De afbeelding is te groot (te veel pixels)."))
            # Keep the picture the way the camera meant it, then drop the metadata.
            img = ImageOps.exif_transpose(img)
            clean = Image.frombytes(img.mode, img.size, img.tobytes())
            if img.mode == "P" and img.getpalette():
                clean.putpalette(img.getpalette())
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise UploadRejected(_("De afbeelding is te groot (te veel pixels).")) from exc
    except Exception as exc:  # noqa: BLE001 - any decoder error means: not a usable image
        raise UploadRejected(_("De afbeelding is beschadigd en kan niet worden gelezen.")) from exc
    out = io.BytesIO()
    if kind == "jpeg":
        if clean.mode not in ("RGB", "L"):
            clean = clean.convert("RGB")
        clean.save(out, format="JPEG", quality=90)
    else:
        clean.save(out, format="PNG", optimize=False)
    return out.getvalue()


def clean(name: str, data: bytes) -> CleanFile:
    """Check one file and return what may be stored; raise :class:`UploadRejected`."""
    cfg = limits()
    display = safe_name(name)
    if not data:
        raise UploadRejected(_("Het bestand %(name)s is leeg.") % {"name": display}, display)
    if len(data) > cfg["max_file_mb"] * 1024 * 1024:
        raise UploadRejected(
            _("Het bestand %(name)s is groter dan %(mb)s MB.") % {"name": display, "mb": cfg["max_file_mb"]},
            display,
        )
    try:
        kind = detect(data)
    except UploadRejected as exc:
        raise UploadRejected(f"{display}: {exc}", display) from exc
    content_type, extensions = TYPES[kind]
    ext = os.path.splitext(display)[1].lower()
    if ext not in extensions:
        raise UploadRejected(
            _("De inhoud van %(name)s past niet bij de naam van het bestand (het lijkt een %(kind)s-bestand). Geef het bestand de juiste naam of kies een ander bestand.")
            % {"name": display, "kind": kind.upper()},
            display,
        )
    stripped = False
    if kind in ("jpeg", "png"):
        try:
            data = _reencode_image(data, kind)
        except UploadRejected as exc:
            raise UploadRejected(f"{display}: {exc}", display) from exc
        stripped = True
    return CleanFile(name=display, content_type=content_type, data=data, stripped_metadata=stripped)


def clean_all(files: list[tuple[str, bytes]]) -> list[CleanFile]:
    """Check a set of files together (count and total size); all or nothing."""
    cfg = limits()
    if len(files) > cfg["max_files"]:
        raise UploadRejected(_("U kunt ten hoogste %(n)s bestanden toevoegen.") % {"n": cfg["max_files"]})
    total = sum(len(d) for _n, d in files)
    if total > cfg["max_total_mb"] * 1024 * 1024:
        raise UploadRejected(
            _("De bestanden zijn samen groter dan %(mb)s MB.") % {"mb": cfg["max_total_mb"]}
        )
    return [clean(n, d) for n, d in files]


# --- receiving uploads ---------------------------------------------------------------

from django.core.files.uploadedfile import InMemoryUploadedFile  # noqa: E402
from django.core.files.uploadhandler import FileUploadHandler, StopUpload  # noqa: E402

TOO_LARGE_FLAG = "_intact_upload_too_large"


class InMemoryOnlyUploadHandler(FileUploadHandler):
    """Keep a reporter's files in memory only, never in a temporary file on disk.

    Django writes uploads above ``FILE_UPLOAD_MAX_MEMORY_SIZE`` to the temp
    folder in plaintext; for evidence a reporter sends that is a trace on
    the server's disk. This handler keeps every file in memory and stops
    the upload once the request carries more than the total limit (plus a
    little room), marking the request so the page can say so.
    """

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.total = 0
        self.limit = (int(limits()["max_total_mb"]) + 1) * 1024 * 1024

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.file = io.BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.total += len(raw_data)
        if self.total > self.limit:
            if self.request is not None:
                setattr(self.request, TOO_LARGE_FLAG, True)
            raise StopUpload(connection_reset=False)
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.file.seek(0)
        return InMemoryUploadedFile(
            file=self.file,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


def use_memory_only(request: Any) -> None:
    """Switch ``request`` to in-memory uploads; call before reading POST/FILES."""
    request.upload_handlers = [InMemoryOnlyUploadHandler(request)]


def too_large(request: Any) -> bool:
    """True when the upload was stopped for exceeding the total limit."""
    return bool(getattr(request, TOO_LARGE_FLAG, False))


def too_large_message() -> str:
    return _("De bestanden zijn samen groter dan %(mb)s MB.") % {"mb": limits()["max_total_mb"]}
