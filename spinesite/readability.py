"""How hard a text reads, for each language the site is written in.

English pages are measured as a US school grade (Flesch-Kincaid), aiming for grade 8
or lower. Spanish pages are measured with Szigriszt-Pazos's "perspicuidad" and read on
the INFLESZ scale, which was made for health information for patients in Spanish
(Barrio-Cantalejo and others, 2008): 65 or more is "bastante fácil", easy enough for
the general public. On a grade, lower is easier; on Szigriszt-Pazos, higher is easier,
so callers ask the `Scale` whether a score is easy enough instead of comparing.

textstat keeps its language in its module-level object (`textstat.set_lang`), which
every other caller shares; changing it for one Spanish page would make the next
English grade count syllables the Spanish way. Each scale here measures with its own
`textstatistics` object instead, and never touches the shared one.
"""

import re
from dataclasses import dataclass

from textstat.textstat import textstatistics


def _measurer(language):
    measurer = textstatistics()
    measurer.set_lang(language)
    return measurer


@dataclass(frozen=True)
class Scale:
    language: str
    name: str  # as editors see it, e.g. "US grade"
    target: float
    lower_is_easier: bool
    measure: object  # text -> score

    def easy_enough(self, score):
        if score is None:
            return True
        return score <= self.target if self.lower_is_easier else score >= self.target


_ENGLISH = _measurer("en_US")
_SPANISH = _measurer("es")

SCALES = {
    "en": Scale("en", "US grade", 8, True, _ENGLISH.flesch_kincaid_grade),
    "es": Scale(
        "es",
        "Szigriszt-Pazos (INFLESZ)",
        65,  # "bastante fácil" on the INFLESZ scale
        False,
        _SPANISH.szigriszt_pazos,
    ),
}


def scale(language):
    """The scale for a language code ("es", "es-mx"); KeyError for one without a scale."""
    return SCALES[language.lower().split("-")[0].split("_")[0]]


def score(text, language="en"):
    """The reading score of plain text in `language`, or None if it has no words."""
    if not re.search(r"\w", text or ""):
        return None
    return round(scale(language).measure(text), 1)


def advice(value, language="en"):
    """One line of advice for editors (in English, the admin's language)."""
    measured = scale(language)
    if value is None:
        return "No text to check yet."
    if measured.lower_is_easier:
        label, target, way = f"Grade {value}", f"grade {measured.target:g}", "lower"
    else:
        label, target, way = f"{measured.name} {value}", f"{measured.target:g}", "higher"
    if measured.easy_enough(value):
        return f"{label}: easy enough for most readers (aim for {target} or {way})."
    if not measured.lower_is_easier:
        target += " (bastante fácil)"
    return (
        f"{label}: harder than {target}, the level to aim for. "
        "Shorter sentences and everyday words make it easier."
    )
