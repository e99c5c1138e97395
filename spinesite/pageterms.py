"""Glossary terms in pages: the first use of each term a page's body makes is explained
in place, after the Markdown pipeline (spinesite.markdown), and sanitised again.

The terms come from the glossary app, which sets where they come from
(`explain_terms_from`) so that this module imports no app.
"""

import html
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .markdown import TERM_ID, sanitize


@dataclass(frozen=True)
class Term:
    """A glossary entry as pages explain it."""

    name: str
    slug: str
    definition: str  # plain text
    url: str  # its entry in the glossary
    forms: tuple = ()  # other words for it found in pages ("disk", "vertebrae")


_term_source = None


def explain_terms_from(source):
    """Set the function that returns the Terms pages explain (the glossary app does,
    so that this module imports no app). It takes a language code, or None for the
    default language, and returns the terms as pages in that language name them."""
    global _term_source
    _term_source = source


def page_terms(language=None):
    """The Terms pages in `language` explain (None: the default language), for
    render_page(): one query, when a page is saved."""
    if _term_source is None:
        return ()
    if language is None or language == settings.LANGUAGE_CODE:
        # English terms link the English glossary, whatever language is active when
        # the page is saved (a Spanish request, an editor's Spanish admin).
        with translation.override(settings.LANGUAGE_CODE):
            return _term_source(None)
    return _term_source(language)


# Where a term is left as it is: links and headings (a term link inside either
# would be a link in a link, or in the contents list), code, and hidden labels.
NOT_EXPLAINED_IN = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "dfn", "abbr"}
NOT_EXPLAINED_CLASSES = {"visually-hidden", "callout-title"}
VOID_TAGS = {"br", "hr", "img", "wbr"}


def explain_terms(html_fragment, terms, language=None):
    """Mark the first use of each term in sanitised HTML, leaving its words as they are.

    The word becomes a link to its explanation, which follows it in a hidden
    `span.term-tip` that CSS shows when it is the link's target: it opens in place
    without JavaScript, on a phone as with a mouse or keyboard, and the link's
    aria-describedby reads it to screen-reader users. The result is sanitised again.
    The words it adds are in `language` (a translation's), else the default
    language's: never the language active when the page is saved, which may be an
    editor's Spanish admin or a Spanish request.
    """
    if not terms:
        return html_fragment
    with translation.override(language or settings.LANGUAGE_CODE):
        marked = _TermMarker(terms).marked(html_fragment)
    return sanitize(marked, explained=True)


def nfc(text):
    """Text in composed form (NFC): "ciático" typed as "i" plus a combining accent
    is the same word as the one with "í", and must match it."""
    return unicodedata.normalize("NFC", text)


# Sanitised HTML (nh3's serialisation) is tags, their attribute values in double
# quotes, and text with its "<" escaped: a tag, or the text up to the next one, is one
# match (a "<" that starts no tag is text, though nh3 leaves none). Read this way
# rather than through html.parser, which took a third of the time of rendering a page
# (and most of a first load of thousands of files).
PIECE = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>"]|"[^"]*")*)>|([^<]+|<)')
ATTRIBUTE = re.compile(r'([^\s"=/]+)(?:="([^"]*)")?')


class _TermMarker:
    def __init__(self, terms):
        # Looked up casefolded, as the pattern matches ignoring case: it finds
        # "ſtenosis" (a long s) for "stenosis", which .lower() would leave unfound.
        self.by_form = {}
        for term in terms:
            for form in (term.name, *term.forms):
                self.by_form.setdefault(nfc(form).casefold(), term)
        forms = {nfc(form).lower() for term in terms for form in (term.name, *term.forms)}
        forms = sorted(forms, key=lambda form: (-len(form), form))  # "spinal cord", "spinal"
        # Whole words, each with a plural ending: "disc" finds "discs", "MRI" "MRIs".
        # The lookahead skips a word whose first letter begins no form without trying
        # every form on it: a long page took a millisecond more without it.
        first_letters = re.escape("".join(sorted({form[0] for form in forms})))
        self.pattern = re.compile(
            rf"\b(?=[{first_letters}])(" + "|".join(map(re.escape, forms)) + r")(?:e?s)?\b",
            re.IGNORECASE,
        )
        self.done = set()

    def marked(self, html_fragment):
        """The fragment with the first use of each term explained."""
        out = []
        leave_alone = []  # for each element open here: are terms left alone inside it?
        inside = 0  # how many of them leave terms alone
        for piece in PIECE.finditer(html_fragment):
            closing, tag, attributes, text = piece.groups()
            if text is not None:
                out.append(text if inside else self._explained_in(html.unescape(text)))
                continue
            out.append(piece[0])
            if tag.lower() in VOID_TAGS or attributes.endswith("/"):
                continue
            if closing:  # one with no element open (nh3 writes none) changes nothing
                inside -= leave_alone.pop() if leave_alone else 0
                continue
            leave = tag.lower() in NOT_EXPLAINED_IN or bool(
                _classes(attributes) & NOT_EXPLAINED_CLASSES
            )
            leave_alone.append(leave)
            inside += leave
        return "".join(out)

    def _explained_in(self, text):
        text = nfc(text)  # as the forms are (__init__)
        out, position = [], 0
        for match in self.pattern.finditer(text):
            term = self.by_form.get(match[1].casefold())
            if term is None or term.slug in self.done:
                continue
            self.done.add(term.slug)
            out.append(html.escape(text[position : match.start()], quote=False))
            out.append(_explained(match[0], term))
            position = match.end()
        out.append(html.escape(text[position:], quote=False))
        return "".join(out)


def _classes(attributes):
    """The classes in a start tag's attributes (read in order, so that a "class=" in
    another attribute's value is not taken for one)."""
    for name, value in ATTRIBUTE.findall(attributes):
        if name.lower() == "class":
            return set(html.unescape(value).split())
    return set()


def _explained(words, term):
    """The markup of one explained term (see explain_terms): every part escaped."""
    tip, meaning = f"{TERM_ID}{term.slug}", f"{TERM_ID}{term.slug}-meaning"
    return (
        f'<a class="term" href="#{tip}" aria-describedby="{meaning}">{html.escape(words)}</a>'
        f'<span class="term-tip" id="{tip}"><span id="{meaning}"><dfn>{html.escape(term.name)}'
        f"</dfn>: {html.escape(term.definition)}</span> "
        f'<a href="{html.escape(term.url)}">{html.escape(str(_("More words explained")))}</a></span>'
    )
