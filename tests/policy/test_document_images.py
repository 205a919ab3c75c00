"""Pictures in the document model: SVG rendered to PNG, embedded with alt text in ODT, DOCX and HTML."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from xml.etree import ElementTree

import pytest
from PIL import Image as PILImage

from intact.policy import documents

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">'
    "<title>Proef</title><desc>Een zwart blok links.</desc>"
    '<rect x="10" y="10" width="80" height="80" fill="#000000"/>'
    '<text x="110" y="55" font-family="DejaVu Sans, sans-serif" font-size="16" fill="#111">Tekst</text>'
    "</svg>"
)
ODF_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
ODF_SVG = "{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}"
ODF_XLINK = "{http://www.w3.org/1999/xlink}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


def _image():
    image = documents.image_from_svg(
        SVG, alt="Proef. Een zwart blok links.", title="Proef", width_cm=8.0
    )
    assert image is not None
    return image


def _doc(image):
    return documents.Document(
        title="Met afbeelding",
        blocks=[
            documents.Paragraph("Voor de afbeelding."),
            documents.Table(header=["Soort", "Aantal"], rows=[["Blok", "1"]], caption="Tabel"),
            image,
            documents.Paragraph("Na de afbeelding."),
        ],
    )


def test_svg_renders_to_a_png_at_the_print_scale_with_the_drawing_in_it():
    png = documents.svg_to_png(SVG)
    assert png.startswith(documents.PNG_SIGNATURE)
    img = PILImage.open(io.BytesIO(png))
    img.load()
    scale = documents.SVG_SCALE
    assert img.size == (round(200 * scale), round(100 * scale))
    assert documents.png_size(png) == img.size
    rgb = img.convert("RGB")
    # inside the black square: black; outside any shape: the white background (not transparent)
    assert rgb.getpixel((round(50 * scale), round(50 * scale))) == (0, 0, 0)
    assert rgb.getpixel((round(5 * scale), round(5 * scale))) == (255, 255, 255)
    # the text was drawn (some dark pixels right of the square)
    text_area = rgb.crop((round(105 * scale), round(35 * scale), img.width, round(65 * scale)))
    assert max(low for low, _high in text_area.getextrema()) < 80


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig's tools are missing")
def test_the_chart_font_is_found_by_fontconfig():
    """cairo (hence CairoSVG) asks fontconfig for the SVG's first font family: DejaVu Sans."""
    out = subprocess.run(  # noqa: S603, S607 - a fixed command
        ["fc-match", "DejaVu Sans"], capture_output=True, text=True, check=True
    ).stdout
    assert "DejaVuSans" in out


def test_png_size_refuses_what_is_not_a_png():
    with pytest.raises(ValueError):
        documents.png_size(b"GIF89a" + b"\0" * 30)


def test_image_from_svg_returns_none_for_markup_it_cannot_render(caplog):
    assert documents.image_from_svg("<svg", alt="x") is None
    assert "Could not render" in caplog.text


def test_image_height_follows_the_aspect_ratio():
    image = _image()
    assert image.height_cm == pytest.approx(4.0)


def test_odt_stores_the_png_with_manifest_entry_size_and_alt_text():
    image = _image()
    data = documents.build_odt(_doc(image))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        content = ElementTree.fromstring(zf.read("content.xml"))
        manifest = zf.read("META-INF/manifest.xml").decode()
        frames = list(content.iter(f"{ODF_DRAW}frame"))
        assert len(frames) == 1
        frame = frames[0]
        assert frame.get(f"{ODF_SVG}width") == "8.00cm"
        assert frame.get(f"{ODF_SVG}height") == "4.00cm"
        assert frame.findtext(f"{ODF_SVG}title") == "Proef"
        assert frame.findtext(f"{ODF_SVG}desc") == "Proef. Een zwart blok links."
        href = frame.find(f"{ODF_DRAW}image").get(f"{ODF_XLINK}href")
        assert href.startswith("Pictures/") and href.endswith(".png")
        assert f'manifest:full-path="{href}"' in manifest
        assert zf.read(href) == image.png
    text = documents.odt_text(data)
    assert "Voor de afbeelding." in text and "Na de afbeelding." in text and "Blok" in text


def test_docx_has_an_inline_picture_with_alt_text_and_size():
    import docx
    from docx.shared import Cm

    image = _image()
    data = documents.build_docx(_doc(image))
    word = docx.Document(io.BytesIO(data))
    assert len(word.inline_shapes) == 1
    shape = word.inline_shapes[0]
    assert abs(shape.width - Cm(8)) < Cm(0.01) and abs(shape.height - Cm(4)) < Cm(0.01)
    doc_pr = shape._inline.find(f"{WP}docPr")
    assert doc_pr.get("descr") == "Proef. Een zwart blok links."
    assert doc_pr.get("title") == "Proef"
    blob = word.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
    assert blob == image.png
    text = documents.docx_text(data)
    assert "Voor de afbeelding." in text and "Na de afbeelding." in text and "Blok | 1" in text


def test_html_and_pdf_carry_the_picture_with_alt_text():
    import pikepdf

    image = _image()
    html = documents.blocks_to_html(_doc(image))
    assert 'alt="Proef. Een zwart blok links."' in html
    assert 'src="data:image/png;base64,' in html
    with pikepdf.open(io.BytesIO(documents.build_pdf(_doc(image)))) as pdf:
        images = [
            x
            for page in pdf.pages
            for x in page.Resources.get("/XObject", {}).values()
            if x.get("/Subtype") == "/Image"
        ]
        assert images


def test_documents_without_pictures_are_unchanged():
    doc = documents.Document(title="Zonder", blocks=[documents.Paragraph("Tekst.")])
    with zipfile.ZipFile(io.BytesIO(documents.build_odt(doc))) as zf:
        assert not [n for n in zf.namelist() if n.startswith("Pictures/")]
    import docx

    assert not docx.Document(io.BytesIO(documents.build_docx(doc))).inline_shapes
