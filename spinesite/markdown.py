"""The one Markdown pipeline: Python-Markdown, then nh3 with an allow-list.

Pages render through `render_page()` when they are saved; the admin's live preview
(django-markdownx, see MARKDOWNX_MARKDOWNIFY_FUNCTION) calls `render_markdown()`. Both
end in `sanitize()`, so what an editor previews is exactly what a patient gets.
"""

import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

EXTENSIONS = ["toc", "tables", "admonition", "sane_lists"]

# "When to get help" boxes, modelled on the NHS care cards, adapted to the US.
# Written as `!!! emergency "Call 911 or go to the ER now if"` and so on. The
# hidden label gives screen-reader users the tier that colour and icon give to
# sighted readers.
CALLOUTS = {
    "emergency": "Emergency:",
    "urgent": "Urgent:",
    "routine": "Non-urgent:",
}

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "div", "dl", "dt", "em", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "small",
    "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "ul",
}  # fmt: skip
# Removed together with everything inside them, not just unwrapped.
DROPPED_WITH_CONTENT = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "template",
    "noscript", "svg", "math", "form", "textarea", "select", "button", "title",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "ol": {"start"},
    **{f"h{level}": {"id"} for level in range(2, 7)},
}
ALLOWED_CLASSES = {
    "div": {"callout", *(f"callout-{kind}" for kind in CALLOUTS), "admonition"},
    "p": {"callout-title", "admonition-title"},
    "span": {"visually-hidden"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def _keep_attribute(tag, attribute, value):
    # Images may only come from this site (uploads, static files): an image from
    # elsewhere would tell a third party who is reading which page.
    if tag == "img" and attribute == "src":
        # Browsers drop tabs and newlines from URLs and read "\" as "/", so
        # "/\evil.example" and "/<tab>/evil.example" both mean "//evil.example".
        path = re.sub(r"[\t\n\r]", "", value).replace("\\", "/")
        return value if path.startswith("/") and not path.startswith("//") else None
    return value


def sanitize(html_fragment):
    """Return `html_fragment` with everything outside the allow-list removed."""
    return nh3.clean(
        html_fragment,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_attribute,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        set_tag_attribute_values={"img": {"loading": "lazy", "decoding": "async"}},
        link_rel="noopener noreferrer",
    )


class _CalloutProcessor(Treeprocessor):
    """Turn the admonitions named in CALLOUTS into the site's callout boxes."""

    def run(self, root):
        for box in root.iter("div"):
            classes = box.get("class", "").split()
            kind = next((name for name in classes if name in CALLOUTS), None)
            if "admonition" not in classes or kind is None:
                continue
            box.set("class", f"callout callout-{kind}")
            title = box.find("p")
            if title is not None and title.get("class") == "admonition-title":
                title.set("class", "callout-title")
                label = etree.Element("span", {"class": "visually-hidden"})
                label.text = CALLOUTS[kind] + " "
                label.tail, title.text = title.text, None
                title.insert(0, label)


class _CalloutExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's API
        # After the inline patterns (priority 20), so titles are final.
        md.treeprocessors.register(_CalloutProcessor(md), "callouts", 5)


def _markdown():
    return markdown.Markdown(
        extensions=[*EXTENSIONS, _CalloutExtension()],
        extension_configs={"toc": {"toc_depth": "2-3"}},
        output_format="html",
    )


def _clean_source(text):
    # NUL and other C0 controls are never meaningful in Markdown; drop them
    # rather than let them reach the database or the browser.
    return "".join(ch for ch in (text or "") if ch in "\t\n\r" or ord(ch) >= 32)


def normalize_text(text):
    """Text as stored: LF line endings, no trailing spaces, no blank lines around it.

    Browsers send CRLF and editors leave trailing spaces; normalised on the way in
    (admin, preview, content files), an unchanged page compares equal to what is
    stored, so saving it is not an edit.
    """
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def render_markdown(text):
    """Markdown to sanitised HTML. Used by django-markdownx for the live preview."""
    return sanitize(_markdown().convert(_clean_source(normalize_text(text))))


@dataclass
class RenderedPage:
    html: str
    toc: list = field(default_factory=list)
    text: str = ""


def render_page(text):
    """Render a page body once, on save: HTML, its contents list and plain text."""
    md = _markdown()
    body = sanitize(md.convert(_clean_source(text)))
    toc = [
        {"id": token["id"], "name": html.unescape(token["name"])}
        for token in md.toc_tokens  # level-2 headings; their children are not listed
    ]
    return RenderedPage(html=body, toc=toc, text=plain_text(body))


BLOCK_BOUNDARY = re.compile(r"</?(?:p|h[1-6]|li|t[dh]|tr|div|br|blockquote|pre|d[dt])\b")


def plain_text(html_fragment):
    """The words of an HTML fragment, for search and reading-level checks."""
    spaced = BLOCK_BOUNDARY.sub(r" \g<0>", html_fragment)  # keep blocks' words apart
    return " ".join(html.unescape(nh3.clean(spaced, tags=set())).split())
