"""The registry of kinds of page (spinesite.pagekinds) and what reads it: every site-wide
feature finds a kind once it is registered, with no other edit."""

from dataclasses import fields

import pytest
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection

from spinesite import editorial, pagekinds, triggers
from spinesite.models import ContentVersion
from spinesite.search import search
from tests.factories import ConditionFactory, TreatmentFactory, VideoFactory
from tests.sitemaps import sitemap_text
from treatments.content import TREATMENTS
from treatments.models import Treatment

pytestmark = pytest.mark.django_db


def registered_tables():
    """Worked out here from the models, not by spinesite.triggers: each kind's table and
    each of its many-to-many tables."""
    for kind in pagekinds.kinds():
        yield kind.model._meta.db_table
        for relation in kind.model._meta.many_to_many:
            yield relation.remote_field.through._meta.db_table


def test_every_registered_table_and_many_to_many_table_has_the_trigger():
    tables = set(registered_tables())
    assert {"treatments_treatment", "treatments_treatment_conditions"} <= tables
    assert {"videos_video_treatments", "conditions_condition_related"} <= tables
    assert tables - triggers.tables_with_trigger() == set()


@pytest.mark.parametrize("table", ["treatments_treatment_related", "videos_video_topics"])
def test_a_write_to_a_many_to_many_table_raises_the_content_version(table):
    def version():
        return ContentVersion.objects.values_list("value", flat=True).first() or 0

    before = version()
    with connection.cursor() as cursor:
        cursor.execute(f'DELETE FROM "{table}"')  # noqa: S608 - a fixed table name
    assert version() > before


def test_migrate_puts_back_a_missing_trigger():
    with connection.cursor() as cursor:
        cursor.execute('DROP TRIGGER spinesite_content_version ON "treatments_treatment"')
    assert "treatments_treatment" not in triggers.tables_with_trigger()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert "treatments_treatment" in triggers.tables_with_trigger()


@pytest.fixture
def without_treatments():
    """The site as it was before treatments were a kind of page: unregistered, and
    without their triggers. The registry is put back as it was afterwards."""
    saved = dict(pagekinds._registry)
    pagekinds.unregister(Treatment)
    with connection.cursor() as cursor:
        for table in ["treatments_treatment_related", "treatments_treatment_conditions"]:
            cursor.execute(f'DROP TRIGGER spinesite_content_version ON "{table}"')
    yield
    pagekinds._registry.clear()
    pagekinds._registry.update(saved)
    # Registered again exactly as TreatmentsConfig.ready() did (its translated label,
    # its translations), which also connects the signals unregister() took away.
    original = saved[Treatment]
    options = {f.name: getattr(original, f.name) for f in fields(original) if f.init}
    del options["model"]
    pagekinds.register(Treatment, **options)


REGISTRATION = {
    "label": "Treatment",
    "url_name": "treatments:detail",
    "index_url_name": "treatments:index",
    "content": TREATMENTS,
}


def test_a_newly_registered_kind_gets_triggers_search_sitemap_and_review_list(
    without_treatments, client
):
    ConditionFactory(title="Sciatica")
    page = TreatmentFactory(
        title="Spinal cord stimulation",
        slug="spinal-cord-stimulation",
        also_called="Stimulator",
        next_review_due="2000-01-01",
    )

    url = "/treatments/spinal-cord-stimulation/"  # get_absolute_url() asks the registry

    def everywhere():
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")  # as migrate does
        return {
            # (Its own table has one anyway: videos link to treatments.)
            "related trigger": "treatments_treatment_related" in triggers.tables_with_trigger(),
            "conditions trigger": "treatments_treatment_conditions"
            in triggers.tables_with_trigger(),
            "search": [hit.url for hit in search("stimulator").hits] == [url],
            "sitemap": url in sitemap_text(client),
            "review list": page in [item.page for item in editorial.due_for_review()],
            "reading grades": page in [item.page for item in editorial.reading_grades()],
        }

    assert not any(everywhere().values()), everywhere()

    pagekinds.register(Treatment, **REGISTRATION)  # the one call, as in TreatmentsConfig.ready()

    assert all(everywhere().values()), everywhere()


def test_feedback_is_asked_and_kept_for_every_kind(client):
    for page in [ConditionFactory(), TreatmentFactory(), VideoFactory()]:
        html = client.get(page.get_absolute_url()).content.decode()
        key = f"{page._meta.label_lower}:{page.pk}"
        assert f'value="{key}"' in html, page
        response = client.post(
            "/feedback/", {"page": key, "helpful": "no"}, headers={"Origin": None}
        )
        assert response.status_code == 302, page


def test_featured_pages_of_every_kind_are_on_the_home_page(client):
    ConditionFactory(title="Featured condition", featured=True)
    TreatmentFactory(title="Featured treatment", featured=True)
    TreatmentFactory(title="Plain treatment")
    html = client.get("/").content.decode()
    assert "Featured condition" in html and "Featured treatment" in html
    assert "Plain treatment" not in html


@pytest.mark.parametrize(
    "table",
    [
        "locations_openinghours",
        "locations_hoursexception",
        "clinicians_boardcertification",
        "locations_newpatientspage",
        "locations_insuranceplan",
        "clinicians_clinician_locations",
        "clinicians_language",
    ],
)
def test_rows_that_belong_to_a_page_and_watched_tables_raise_the_content_version(table):
    """A kind's parts (opening hours, certifications) and the tables an app watches
    (the new patients page) have the trigger, as do the kinds' many-to-many tables."""
    assert table in triggers.tables_with_trigger()
    before = ContentVersion.objects.values_list("value", flat=True).first() or 0
    with connection.cursor() as cursor:
        cursor.execute(f'DELETE FROM "{table}"')  # noqa: S608 - a fixed table name
    assert (ContentVersion.objects.values_list("value", flat=True).first() or 0) > before


def test_no_template_comment_spans_lines():
    """Django's {# #} comment ends at the line's end: one that spans lines is printed
    on the page as text (it was, above the header of every page). Longer comments go
    in {% comment %}."""
    from django.conf import settings

    roots = [settings.BASE_DIR / "templates", *settings.BASE_DIR.glob("*/templates")]
    unclosed = [
        f"{path}:{number}"
        for root in roots
        for path in root.rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert not unclosed, unclosed


def test_pages_show_no_template_comment(client):
    html = client.get("/").content.decode()
    assert "{#" not in html and "#}" not in html
