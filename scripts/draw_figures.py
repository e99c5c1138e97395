"""Draw the site's spine figures (own work) into static/figures/*.svg, and the spine
map of the conditions index into conditions/templates/conditions/spine_map.html.

Usage: .venv/bin/python scripts/draw_figures.py

Plain SVG shapes and text, no scripts, no external references. Each figure sits on a
light card so it reads the same in the light and the dark colour scheme.
"""

from pathlib import Path

from spine_map import spine_map, spine_regions
from svg_parts import (
    BONE,
    BONE_EDGE,
    DISC,
    DISC_EDGE,
    INK,
    NERVE,
    NERVE_EDGE,
    PROBLEM,
    leader,
    svg,
    text,
)

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "static" / "figures"

# Two vertebrae and a disc, side view --------------------------------------------


def vertebra(x, y, w=150, h=78, shift=0, edge=BONE_EDGE, spurs=False):
    """A vertebra seen from the side: body at (x, y), arch and spinous process behind."""
    x += shift
    back = x + w
    spur = ""
    if spurs:
        spur = (
            f'<path d="M{x + 2} {y + h - 6} l-16 10 l18 -2 Z M{x + 2} {y + 6} l-16 -10 l18 2 Z" '
            f'fill="{BONE}" stroke="{PROBLEM}" stroke-width="2"/>'
        )
    return (
        f'<path d="M{back - 4} {y + 12} L{back + 48} {y + 4} Q{back + 64} {y + 6} {back + 70} {y + 20} '
        f"L{back + 132} {y + 62} Q{back + 138} {y + 76} {back + 122} {y + 76} L{back + 66} {y + 58} "
        f'Q{back + 40} {y + 70} {back + 30} {y + 58} L{back - 4} {y + 46} Z" '
        f'fill="{BONE}" stroke="{edge}" stroke-width="2"/>'
        f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="14" fill="{BONE}" '
        f'stroke="{edge}" stroke-width="2"/>{spur}'
    )


def disc(x, y, w=150, h=34, bulge=0, thin=False):
    top, bottom = y, y + h
    right = x + w
    cracks = ""
    if thin:
        cracks = (
            f'<path d="M{x + 40} {top + 4} l10 {h - 8} M{x + 90} {top + 3} l-8 {h - 6}" '
            f'stroke="{DISC_EDGE}" stroke-width="1.5"/>'
        )
    return (
        f'<path d="M{x + 6} {top} L{right - 6} {top} Q{right + 6 + bulge} {(top + bottom) / 2} '
        f'{right - 6} {bottom} L{x + 6} {bottom} Q{x - 6} {(top + bottom) / 2} {x + 6} {top} Z" '
        f'fill="{"#a9c9d3" if thin else DISC}" stroke="{DISC_EDGE}" stroke-width="2"/>{cracks}'
    )


def canal(x):
    """The nerves in the spinal canal, behind the vertebrae's bodies."""
    return (
        f'<rect x="{x}" y="14" width="30" height="292" rx="12" fill="{NERVE}" '
        f'stroke="{NERVE_EDGE}" stroke-width="1.5"/>'
    )


def root(x, pinched=False):
    """The nerve root leaving the canal next to the disc."""
    root_edge = PROBLEM if pinched else NERVE_EDGE
    return (
        f'<path d="M{x + 14} 120 C{x + 26} 150 {x + 34} 176 {x + 18} 212 L{x + 6} 238" '
        f'stroke="{root_edge}" stroke-width="16" stroke-linecap="round" fill="none"/>'
        f'<path d="M{x + 14} 120 C{x + 26} 150 {x + 34} 176 {x + 18} 212 L{x + 6} 238" '
        f'stroke="{NERVE}" stroke-width="11" stroke-linecap="round" fill="none"/>'
    )


def spine_parts():
    body = (
        canal(196)
        + vertebra(40, 30)
        + disc(40, 112)
        + vertebra(40, 150)
        + root(196)
        + leader(300, 50, 240, 110)
        + text(306, 40, "Facet joint", weight="600")
        + f'<circle cx="240" cy="112" r="9" fill="none" stroke="{INK}" stroke-width="2"/>'
        + text(18, 300, "Vertebra (bone)", weight="600")
        + leader(70, 282, 90, 230)
        + text(300, 150, "Disc", weight="600")
        + leader(296, 146, 186, 128)
        + text(300, 200, "Nerve root", weight="600")
        + leader(296, 196, 222, 180)
        + text(300, 260, "Spinal canal\nwith nerves", weight="600")
        + leader(296, 256, 222, 270)
        + text(14, 22, "Front", size=13)
        + text(466, 22, "Back", size=13, anchor="end")
    )
    return svg(480, 320, body)


def herniated_disc():
    body = (
        canal(196)
        + vertebra(40, 30)
        + vertebra(40, 150)
        + root(196, pinched=True)
        + disc(40, 112, bulge=42)
        + text(300, 150, "Disc bulges out\nat the back", weight="600")
        + leader(296, 160, 214, 129)
        + text(300, 230, "and presses on\nthe nerve root", weight="600", fill=PROBLEM)
        + leader(296, 236, 224, 160)
        + text(14, 22, "Front", size=13)
        + text(466, 22, "Back", size=13, anchor="end")
    )
    return svg(480, 320, body)


def spondylolisthesis():
    body = (
        canal(196)
        + vertebra(40, 30, shift=-28, edge=PROBLEM)
        + disc(26, 112, w=150)
        + vertebra(40, 150)
        + root(196, pinched=True)
        + f'<path d="M70 20 h-40 m10 -7 l-10 7 l10 7" stroke="{PROBLEM}" stroke-width="3" '
        f'fill="none"/>'
        + text(300, 60, "This vertebra has\nslipped forward", weight="600", fill=PROBLEM)
        + leader(296, 66, 200, 70)
        + text(300, 200, "Less room for\nthe nerves", weight="600")
        + leader(296, 206, 212, 122)
        + text(14, 300, "Front", size=13)
        + text(466, 300, "Back", size=13, anchor="end")
    )
    return svg(480, 320, body)


def degenerative_disc():
    def pair(x, worn):
        small = 0.74
        inner = (
            vertebra(0, 0, spurs=worn)
            + disc(0, 82, h=14 if worn else 34, thin=worn)
            + vertebra(0, 100 if worn else 120, spurs=worn)
        )
        return f'<g transform="translate({x} 44) scale({small})">{inner}</g>'

    body = (
        pair(18, False)
        + pair(262, True)
        + '<path d="M240 36 V290" stroke="#c5d0d3" stroke-width="2"/>'
        + text(120, 28, "Healthy disc", weight="700", anchor="middle")
        + text(360, 28, "Worn disc", weight="700", anchor="middle", fill=PROBLEM)
        + text(18, 238, "Plump and full of water:\nkeeps the bones apart", size=15)
        + text(256, 238, "Thin and dry, with cracks;\nbony spurs at the edges", size=15)
    )
    return svg(480, 300, body)


def top_view(x, narrowed):
    """A vertebra seen from above, front at the bottom, with the canal and nerves."""
    canal_rx, canal_ry = (24, 14) if narrowed else (34, 26)
    extra = ""
    if narrowed:
        extra = (
            f'<path d="M{x - 44} -6 Q{x} 22 {x + 44} -6 L{x + 30} -34 Q{x} -10 {x - 30} -34 Z" '
            f'fill="#e6b8b8" stroke="{PROBLEM}" stroke-width="2"/>'
        )
    return (
        f'<g transform="translate(0 150)">'
        f'<ellipse cx="{x}" cy="56" rx="78" ry="52" fill="{BONE}" stroke="{BONE_EDGE}" stroke-width="2"/>'
        f'<path d="M{x - 60} 10 Q{x - 80} -50 {x - 40} -70 L{x + 40} -70 Q{x + 80} -50 {x + 60} 10 '
        f'L{x + 110} 0 L{x + 110} 16 L{x + 60} 26 Q{x} 6 {x - 60} 26 L{x - 110} 16 L{x - 110} 0 Z" '
        f'fill="{BONE}" stroke="{BONE_EDGE}" stroke-width="2"/>'
        f'<path d="M{x - 16} -68 L{x - 8} -118 L{x + 8} -118 L{x + 16} -68 Z" fill="{BONE}" '
        f'stroke="{BONE_EDGE}" stroke-width="2"/>'
        f'<ellipse cx="{x}" cy="-22" rx="{canal_rx + 8}" ry="{canal_ry + 8}" fill="#fff" '
        f'stroke="{BONE_EDGE}" stroke-width="1.5"/>'
        f'<ellipse cx="{x}" cy="-22" rx="{canal_rx}" ry="{canal_ry}" fill="{NERVE}" '
        f'stroke="{PROBLEM if narrowed else NERVE_EDGE}" stroke-width="2"/>'
        f"{extra}</g>"
    )


def spinal_stenosis():
    body = (
        top_view(120, False)
        + top_view(360, True)
        + text(120, 26, "Normal canal", weight="600", anchor="middle")
        + text(360, 26, "Narrowed canal", weight="600", anchor="middle", fill=PROBLEM)
        + text(120, 252, "The nerves have room", anchor="middle", size=15)
        + text(
            360,
            252,
            "Thick ligament and large\njoints squeeze the nerves",
            anchor="middle",
            size=15,
        )
        + '<path d="M240 40 V290" stroke="#c5d0d3" stroke-width="2"/>'
    )
    return svg(480, 300, body)


def stimulator_and_pump():
    person = (
        '<circle cx="150" cy="46" r="30" fill="#f1dcc9" stroke="#8a6a50" stroke-width="2"/>'
        '<path d="M150 80 C90 80 70 100 66 150 L60 260 Q60 300 96 330 L204 330 Q240 300 240 260 '
        'L234 150 C230 100 210 80 150 80 Z" fill="#f1dcc9" stroke="#8a6a50" stroke-width="2"/>'
    )
    column = "".join(
        f'<rect x="143" y="{92 + i * 11}" width="14" height="8" rx="3" fill="{BONE}" '
        f'stroke="{BONE_EDGE}" stroke-width="1"/>'
        for i in range(20)
    )
    stimulator = (
        '<path d="M147 150 V210 M153 150 V210" stroke="#3b4a9a" stroke-width="3"/>'
        '<path d="M150 212 C150 250 176 262 196 276" stroke="#3b4a9a" stroke-width="2.5" fill="none"/>'
        '<rect x="188" y="268" width="30" height="20" rx="6" fill="#7b87c9" stroke="#3b4a9a" stroke-width="2"/>'
    )
    pump = (
        '<circle cx="100" cy="262" r="17" fill="#9ccf9f" stroke="#2f6b35" stroke-width="2"/>'
        '<path d="M112 252 C130 240 142 236 146 226" stroke="#2f6b35" stroke-width="2.5" '
        'fill="none" stroke-dasharray="5 3"/>'
    )
    body = (
        person
        + column
        + stimulator
        + pump
        + text(262, 40, "Spinal cord stimulator", weight="700", fill="#3b4a9a")
        + text(262, 64, "Thin leads lie over the\nspinal cord, mid back", size=15)
        + leader(258, 80, 156, 180)
        + text(262, 130, "Its battery: under the\nskin of the upper buttock", size=15)
        + leader(258, 146, 218, 276)
        + text(262, 214, "Drug pump", weight="700", fill="#2f6b35")
        + text(
            262,
            238,
            "Under the skin of the belly.\nA thin tube carries the\nmedicine to the fluid\naround the spinal cord.",
            size=15,
        )
        + leader(258, 234, 116, 262)
        + text(150, 352, "Seen from behind; the pump is at the front", anchor="middle", size=13)
    )
    return svg(480, 360, body)


def main():
    OUT.mkdir(exist_ok=True)
    figures = {
        "spine-regions": spine_regions,
        "spine-parts": spine_parts,
        "herniated-disc": herniated_disc,
        "spinal-stenosis": spinal_stenosis,
        "spondylolisthesis": spondylolisthesis,
        "degenerative-disc": degenerative_disc,
        "stimulator-and-pump": stimulator_and_pump,
    }
    for name, draw in figures.items():
        (OUT / f"{name}.svg").write_text(draw())
    template = ROOT / "conditions" / "templates" / "conditions" / "spine_map.html"
    template.write_text(spine_map())


if __name__ == "__main__":
    main()
