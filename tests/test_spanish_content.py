"""The shipped Spanish content (content/es/), read straight from its files: plain
Spanish on the Szigriszt-Pazos (INFLESZ) scale, every "When to get help" box and every
sign in it that the English page has, honest about awaiting clinical review, and
linked to pages that exist. It reads the files itself, not through the loader, so it
checks the writing whatever the loader does with it.
"""

import re

import frontmatter
import pytest
import textstat
from django.conf import settings

from spinesite import editorial, readability
from spinesite.contentcheck import NamedPage, check_translation, name_index
from spinesite.markdown import render_page
from spinesite.pageterms import Term

CONTENT = settings.BASE_DIR / "content"
SPANISH = CONTENT / "es"
PAGE_FOLDERS = ["conditions", "treatments"]
REQUIRED = {
    "conditions": {
        "failed-back-surgery-syndrome",
        "failed-neck-surgery-syndrome",
        "sciatica",
        "herniated-disc",
        "low-back-pain",
        "spinal-stenosis",
    },
    "treatments": {
        "spinal-cord-stimulation",
        "intrathecal-drug-pump",
        "exercise-and-physical-therapy",
    },
}
REVIEWER_FIELDS = {"reviewer", "reviewer_name", "reviewer_credentials", "last_reviewed"}

ALL_FILES = sorted(SPANISH.rglob("*.md"))
PAGES = [path for folder in PAGE_FOLDERS for path in sorted((SPANISH / folder).glob("*.md"))]
GLOSSARY = sorted((SPANISH / "glossary").glob("*.md"))
_CALLOUT = re.compile(r'<div class="callout callout-(\w+)">(.*?)</div>', re.S)


def label(path):
    return str(path.relative_to(SPANISH))


def boxes(body):
    """Each "When to get help" box of a Markdown page: kind -> (its text, its list items)."""
    found = {}
    for kind, inner in _CALLOUT.findall(render_page(body).html):
        text, items = found.get(kind, ("", 0))
        found[kind] = (text + inner, items + inner.count("<li>"))
    return found


def english(path):
    return frontmatter.load(CONTENT / path.parent.name / path.name)


def level(body):
    return editorial.reading_level(render_page(body).html, "es")


def test_the_required_pages_are_translated():
    for folder, slugs in REQUIRED.items():
        assert slugs <= {path.stem for path in (SPANISH / folder).glob("*.md")}, folder
    assert (SPANISH / "new-patients.md").exists()
    assert len(ALL_FILES) >= 10 + 1


@pytest.mark.parametrize("path", ALL_FILES, ids=[label(p) for p in ALL_FILES])
def test_every_spanish_file_is_plain_spanish(path):
    post = frontmatter.load(path)
    score = level(post.content)
    assert score is not None
    assert readability.scale("es").easy_enough(score), (
        f"{label(path)}: Szigriszt-Pazos {score}, below {readability.SCALES['es'].target}"
    )


@pytest.mark.parametrize("path", ALL_FILES, ids=[label(p) for p in ALL_FILES])
def test_every_spanish_file_says_it_awaits_clinical_review_and_names_no_reviewer(path):
    post = frontmatter.load(path)
    assert "awaits clinical review" in post["translator"]
    assert post["status"] == "published"
    assert not REVIEWER_FIELDS & set(post.keys()), label(path)
    if path not in GLOSSARY:  # a term's meaning is one or two sentences, no note
        assert "Todavía no la ha revisado" in post.content or "todavía no ha revisado" in (
            post.content
        ), label(path)


@pytest.mark.parametrize("path", PAGES, ids=[label(p) for p in PAGES])
def test_every_spanish_page_keeps_every_red_flag_of_the_english_page(path):
    post = frontmatter.load(path)
    for field in ("title", "summary", "also_called"):
        assert post.get(field), f"{label(path)}: no {field}"
    assert check_translation(render_page(post.content).html, "es") == []

    spanish, original = boxes(post.content), boxes(english(path).content)
    assert set(spanish) == set(original) == {"emergency", "urgent", "routine"}
    for kind in original:
        assert spanish[kind][1] == original[kind][1], (
            f"{label(path)}: the {kind} box has {spanish[kind][1]} signs, "
            f"the English one {original[kind][1]}"
        )
    assert "911" in spanish["emergency"][0]


def test_each_spanish_name_leads_to_one_page():
    pages = []
    for path in PAGES:
        post = frontmatter.load(path)
        pages.append(NamedPage(label(path), post["title"], "\n".join(post["also_called"])))
    shared = {name: users for name, users in name_index(pages).items() if len(users) > 1}
    assert shared == {}


CONDITIONS = sorted((SPANISH / "conditions").glob("*.md"))


@pytest.mark.parametrize("path", CONDITIONS, ids=[p.stem for p in CONDITIONS])
def test_every_spanish_condition_page_has_the_general_warning_signs(path):
    """As tests/test_content_check.py asks of the English pages, in Spanish words."""
    found = boxes(frontmatter.load(path).content)
    today = found["urgent"][0].lower()
    for sign in ["fiebre", "cáncer", "peso", "noche", "pantorrilla"]:
        assert sign in today, f"{path.name}: '{sign}' is not in the call-the-clinic-today box"
    if english(path).get("region") in ("lower-back", "whole-spine"):
        emergency = found["emergency"][0]
        assert 'href="/conditions/cauda-equina-syndrome/"' in emergency, path.name
        for early in ["orinar", "genitales", "dos piernas", "sexo"]:
            assert early in emergency, f"{path.name}: no early sign '{early}' in the 911 box"


def translated(url):
    """Whether an English page's URL ("/conditions/sciatica/") has a Spanish file."""
    parts = url.strip("/").split("/")
    return len(parts) == 2 and (SPANISH / parts[0] / f"{parts[1]}.md").exists()


@pytest.mark.parametrize("path", ALL_FILES, ids=[label(p) for p in ALL_FILES])
def test_links_go_to_the_spanish_page_when_there_is_one(path):
    for url in re.findall(r"\]\((/[^)\s]*)\)", frontmatter.load(path).content):
        if url.startswith("/es/"):
            assert translated(url.removeprefix("/es")), f"{label(path)}: {url} is not translated"
        else:
            folder, slug = url.strip("/").split("/")
            assert (CONTENT / folder / f"{slug}.md").exists(), f"{label(path)}: {url}"
            assert not translated(url), f"{label(path)}: {url} has a Spanish page, use /es{url}"


def terms(folder):
    found = []
    for path in sorted(folder.glob("*.md")):
        post = frontmatter.load(path)
        forms = tuple(post.get("also_called") or ())
        found.append(Term(post["term"], path.stem, post.content.strip(), f"#{path.stem}", forms))
    return found


def explained(term_list, bodies):
    marked = set()
    for body in bodies:
        marked |= set(re.findall(r'href="#gloss-([\w-]+)"', render_page(body, term_list).html))
    return marked


def test_the_glossary_explains_in_spanish_every_term_the_english_pages_explain():
    english_pages = [english(path).content for path in PAGES]
    english_pages.append((settings.BASE_DIR / "locations" / "new_patients_sample.md").read_text())
    used_in_english = explained(terms(CONTENT / "glossary"), english_pages)
    spanish_terms = terms(SPANISH / "glossary")
    assert used_in_english <= {term.slug for term in spanish_terms}
    # ...and the Spanish words are the ones the Spanish pages use.
    spanish_pages = [frontmatter.load(path).content for path in PAGES]
    spanish_pages.append(frontmatter.load(SPANISH / "new-patients.md").content)
    assert used_in_english <= explained(spanish_terms, spanish_pages)


# The check itself, seen failing on Spanish pages that break it.

FBSS = SPANISH / "conditions" / "failed-back-surgery-syndrome.md"


def long_sentences(body):
    """The same words, each paragraph joined into one long sentence."""
    return re.sub(r"\.\s+(?=[A-ZÁÉÍÓÚ¿])", ", y además, ", body)


BROKEN = {
    "long-sentences": (long_sentences, "on Szigriszt-Pazos (INFLESZ), below 65"),
    "no-call-today-box": (lambda body: body.replace("!!! urgent", "!!! routine"), "Call the clinic today"),
    "no-911-box": (lambda body: body.replace("!!! emergency", "!!! urgent"), 'no "Call 911" box'),
    "911-box-without-911": (lambda body: body.replace("911", "nueve"), "does not say to call 911"),
}  # fmt: skip


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_the_spanish_check_fails_on_a_page_that_breaks_it(case):
    breaking, expected = BROKEN[case]
    body = frontmatter.load(FBSS).content
    assert check_translation(render_page(body).html, "es") == []
    problems = check_translation(render_page(breaking(body)).html, "es")
    assert len(problems) == 1 and expected in problems[0], problems


def test_a_dropped_sign_is_caught():
    body = frontmatter.load(FBSS).content
    dropped = body.replace("    - Tiene fiebre o escalofríos, o se siente muy mal\n", "")
    assert dropped != body
    assert boxes(dropped)["urgent"][1] == boxes(body)["urgent"][1] - 1


def test_spanish_and_english_scales_do_not_share_textstat_state():
    english_text = "Your back hurts. It often gets better. Walk a bit each day."
    before = readability.score(english_text, "en")
    spanish = readability.score("Le duele la espalda. Casi siempre mejora. Camine un poco.", "es")
    assert textstat.textstat._textstatistics__lang == "en_US"  # the shared object
    assert textstat.flesch_kincaid_grade(english_text) == pytest.approx(before, abs=0.1)
    assert readability.score(english_text, "en") == before
    assert spanish >= readability.SCALES["es"].target
    hard = (
        "La sintomatología neurológica característicamente multifactorial, consecuencia de "
        "la degeneración intervertebral, necesita habitualmente evaluaciones "
        "multidisciplinarias exhaustivas, incorporando investigaciones electrofisiológicas."
    )
    assert readability.score(hard, "es") < readability.SCALES["es"].target
    assert "harder than 65 (bastante fácil)" in readability.advice(40.0, "es")
    assert "easy enough" in readability.advice(80.0, "es")
    assert readability.advice(9.0, "en").startswith("Grade 9.0: harder than grade 8,")


@pytest.mark.parametrize(
    "word, syllables",
    [("día", 2), ("país", 2), ("agua", 2), ("oído", 3), ("ciática", 3), ("causa", 2),
     ("aeropuerto", 5), ("que", 1), ("pingüino", 3), ("muy", 1), ("y", 1), ("estenosis", 4)],
)  # fmt: skip
def test_spanish_syllables_are_counted_as_spelled(word, syllables):
    # textstat's hyphenation-based count gives día, país, agua and oído one too few.
    assert readability.spanish_syllables(word) == syllables
