"""spinesite.serializers: Django's JSON format, the same output, for page versions."""

import json

import pytest
import reversion
from django.core import serializers
from django.core.serializers import json as django_json
from django.db.models import QuerySet, prefetch_related_objects

from conditions.models import Condition
from spinesite import serializers as ours
from tests.factories import ConditionFactory

pytestmark = pytest.mark.django_db


def test_versions_are_written_in_the_faster_format():
    assert serializers.get_serializer("json") is ours.Serializer
    assert serializers.get_deserializer("json") is django_json.Deserializer


@pytest.mark.parametrize("prefetched", [True, False])
@pytest.mark.parametrize("indent", [None, 2])
def test_the_output_is_djangos_own(prefetched, indent, django_assert_num_queries):
    first, second = ConditionFactory(title="Sciatica"), ConditionFactory(title="Ä & <b>")
    first.related.set([second])
    pages = list(Condition.objects.order_by("pk"))
    if prefetched:
        prefetch_related_objects(pages, "related")
    fields = reversion.revisions._get_options(Condition).fields
    expected = django_json.Serializer().serialize(pages, fields=fields, indent=indent)
    with django_assert_num_queries(0 if prefetched else len(pages)):
        written = ours.Serializer().serialize(pages, fields=fields, indent=indent)
    assert written == expected
    assert json.loads(written)[0]["fields"]["related"] == [second.pk]


def test_links_already_fetched_are_read_without_a_queryset(monkeypatch):
    first, second = ConditionFactory(), ConditionFactory()
    first.related.set([second])
    pages = list(Condition.objects.order_by("pk"))
    prefetch_related_objects(pages, "related")
    built, select_related = [], QuerySet.select_related
    monkeypatch.setattr(
        QuerySet, "select_related", lambda *args: built.append(args) or select_related(*args)
    )
    fields = reversion.revisions._get_options(Condition).fields
    ours.Serializer().serialize(pages, fields=fields)
    assert built == []
    django_json.Serializer().serialize(pages, fields=fields)
    assert built  # Django's own builds one per page, and the spy sees it
