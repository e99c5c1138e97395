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

Spanish syllables are counted here, not by textstat: textstat splits Spanish words
with pyphen's hyphenation patterns, which never break off a word's first or last
letter or two (día, país, agua, oído each lose a syllable). On the shipped Spanish
pages that counts about 6% too few syllables and scores them about 7 points easier
than they are. Spanish spelling shows every syllable's vowel: in each run of vowels,
a, e, o and an accented í or ú each make a syllable, and an unaccented i, u or ü
joins its neighbour (cau-sa, dí-a, a-gua). textstat still counts the sentences.
"""

import gc
import re
from dataclasses import dataclass

from textstat.textstat import textstatistics

_VOWELS = re.compile(r"[aeiouáéíóúü]+")
_STRONG = set("aeoáéíóú")
_WORD = re.compile(r"[^\W_]+")


def spanish_syllables(word):
    runs = _VOWELS.findall(word.lower())
    return max(1, sum(max(1, sum(letter in _STRONG for letter in run)) for run in runs))


def szigriszt_pazos(text):
    """Szigriszt-Pazos's perspicuidad: 206.835 - 62.3 syllables/word - words/sentence."""
    words = _WORD.findall(text)
    if not words:
        return 0.0
    syllables = sum(spanish_syllables(word) for word in words)
    sentences = max(1, _SPANISH.sentence_count(text))
    return 206.835 - 62.3 * syllables / len(words) - len(words) / sentences


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
        szigriszt_pazos,
    ),
}


def load_dictionaries():
    """Load textstat's pronouncing dictionary now (it loads on first use): before the
    loader forks its workers, so that they share one copy.

    With the garbage collector off: the dictionary is some 400,000 lists and makes no
    garbage, and the collector, walking the growing heap again and again while it was
    built, took three quarters of the 1.3 s this took.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        _ENGLISH.flesch_kincaid_grade("One word.")
    finally:
        if enabled:
            gc.enable()


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
