"""The one Markdown pipeline: Python-Markdown, then nh3 with an allow-list.

Pages render through `render_page()` when they are saved; the admin's live preview
(django-markdownx, see MARKDOWNX_MARKDOWNIFY_FUNCTION) calls `render_markdown()`. Both
end in `sanitize()`, so what an editor previews is exactly what a patient gets, but
for one addition to saved pages: the first use of each glossary term is explained in
place (spinesite.pageterms, after the pipeline and sanitised again).
"""

import html
import re
import threading
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

import markdown
import nh3
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .figures import FIGURE_START, FigureProcessor, figure_problem

EXTENSIONS = ["toc", "tables", "admonition", "sane_lists"]

# "When to get help" boxes, modelled on the NHS care cards, adapted to the US.
# Written as `!!! emergency "Call 911 or go to the ER now if"` and so on. The
# hidden label gives screen-reader users the tier that colour and icon give to
# sighted readers. Lazy, so a page is labelled in the language it is rendered in
# (render_page's `language`), not the one active when this module was imported.
CALLOUTS = {
    "emergency": _("Emergency:"),
    "urgent": _("Urgent:"),
    "routine": _("Non-urgent:"),
}

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "div", "dl", "dt", "em", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "small",
    "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "ul", "figure", "figcaption",
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
    "p": {"callout-title", "admonition-title", "figure-error"},
    "span": {"visually-hidden"},
    "figure": {"figure"},
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


# What pageterms.explain_terms() adds, allowed only in its own second pass: an editor cannot
# write it (the first pass removes it), and nothing else can come through with it.
EXPLAINED_TAGS = {*ALLOWED_TAGS, "dfn"}
EXPLAINED_ATTRIBUTES = {
    **ALLOWED_ATTRIBUTES,
    "a": {"href", "title", "aria-describedby"},
    "span": {"id"},
}
EXPLAINED_CLASSES = {**ALLOWED_CLASSES, "a": {"term"}, "span": {"visually-hidden", "term-tip"}}
TERM_ID = "gloss-"  # ids pageterms gives, and the only ones these attributes may take


def _keep_explained_attribute(tag, attribute, value):
    if (tag, attribute) in (("span", "id"), ("a", "aria-describedby")):
        return value if value.startswith(TERM_ID) else None
    return _keep_attribute(tag, attribute, value)


def sanitize(html_fragment, explained=False):
    """Return `html_fragment` with everything outside the allow-list removed.

    `explained` lets through the glossary markup of `pageterms.explain_terms()` as well.
    """
    cleaned = nh3.clean(
        html_fragment,
        tags=EXPLAINED_TAGS if explained else ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=EXPLAINED_ATTRIBUTES if explained else ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_explained_attribute if explained else _keep_attribute,
        allowed_classes=EXPLAINED_CLASSES if explained else ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        set_tag_attribute_values={"img": {"loading": "lazy", "decoding": "async"}},
        link_rel="noopener noreferrer",
    )
    # nh3 adds those two in the order of a hash map, which changes from call to call:
    # the same Markdown must make the same bytes, or a page saved again unchanged
    # would look changed (its content version, the page cache). With the tag's ">",
    # only a tag matches: in text that is "&gt;", in a value a '"' would be "&quot;".
    return cleaned.replace(
        ' decoding="async" loading="lazy">', ' loading="lazy" decoding="async">'
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
                label.text = f"{CALLOUTS[kind]} "
                label.tail, title.text = title.text, None
                title.insert(0, label)


def problems(text):
    """What is wrong with the figures in `text`: messages for the editor, or []."""
    found = []
    for block in re.split(r"\n\s*\n", _clean_source(text)):
        block = block.strip("\n")
        if FIGURE_START.match(block):
            problem = figure_problem(block)[3]
            if problem:
                found.append(problem)
    return found


class _CalloutExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's API
        # After the inline patterns (priority 20), so titles are final.
        md.treeprocessors.register(_CalloutProcessor(md), "callouts", 5)
        # Before paragraphs (priority 10), after everything that starts a block.
        md.parser.blockprocessors.register(FigureProcessor(md.parser), "figures", 15)


_instances = threading.local()


def _markdown():
    """This thread's Markdown converter, reset. Building one (its extensions and
    patterns) costs more than converting a short text, and `load_content` converts
    two texts per page."""
    md = getattr(_instances, "md", None)
    if md is None:
        md = _instances.md = markdown.Markdown(
            extensions=[*EXTENSIONS, _CalloutExtension()],
            extension_configs={"toc": {"toc_depth": "2-3"}},
            output_format="html",
        )
    return md.reset()


# NUL and other C0 controls are never meaningful in Markdown; dropped rather than let
# them reach the database or the browser. A regex, not a loop over characters: the
# loader cleans thousands of pages.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _clean_source(text):
    return _CONTROL_CHARS.sub("", text or "")


# Python-Markdown's time grows with the square of nested brackets (150 KB of "[" runs
# for minutes) and its recursion with nested lists and quotes (500 levels overflow the
# stack). No page needs either, so Markdown from editors is checked against these
# first (`check_limits`): the preview and the admin's forms refuse it with a message.
MAX_MARKDOWN_CHARS = 100_000
MAX_NESTING = 10
# A quote or list marker at the start of a line, after any number of others: each
# one opens a level ("> > text", "- - item", "1. - item").
BLOCK_MARKER = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))")


def check_limits(text):
    """Raise ValueError, with a message for the editor, for Markdown too long or too
    deeply nested to render quickly."""
    if len(text) > MAX_MARKDOWN_CHARS:
        raise ValueError(
            f"This text is {len(text):,} characters long; the limit is "
            f"{MAX_MARKDOWN_CHARS:,}. Split it into more than one page."
        )
    for paragraph in re.split(r"\n[ \t]*\n", text):
        depth = deepest = 0
        for char in paragraph:
            if char in "[(":
                depth += 1
                deepest = max(deepest, depth)
            elif char in "])" and depth:
                depth -= 1
        if deepest > MAX_NESTING:
            raise ValueError(
                f"Brackets are nested {deepest} deep here; at most {MAX_NESTING} are "
                "allowed. Close each [ and ( before opening many more."
            )
    for line in text.splitlines():
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())
        levels, position = indent // 4, 0
        while marker := BLOCK_MARKER.match(line, position):
            levels, position = levels + 1, marker.end()
        if levels > MAX_NESTING:
            raise ValueError(
                f"Lists or quotes are nested {levels} levels deep here; at most "
                f"{MAX_NESTING} are allowed."
            )


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


def render_page(text, terms=(), language=None):
    """Render a page body once, on save: HTML, its contents list and plain text.

    The HTML explains `terms` (spinesite.pageterms; pages pass `page_terms()`); the plain
    text, which search and the reading grade read, is the editor's words alone.
    `language` is the page's own language (a translation passes its code): the words
    the pipeline adds, such as the red-flag boxes' hidden labels, are in it, whatever
    language the request or command that saves the page happens to run in.
    """
    from .pageterms import explain_terms  # which imports this module, for sanitize()

    md = _markdown()
    with translation.override(language or settings.LANGUAGE_CODE):
        body = sanitize(md.convert(_clean_source(text)))
        explained = explain_terms(body, terms, language=language)
    toc = [
        {"id": token["id"], "name": html.unescape(token["name"])}
        for token in md.toc_tokens  # level-2 headings; their children are not listed
    ]
    return RenderedPage(html=explained, toc=toc, text=plain_text(body))


# Where a block's tag starts, matched empty: text put there (a space, a mark) needs no
# template, which Python 3.11 expands in Python for every match.
BLOCK_BOUNDARY = re.compile(r"(?=</?(?:p|h[1-6]|li|t[dh]|tr|div|br|blockquote|pre|d[dt])\b)")


def plain_text(html_fragment):
    """The words of an HTML fragment, for search and reading-level checks."""
    spaced = BLOCK_BOUNDARY.sub(" ", html_fragment)  # keep blocks' words apart
    return " ".join(html.unescape(nh3.clean(spaced, tags=set())).split())
