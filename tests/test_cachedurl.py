"""{% url %} is reversed once per process (spinesite.reversing)."""

import pytest
from django.template import engines
from django.urls import NoReverseMatch, set_script_prefix
from django.utils import translation

from spinesite import reversing


def render(text, **context):
    return engines["django"].from_string(text).render(context)


@pytest.fixture(autouse=True)
def fresh():
    reversing._reverse.cache_clear()
    yield
    set_script_prefix("/")


def test_a_url_is_reversed_once_and_rendered_as_django_renders_it(monkeypatch):
    calls = []
    real = reversing.reverse
    monkeypatch.setattr(reversing, "reverse", lambda *a, **k: calls.append(a) or real(*a, **k))
    text = "{% url 'conditions:detail' slug %}|{% url 'home' %}|{% url 'search' as s %}{{ s }}"
    for _ in range(3):
        assert render(text, slug="sciatica") == "/conditions/sciatica/|/|/search/"
    assert len(calls) == 3  # one per URL, not one per render
    calls.clear()
    assert render(text, slug="arm-pain").startswith("/conditions/arm-pain/|")
    assert calls == []  # the detail URL was kept once for every slug
    assert render("{% url 'conditions:detail' slug='disc' %}") == "/conditions/disc/"


def test_the_script_prefix_is_part_of_the_key():
    assert render("{% url 'home' %}") == "/"
    set_script_prefix("/clinic/")
    assert render("{% url 'home' %}") == "/clinic/"


def test_the_language_is_part_of_the_key():
    """Under i18n_patterns the same name is /conditions/ in English, /es/conditions/ in
    Spanish: whichever language a process renders first must not win."""
    for first, second in [("en", "es"), ("es", "en")]:
        reversing._reverse.cache_clear()
        rendered = {}
        for language in (first, second):
            with translation.override(language):
                rendered[language] = render("{% url 'conditions:index' %}")
        assert rendered == {"en": "/conditions/", "es": "/es/conditions/"}


def test_unknown_names_fail_as_with_django_unless_kept_in_a_variable():
    with pytest.raises(NoReverseMatch):
        render("{% url 'no-such-page' %}")
    assert render("{% url 'no-such-page' as missing %}[{{ missing }}]") == "[]"


def test_other_arguments_are_reversed_each_time(monkeypatch):
    calls = []
    real = reversing.reverse
    monkeypatch.setattr(reversing, "reverse", lambda *a, **k: calls.append(a) or real(*a, **k))

    class Page:  # reverse() uses str() of it: not kept, since it may change
        def __str__(self):
            return "sciatica"

    for _ in range(2):
        assert render("{% url 'conditions:detail' page %}", page=Page()) == "/conditions/sciatica/"
    assert len(calls) == 2


def test_a_slug_that_an_int_path_takes_is_reversed_as_django_does(monkeypatch):
    """The placeholder kept for a slug does not fit an <int:> path: the value is
    reversed itself, as Django would."""
    from django.urls import path

    urlpatterns = [path("requests/<int:pk>/", lambda request, pk: None, name="request")]
    module = type("urls", (), {"urlpatterns": urlpatterns})
    monkeypatch.setattr(reversing, "get_urlconf", lambda: module)
    assert reversing.cached_reverse("request", ("12",)) == "/requests/12/"
    assert reversing.cached_reverse("request", (12,)) == "/requests/12/"
    with pytest.raises(NoReverseMatch):
        reversing.cached_reverse("request", ("arm-pain",))


def test_a_value_that_is_not_a_slug_is_quoted_as_django_quotes_it():
    assert render("{% url 'page_preview' token %}", token="a b:c") == "/preview/a%20b:c/"
