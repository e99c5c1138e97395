"""The spine figures editors can place in any page, and the `[figure name]` block that
places one (its Markdown block processor, which spinesite.markdown registers).

Drawn for this site (scripts/draw_figures.py writes static/figures/*.svg). Each has a
suggested alt text and caption for editors; a page must still give its own, since
what a picture should say depends on the page it is on.
"""

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

from django.conf import settings
from markdown.blockprocessors import BlockProcessor


@dataclass(frozen=True)
class Figure:
    size: tuple  # width, height of the drawing: set on <img> so nothing shifts
    alt: str
    caption: str


FIGURES = {
    "spine-regions": Figure(
        (420, 640),
        "The spine seen from the side, with its three curves: seven small neck vertebrae, "
        "twelve upper and mid back vertebrae, five large lower back vertebrae, then the "
        "sacrum and tailbone.",
        "The regions of the spine.",
    ),
    "spine-parts": Figure(
        (480, 320),
        "Two vertebrae seen from the side with a disc between them like a cushion. Behind "
        "them, the spinal canal holds the nerves. A nerve root leaves through the gap next "
        "to the disc, and a facet joint links the two bones at the back.",
        "The parts of the spine: vertebrae, disc, facet joint and nerve root.",
    ),
    "herniated-disc": Figure(
        (480, 320),
        "Two vertebrae seen from the side. The disc between them bulges out at the back "
        "and presses on the nerve root where it leaves the spine.",
        "A herniated disc pressing on a nerve root.",
    ),
    "spinal-stenosis": Figure(
        (480, 300),
        "A vertebra seen from above, twice. On the left the spinal canal is wide and the "
        "nerves have room. On the right, thickened ligaments and enlarged joints narrow "
        "the canal and squeeze the nerves.",
        "Spinal stenosis: a narrowed spinal canal (right) compared with a normal one (left).",
    ),
    "spondylolisthesis": Figure(
        (480, 320),
        "Two vertebrae seen from the side. The upper one has slipped forward over the one "
        "below it, which narrows the space where the nerves run.",
        "Spondylolisthesis: one vertebra slipped forward over the one below.",
    ),
    "degenerative-disc": Figure(
        (480, 300),
        "Two pairs of vertebrae seen from the side. On the left, a healthy, plump disc. On "
        "the right, a worn, thin disc with small cracks, and bony spurs on the edges of "
        "the vertebrae.",
        "Degenerative disc disease: a healthy disc (left) and a worn, thinner disc (right).",
    ),
    "stimulator-and-pump": Figure(
        (480, 360),
        "Outline of a person's back. A spinal cord stimulator's thin leads lie along the "
        "spine in the mid back, wired under the skin to a small battery in the upper "
        "buttock. A drug pump sits under the skin of the belly, with a thin tube that "
        "carries medicine to the fluid around the spinal cord.",
        "Where a spinal cord stimulator and a drug pump sit in the body.",
    ),
}


# A figure in a page, as its own paragraph (spinesite.markdown runs FigureProcessor):
#
#   [figure herniated-disc]
#   alt: A disc bulges out behind the spine and presses on a nerve root.
#   caption: A herniated disc pressing on a nerve root.
FIGURE_START = re.compile(r"^\[figure\b([^\]\n]*)\]", re.IGNORECASE)
FIGURE_LINE = re.compile(r"^\s*(alt|caption)\s*:\s*(.*?)\s*$", re.IGNORECASE)


def figure_problem(block):
    """(name, alt, caption, problem) for a figure block; problem is "" when it is fine."""
    first, *rest = block.split("\n")
    name = FIGURE_START.match(first).group(1).strip()
    fields = {}
    for line in rest:
        match = FIGURE_LINE.match(line)
        if match:
            fields[match.group(1).lower()] = match.group(2)
        elif line.strip():
            return (
                name,
                "",
                "",
                f"In [figure {name}], the line “{line.strip()[:40]}” should start with alt: or caption:.",
            )
    alt, caption = fields.get("alt", ""), fields.get("caption", "")
    if name not in FIGURES:
        known = ", ".join(sorted(FIGURES))
        return (
            name,
            alt,
            caption,
            f"There is no figure called “{name[:40]}”. The figures are: {known}.",
        )
    if not alt:
        return (
            name,
            alt,
            caption,
            f"[figure {name}] needs an alt: line saying what the picture shows, for readers who cannot see it.",
        )
    if not caption:
        return (
            name,
            alt,
            caption,
            f"[figure {name}] needs a caption: line, shown under the picture.",
        )
    return name, alt, caption, ""


class FigureProcessor(BlockProcessor):
    """Turn a `[figure name]` paragraph into a <figure>, or into a clear error line."""

    def test(self, parent, block):
        return bool(FIGURE_START.match(block))

    def run(self, parent, blocks):
        name, alt, caption, problem = figure_problem(blocks.pop(0))
        if problem:
            etree.SubElement(parent, "p", {"class": "figure-error"}).text = (
                "Figure problem: " + problem
            )
            return
        width, height = FIGURES[name].size
        box = etree.SubElement(parent, "figure", {"class": "figure"})
        etree.SubElement(
            box,
            "img",
            {
                # Not the hashed name: stored pages outlive a deploy's hashes.
                "src": f"{settings.STATIC_URL}figures/{name}.svg",
                "alt": alt,
                "width": str(width),
                "height": str(height),
            },
        )
        etree.SubElement(box, "figcaption").text = caption
