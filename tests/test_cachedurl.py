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
    reversing._slug_pattern.cache_clear()
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
        reversing._slug_pattern.cache_clear()
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


def test_a_path_that_may_refuse_or_change_a_slug_is_reversed_per_value(monkeypatch):
    """The placeholder kept for a slug is used only where a slug, str or path
    converter takes it: an <int:> refuses it, and a regular expression that takes
    the placeholder may still refuse a slug. Those reverse the value, as Django does."""
    from django.urls import path, re_path

    def view(request, **kwargs):
        return None

    urlpatterns = [
        path("requests/<int:pk>/", view, name="request"),
        re_path(r"^codes/(?P<code>[a-z_]+)/$", view, name="code"),
        path("pages/<slug:slug>/", view, name="page"),
    ]
    module = type("urls", (), {"urlpatterns": urlpatterns})
    monkeypatch.setattr(reversing, "get_urlconf", lambda: module)
    assert reversing.cached_reverse("request", ("12",)) == "/requests/12/"
    assert reversing.cached_reverse("request", (12,)) == "/requests/12/"
    with pytest.raises(NoReverseMatch):
        reversing.cached_reverse("request", ("arm-pain",))
    assert reversing.cached_reverse("code", ("arm_pain",)) == "/codes/arm_pain/"
    with pytest.raises(NoReverseMatch):
        reversing.cached_reverse("code", ("arm-pain",))
    assert reversing.cached_reverse("page", ("arm-pain",)) == "/pages/arm-pain/"
    assert reversing._slug_pattern.cache_info().currsize == 3  # refusals are kept too


def test_a_value_that_is_not_a_slug_is_quoted_as_django_quotes_it():
    assert render("{% url 'page_preview' token %}", token="a b:c") == "/preview/a%20b:c/"
