"""The whole spine from the side, for scripts/draw_figures.py: the vertebrae along
the S-curve, the spine-regions figure and the conditions index's clickable spine map."""

import math

from svg_parts import FONT, INK, REGIONS, svg, text

# The whole spine, side view ------------------------------------------------------

SEGMENTS = [("neck", 7, 15), ("upper-mid-back", 12, 18), ("lower-back", 5, 24)]
# The spine's curves from the side: (fraction of the way down, offset to the back).
CURVE = [(0, 0), (0.12, -12), (0.26, 0), (0.52, 26), (0.76, 2), (0.9, -16), (1, -8)]


def curve(f):
    """The spine's offset at `f`, smoothly between the CURVE points."""
    for (f0, x0), (f1, x1) in zip(CURVE, CURVE[1:], strict=False):
        if f0 <= f <= f1:
            t = (f - f0) / (f1 - f0)
            return x0 + (x1 - x0) * (1 - math.cos(math.pi * t)) / 2
    return CURVE[-1][1]


def spine_shapes(cx, top, link=None):
    """Vertebrae along the spine's S-curve; returns (svg, {region: (top, bottom)})."""
    count = sum(n for _, n, _ in SEGMENTS)
    parts, spans, y, index = [], {}, top, 0
    for region, n, height in SEGMENTS:
        fill, edge = REGIONS[region]
        start = y
        group = []
        for _ in range(n):
            f = index / (count - 1)
            x = cx + curve(f)
            slope = (curve(min(f + 0.02, 1)) - curve(max(f - 0.02, 0))) / (0.04 * 540)
            angle = math.degrees(math.atan(slope))
            width = 34 + 26 * f
            group.append(
                f'<g transform="translate({x:.1f} {y + height / 2:.1f}) rotate({-angle:.1f})">'
                f'<rect x="{-width / 2:.1f}" y="{-height / 2 + 2:.1f}" width="{width:.1f}" '
                f'height="{height - 4}" rx="5" fill="{fill}" stroke="{edge}" stroke-width="1.5"/>'
                f'<path d="M{width / 2:.1f} 0 l{10 + 8 * f:.1f} {4 + 4 * f:.1f}" '
                f'stroke="{edge}" stroke-width="{5 + 3 * f:.1f}" stroke-linecap="round"/></g>'
            )
            y += height + 3
            index += 1
        spans[region] = (start, y)
        parts.append("".join(group))
    # Sacrum and tailbone
    x = cx + curve(1) + 4
    parts.append(
        f'<path d="M{x - 32} {y + 2} L{x + 34} {y + 2} L{x + 14} {y + 78} '
        f'Q{x} {y + 96} {x - 14} {y + 82} Z" fill="#eadff2" stroke="#5b3f73" stroke-width="1.5"/>'
    )
    spans["sacrum"] = (y, y + 96)
    return parts, spans


def spine_regions():
    parts, spans = spine_shapes(130, 20)
    labels = {
        "neck": "Neck\n(cervical)\n7 vertebrae",
        "upper-mid-back": "Upper and mid back\n(thoracic)\n12 vertebrae",
        "lower-back": "Lower back\n(lumbar)\n5 vertebrae",
        "sacrum": "Sacrum and\ntailbone",
    }
    body = "".join(parts)
    for region, (start, end) in spans.items():
        edge = REGIONS.get(region, ("", "#5b3f73"))[1]
        mid = (start + end) / 2
        body += (
            f'<path d="M232 {start + 4} h-10 v{end - start - 8} h10" stroke="{edge}" '
            f'stroke-width="3" fill="none"/>'
        )
        body += text(242, mid - 14, labels[region], weight="600", fill=INK)
    body += text(20, 628, "Front of the body on the left", size=13)
    return svg(420, 640, body)


def translated(words):
    """`words` as the template translates them: the map is a Django template, shown
    in the reader's language (its Spanish is in locale/es)."""
    return f'{{% translate "{words}" %}}'


def spine_map():
    """The conditions index's clickable spine: each region links to its filter."""
    k = 0.62  # the spine drawn smaller than in the figure; the labels stay large
    parts, spans = spine_shapes(90, 12)
    names = {
        "neck": ["Neck"],
        "upper-mid-back": ["Upper and", "mid back"],
        "lower-back": ["Lower back"],
    }
    links = []
    for i, (region, lines) in enumerate(names.items()):
        start, end = (k * y for y in spans[region])
        edge = REGIONS[region][1]
        mid = (start + end) / 2 - 11 * (len(lines) - 1) + 7
        label = "".join(
            # A space between lines, so the link's name reads "Upper and mid back".
            f'<tspan x="112" dy="{0 if n == 0 else 22}">{translated(line)}'
            f"{' ' if n < len(lines) - 1 else ''}</tspan>"
            for n, line in enumerate(lines)
        )
        links.append(
            f'<a href="?region={region}" class="spine-map-link"'
            f'{{% if region == "{region}" %}} aria-current="page"{{% endif %}}>'
            f'<rect class="spine-map-hit" x="4" y="{start - 2:.0f}" width="270" '
            f'height="{end - start + 2:.0f}" rx="8" fill="transparent"/>'
            f'<g transform="scale({k})">{parts[i]}</g>'
            f'<path d="M100 {start + 3:.0f} h-8 v{end - start - 6:.0f} h8" stroke="{edge}" '
            f'stroke-width="3" fill="none"/>'
            f'<text x="112" y="{mid:.0f}" class="spine-map-label">{label}</text></a>'
        )
    height = round(k * spans["sacrum"][1]) + 8
    return (
        "{% load i18n %}{# Drawn by scripts/draw_figures.py: edit there, then run it again. #}\n"
        f'<svg class="spine-map-svg" viewBox="0 0 280 {height}" width="280" '
        f'height="{height}" role="group" aria-labelledby="spine-map-title" {FONT}>'
        f'<title id="spine-map-title">{translated("Choose a part of the spine")}</title>'
        + "".join(links)
        + f'<g transform="scale({k})">{parts[3]}</g>'
        + "</svg>\n"
    )
