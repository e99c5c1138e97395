"""The clinic's look, from two admin fields: a brand colour and a logo.

The palette is derived in code, so a clinic cannot pick a colour that makes the
site hard to read: every colour that carries text or marks a control is checked
against WCAG 2.2 AA (4.5:1 for text) before it is saved, and the admin says which
darker shade of the same hue would pass. The palette reaches pages as a small
stylesheet at a URL keyed by the colour (`theme_css`), never as inline style, which
the Content-Security-Policy forbids.

A logo may be SVG, PNG or WebP. An SVG is drawn into a PNG by Cairo (cairosvg, with
entities and external files refused), so nothing in it, script or remote reference,
can ever reach a browser; PNG and WebP go through the same Pillow checks as every
other upload. The favicon is made from the logo at the same time.
"""

import colorsys
import hashlib
import re
from io import BytesIO

from django import forms
from django.core.exceptions import ValidationError
from PIL import Image

from .images import prepare_image

DEFAULT_BRAND = "#0b5563"
WHITE = "#ffffff"
DARK_PAPER = "#121619"  # the page in the dark colour scheme (also in site.css)
DARK_CARD = "#192024"
AA_TEXT = 4.5
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def _rgb(hex_colour):
    return tuple(int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))


def _hex(rgb):
    return "#" + "".join(f"{round(max(0, min(1, c)) * 255):02x}" for c in rgb)


def luminance(hex_colour):
    """WCAG 2 relative luminance."""

    def linear(c):
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    """WCAG 2 contrast ratio of two colours, from 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mix(a, b, amount):
    """`a` with `amount` (0 to 1) of `b` mixed in."""
    return _hex(tuple(x + (y - x) * amount for x, y in zip(_rgb(a), _rgb(b), strict=True)))


def _with_lightness(hex_colour, lightness):
    h, _, s = colorsys.rgb_to_hls(*_rgb(hex_colour))
    return _hex(colorsys.hls_to_rgb(h, lightness, s))


def palette(brand):
    """Every themed colour, for the light and the dark colour scheme."""
    brand = brand.lower()
    # In the dark scheme links and accents are the brand lightened until they read
    # well on the dark page; the header keeps the brand itself behind white text.
    dark_tint = mix(DARK_PAPER, brand, 0.18)
    shades = (mix(brand, WHITE, step / 20) for step in range(21))
    light_brand = next(
        shade
        for shade in shades
        if min(contrast(shade, dark_tint), contrast(shade, DARK_CARD)) >= AA_TEXT
    )
    return {
        "light": {
            "brand": brand,
            "brand-dark": mix(brand, "#000000", 0.3),
            "brand-solid": brand,
            "solid-hover": mix(brand, "#000000", 0.3),
            "tint": mix(WHITE, brand, 0.07),
            "routine": brand,
            "routine-bg": mix(WHITE, brand, 0.1),
        },
        "dark": {
            "brand": light_brand,
            "brand-dark": mix(light_brand, WHITE, 0.3),
            "brand-solid": brand,
            "solid-hover": mix(brand, "#000000", 0.3),
            "tint": dark_tint,
            "routine": light_brand,
            "routine-bg": mix(DARK_PAPER, brand, 0.25),
        },
    }


def palette_problems(brand):
    """What in the palette of `brand` misses WCAG AA: a list of (what, ratio)."""
    light = palette(brand)["light"]
    pairs = {
        "white text on the header and buttons": (WHITE, light["brand"]),
        "links on the tinted boxes": (light["brand"], light["routine-bg"]),
        "white text on the darker hover shade": (WHITE, light["brand-dark"]),
    }
    return [
        (what, ratio) for what, (fg, bg) in pairs.items() if (ratio := contrast(fg, bg)) < AA_TEXT
    ]


def validate_brand_colour(value):
    """A model validator: a #rrggbb colour whose whole palette passes WCAG AA."""
    if not HEX.match(value or ""):
        raise ValidationError("Enter a colour as # and six hex digits, such as #0b5563.")
    problems = palette_problems(value)
    if problems:
        what, ratio = problems[0]
        h, lightness, s = colorsys.rgb_to_hls(*_rgb(value))
        suggestion = next(
            (
                _with_lightness(value, lightness * step / 40)
                for step in range(39, -1, -1)
                if not palette_problems(_with_lightness(value, lightness * step / 40))
            ),
            DEFAULT_BRAND,
        )
        raise ValidationError(
            f"{value} is too light for the site to stay readable: {what} would have a "
            f"contrast of {ratio:.1f}:1, and WCAG AA needs at least {AA_TEXT}:1. "
            f"Choose a darker colour, such as {suggestion} (the same hue, darker)."
        )


def theme_key(brand):
    """A short key that changes with the colour: the theme stylesheet's URL."""
    return hashlib.sha256(brand.lower().encode()).hexdigest()[:12]


def theme_css(brand):
    """The palette as CSS custom properties, for both colour schemes."""
    colours = palette(brand)

    def block(values):
        return "".join(f"--{name}:{value};" for name, value in values.items())

    return (
        f":root{{{block(colours['light'])}}}\n"
        f"@media (prefers-color-scheme: dark){{:root{{{block(colours['dark'])}}}}}\n"
    )


# Logos ---------------------------------------------------------------------------

LOGO_HEIGHT = 192  # shown 44 to 56 px high: sharp on screens with 3 pixels per px
LOGO_MAX_WIDTH = 4 * LOGO_HEIGHT
FAVICON_SIDE = 192
MAX_SVG_BYTES = 512 * 1024


def _is_svg(head):
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<?xml", b"<svg", b"<!--")) and b"<svg" in head.lower()


def _svg_to_image(upload):
    if upload.size > MAX_SVG_BYTES:
        raise forms.ValidationError("This SVG is over 512 KB. Simplify it and try again.")
    import cairosvg  # only editors uploading a logo need Cairo loaded

    upload.seek(0)
    try:
        png = cairosvg.svg2png(
            bytestring=upload.read(),
            output_height=LOGO_HEIGHT,
            # No XML entities, and no file or URL is read: cairosvg then fetches only
            # data: URLs, so nothing leaves the server.
            unsafe=False,
        )
        return Image.open(BytesIO(png))
    except Exception:  # noqa: BLE001 - any failure of a hostile file means "unreadable"
        raise forms.ValidationError(
            "This SVG file could not be read. Export it again from your design program "
            "as plain SVG, or upload a PNG or WebP."
        ) from None


def prepare_logo(upload):
    """Check a logo upload; return (logo PNG bytes, width, height, favicon PNG bytes)."""
    upload.seek(0)
    if _is_svg(upload.read(1024)):
        image = _svg_to_image(upload)
    else:
        data, extension = prepare_image(upload)
        if extension == "jpg":
            raise forms.ValidationError(
                "A logo needs a transparent background, which JPEG cannot have. "
                "Upload it as SVG, PNG or WebP."
            )
        image = Image.open(BytesIO(data))
    image = image.convert("RGBA")
    box = image.getbbox()  # trim the empty margin most exports have
    if box is None:
        raise forms.ValidationError("This logo is empty: every pixel is transparent.")
    image = image.crop(box)
    scale = min(LOGO_HEIGHT / image.height, LOGO_MAX_WIDTH / image.width)
    image = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))))
    return _png(image), image.width, image.height, _png(_favicon(image))


def _favicon(logo):
    """The logo's left square (most logos put their mark first), padded to a square."""
    mark = logo.crop((0, 0, min(logo.width, logo.height), logo.height))
    mark.thumbnail((FAVICON_SIDE, FAVICON_SIDE))
    square = Image.new("RGBA", (FAVICON_SIDE, FAVICON_SIDE), (0, 0, 0, 0))
    square.paste(mark, ((FAVICON_SIDE - mark.width) // 2, (FAVICON_SIDE - mark.height) // 2))
    return square


def _png(image):
    output = BytesIO()
    image.save(output, "PNG", optimize=True)
    return output.getvalue()


def ico_from(png_or_svg_bytes, svg=False):
    """A /favicon.ico file (16, 32 and 48 px) from a PNG, or from an SVG file of ours."""
    if svg:
        import cairosvg

        png_or_svg_bytes = cairosvg.svg2png(bytestring=png_or_svg_bytes, output_width=192)
    output = BytesIO()
    Image.open(BytesIO(png_or_svg_bytes)).save(output, "ICO", sizes=[(16, 16), (32, 32), (48, 48)])
    return output.getvalue()
