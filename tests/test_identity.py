"""The clinic's identity from admin (logo, colour, favicon) and the spine figures in
Markdown: what is refused, with which message, and what pages get."""

import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from spinesite import theme
from spinesite.figures import FIGURES
from spinesite.markdown import render_markdown, render_page
from spinesite.models import ClinicDetails
from tests.factories import ConditionFactory

pytestmark = pytest.mark.django_db

CLINIC_URL = "/admin/spinesite/clinicdetails/"
SVG_LOGO = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 50" width="200" height="50">'
    b'<rect width="50" height="50" rx="10" fill="#1f6f5c"/>'
    b'<text x="60" y="35" font-size="24">Clinic</text></svg>'
)


def clinic_form(**changes):
    clinic = ClinicDetails.get_solo()
    data = {
        "name": clinic.name,
        "phone": clinic.phone,
        "address": clinic.address,
        "opening_hours": clinic.opening_hours,
        "brand_colour": clinic.brand_colour,
    }
    return {**data, **changes}


def png_bytes(size=(120, 40), image_format="PNG", mode="RGBA"):
    image = Image.new(mode, size, (20, 90, 120, 255) if mode == "RGBA" else (20, 90, 120))
    buffer = BytesIO()
    image.save(buffer, image_format)
    return buffer.getvalue()


def save_clinic(admin_client, files=None, **changes):
    data = clinic_form(**changes)
    if files:
        data.update(files)
    return admin_client.post(CLINIC_URL, data)


# The palette -----------------------------------------------------------------------


@pytest.mark.parametrize("colour", ["#0b5563", "#1f6f5c", "#7a2e5c", "#000000", "#c8102e"])
def test_every_allowed_colour_gives_a_palette_at_aa_in_both_schemes(colour):
    theme.validate_brand_colour(colour)
    palette = theme.palette(colour)
    light, dark = palette["light"], palette["dark"]
    assert theme.contrast("#ffffff", light["brand-solid"]) >= 4.5
    assert theme.contrast(light["brand"], "#ffffff") >= 4.5
    assert theme.contrast(light["brand"], light["tint"]) >= 4.5
    assert theme.contrast(light["routine"], light["routine-bg"]) >= 4.5
    assert theme.contrast("#ffffff", dark["brand-solid"]) >= 4.5
    for background in (theme.DARK_PAPER, theme.DARK_CARD, dark["tint"]):
        assert theme.contrast(dark["brand"], background) >= 4.5, background


def test_contrast_matches_wcag():
    assert round(theme.contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(theme.contrast("#777777", "#ffffff"), 2) == 4.48


def test_a_light_colour_is_refused_in_admin_with_a_darker_suggestion(admin_client):
    response = save_clinic(admin_client, brand_colour="#7fc8d6")
    assert response.status_code == 200
    html = response.content.decode()
    assert "#7fc8d6 is too light for the site to stay readable" in html
    suggestion = re.search(r"such as (#[0-9a-f]{6})", html).group(1)
    theme.validate_brand_colour(suggestion)  # the suggestion itself passes
    assert ClinicDetails.get_solo().brand_colour == theme.DEFAULT_BRAND  # nothing saved


@pytest.mark.parametrize("value", ["teal", "#12345", "#gggggg", "", "#0b5563; }"])
def test_a_malformed_colour_is_refused(admin_client, value):
    response = save_clinic(admin_client, brand_colour=value)
    assert response.status_code == 200
    assert ClinicDetails.get_solo().brand_colour == theme.DEFAULT_BRAND


def test_pages_link_the_theme_stylesheet_and_it_follows_the_colour(client, admin_client):
    assert save_clinic(admin_client, brand_colour="#7a2e5c").status_code == 302
    html = client.get("/").content.decode()
    href = re.search(r'<link rel="stylesheet" href="(/theme/[0-9a-f]+\.css)"', html).group(1)
    response = client.get(href)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert "--brand:#7a2e5c;" in response.content.decode()
    assert "immutable" in response["Cache-Control"]
    assert "style-src 'self'" in response["Content-Security-Policy"]
    # An old colour's address is gone rather than served with the new colours.
    old = "/theme/" + theme.theme_key(theme.DEFAULT_BRAND) + ".css"
    assert client.get(old).status_code == 404
    assert 'style="' not in html  # the palette never comes as inline style


# The logo and favicon --------------------------------------------------------------


def test_without_a_logo_the_header_shows_the_clinic_name(client):
    html = client.get("/").content.decode()
    brand = re.search(r'<a class="brand"[^>]*>(.*?)</a>', html, re.S).group(1)
    assert ClinicDetails.get_solo().name in brand and "<img" not in brand


@pytest.mark.parametrize("name", ["logo.svg", "logo-without-extension"])
def test_an_svg_logo_becomes_a_png_with_a_favicon(admin_client, client, name):
    upload = SimpleUploadedFile(name, SVG_LOGO, "image/svg+xml")
    assert save_clinic(admin_client, {"logo": upload}).status_code == 302
    clinic = ClinicDetails.get_solo()
    assert clinic.logo.name.endswith(".png") and clinic.favicon.name.endswith(".png")
    with clinic.logo.open("rb") as stored:
        logo = Image.open(stored)
        assert logo.format == "PNG" and logo.height == theme.LOGO_HEIGHT
        assert (logo.width, logo.height) == (clinic.logo_width, clinic.logo_height)
    html = client.get("/").content.decode()
    assert f'src="{clinic.logo.url}" alt="{clinic.name}: home"' in html
    assert f'width="{clinic.logo_width}" height="{clinic.logo_height}"' in html
    assert f'<link rel="icon" href="{clinic.favicon.url}">' in html
    icon = client.get("/favicon.ico")
    assert icon["Content-Type"] == "image/x-icon"
    assert Image.open(BytesIO(icon.content)).format == "ICO"


def test_a_hostile_svg_cannot_reach_a_browser(admin_client, client, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read")
    hostile = (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file://'
        + str(secret).encode()
        + b'">]><svg xmlns="http://www.w3.org/2000/svg" width="100" height="40">'
        b"<script>alert(1)</script><text>&x;</text></svg>"
    )
    response = save_clinic(
        admin_client, {"logo": SimpleUploadedFile("logo.svg", hostile, "image/svg+xml")}
    )
    assert response.status_code == 200
    assert "This SVG file could not be read." in response.content.decode()
    assert not ClinicDetails.get_solo().logo


def test_a_script_in_an_svg_never_survives(admin_client):
    scripted = SVG_LOGO.replace(
        b"</svg>", b'<script>alert(1)</script><a href="javascript:alert(1)"><rect/></a></svg>'
    )
    upload = SimpleUploadedFile("logo.svg", scripted, "image/svg+xml")
    assert save_clinic(admin_client, {"logo": upload}).status_code == 302
    with ClinicDetails.get_solo().logo.open("rb") as stored:
        data = stored.read()
    assert data.startswith(b"\x89PNG") and b"script" not in data


def test_png_and_webp_logos_are_accepted_and_jpeg_and_junk_are_not(admin_client):
    for name, data in (("logo.png", png_bytes()), ("logo.webp", png_bytes(image_format="WEBP"))):
        upload = SimpleUploadedFile(name, data)
        assert save_clinic(admin_client, {"logo": upload}).status_code == 302, name
    refused = {
        "logo.jpg": (png_bytes(image_format="JPEG", mode="RGB"), "JPEG cannot have"),
        "logo.png": (b"<html>not an image</html>", "not a JPEG, PNG or WebP image"),
    }
    blank = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
    buffer = BytesIO()
    blank.save(buffer, "PNG")
    refused["empty.png"] = (buffer.getvalue(), "every pixel is transparent")
    for name, (data, message) in refused.items():
        response = save_clinic(admin_client, {"logo": SimpleUploadedFile(name, data)})
        assert response.status_code == 200, name
        assert message in response.content.decode(), name


def test_favicon_ico_is_served_without_a_logo_too(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert Image.open(BytesIO(response.content)).format == "ICO"


# Figures in Markdown ---------------------------------------------------------------

FIGURE = (
    "[figure herniated-disc]\n"
    "alt: A disc bulges out at the back and presses on a nerve root.\n"
    "caption: A herniated disc pressing on a nerve root."
)


def test_a_figure_renders_with_its_alt_text_caption_and_size():
    html = render_page(f"## Causes\n\n{FIGURE}\n\nMore text.").html
    width, height = FIGURES["herniated-disc"].size
    figure = re.search(
        r'<figure class="figure">(<img [^>]*>)\s*<figcaption>([^<]*)</figcaption>', html
    )
    assert figure, html
    img, caption = figure.groups()
    for attribute in (
        'src="/static/figures/herniated-disc.svg"',
        'alt="A disc bulges out at the back and presses on a nerve root."',
        f'width="{width}"',
        f'height="{height}"',
        'loading="lazy"',
    ):
        assert attribute in img, attribute
    assert caption == "A herniated disc pressing on a nerve root."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[figure herniated-disc]\ncaption: A caption.", "needs an alt: line"),
        ("[figure herniated-disc]\nalt: Some alt text.", "needs a caption: line"),
        ("[figure broken-leg]\nalt: x\ncaption: y", "There is no figure called “broken-leg”"),
        ("[figure herniated-disc]\nalt: x\nsize: big", "should start with alt: or caption:"),
    ],
)
def test_a_bad_figure_says_what_is_wrong_in_preview_and_admin(admin_client, text, message):
    preview = render_markdown(text)
    assert '<p class="figure-error">Figure problem: ' in preview and message in preview
    assert "<figure" not in preview
    condition = ConditionFactory()
    response = admin_client.post(
        f"/admin/conditions/condition/{condition.pk}/change/",
        {
            "title": condition.title,
            "slug": condition.slug,
            "summary": condition.summary,
            "region": condition.region,
            "body": "## Section\n\n" + text,
            "status": "published",
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    condition.refresh_from_db()
    assert "[figure" not in condition.body  # nothing saved, nothing lost in the form


def test_figure_markup_cannot_smuggle_html():
    html = render_markdown(
        '[figure herniated-disc]\nalt: "><script>alert(1)</script>\ncaption: <b onclick=x>hi</b>'
    )
    assert "<script" not in html and "onclick" not in html
    assert 'alt="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert "<figcaption><b>hi</b></figcaption>" in html  # inline Markdown/HTML, sanitised


def test_every_figure_file_exists_and_is_plain_svg(settings):
    for name, figure in FIGURES.items():
        svg = (settings.BASE_DIR / "static" / "figures" / f"{name}.svg").read_text()
        width, height = figure.size
        assert f'viewBox="0 0 {width} {height}"' in svg, name
        assert "<script" not in svg and "href" not in svg and "style=" not in svg, name
