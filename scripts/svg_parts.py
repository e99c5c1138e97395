"""SVG building blocks for scripts/draw_figures.py: the colours, the font, the
card-backed <svg> wrapper, text labels and leader lines."""

BONE, BONE_EDGE = "#efe3cb", "#6b5a3e"
DISC, DISC_EDGE = "#8cc4d6", "#2a6274"
NERVE, NERVE_EDGE = "#f4c542", "#8a6000"
PROBLEM = "#c0182b"
INK = "#1b1f23"
CARD = "#fbf8f2"
REGIONS = {  # also the conditions index filter's values
    "neck": ("#cfe3f5", "#2b5d8a"),
    "upper-mid-back": ("#d8ecd9", "#2f6b35"),
    "lower-back": ("#f7e0c7", "#8a4b00"),
}
FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"'


def svg(width, height, body):
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}">'
        f'<rect width="{width}" height="{height}" rx="14" fill="{CARD}"/>'
        f'<g {FONT} font-size="16" fill="{INK}">{body}</g></svg>\n'
    )


def text(x, y, words, anchor="start", size=16, weight="400", fill=INK):
    lines = words.split("\n")
    spans = "".join(
        f'<tspan x="{x}" dy="{0 if i == 0 else 1.2}em">{line}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<text x="{x}" y="{y}" text-anchor="{anchor}" font-size="{size}" '
        f'font-weight="{weight}" fill="{fill}">{spans}</text>'
    )


def leader(x1, y1, x2, y2):
    return (
        f'<path d="M{x1} {y1} L{x2} {y2}" stroke="{INK}" stroke-width="1.5" fill="none"/>'
        f'<circle cx="{x2}" cy="{y2}" r="3" fill="{INK}"/>'
    )
