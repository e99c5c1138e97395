"""The pages that ship in content/: they load cleanly, and patients' words find them.

The content check (tests/test_content_check.py) reads the files on their own; these
load them as `make run` does, so the loader's own validation (kinds, linked slugs,
field lengths) and search ranking are checked on the words we publish.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from conditions.models import Condition
from spinesite import search
from treatments.models import Treatment

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped():
    out, err = StringIO(), StringIO()
    call_command("load_content", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_shipped_content_loads_without_a_warning(shipped):
    out, err = shipped
    assert err == ""
    assert Condition.objects.published().count() >= 18
    assert Treatment.objects.published().count() >= 14


def test_every_treatment_is_used_for_a_condition(shipped):
    assert not Treatment.objects.filter(conditions=None).exists()


@pytest.mark.parametrize(
    ("words", "slug"),
    [
        ("stimulator", "spinal-cord-stimulation"),
        ("spinal cord stimulator", "spinal-cord-stimulation"),
        ("pain pump", "intrathecal-drug-pump"),
        ("morphine pump", "intrathecal-drug-pump"),
        ("rhizotomy", "endoscopic-rhizotomy"),
        ("physical therapy", "exercise-and-physical-therapy"),
    ],
)
def test_patients_words_find_the_right_treatment_first(shipped, words, slug):
    first = search.search(words).hits[0]
    assert first.url == f"/treatments/{slug}/", [hit.title for hit in search.search(words).hits]
