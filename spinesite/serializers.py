"""Django's JSON serializer, the same output made faster: the format of every version
django-reversion keeps (spinesite.history), installed as "json" by
settings.SERIALIZATION_MODULES.

A first load of thousands of content files records a version of each new page, and
Django 5.2's serializer spent most of that time on two things: for each many-to-many
field it built a queryset it did not use (the default argument of a dict.get() over
the links already fetched), and it wrote each object with the pure-Python JSON encoder
(json.dump into a stream), not the C one (json.dumps). It leans on the serializer's
internals (_current, _value_from_field, first): tests/test_serializers.py compares it
with Django's own byte for byte, and fails first when Django changes them.
"""

import json

from django.core.serializers.json import Deserializer  # noqa: F401 - a format has one
from django.core.serializers.json import Serializer as DjangoSerializer


class Serializer(DjangoSerializer):
    def handle_m2m_field(self, obj, field):
        prefetched = getattr(obj, "_prefetched_objects_cache", {})
        natural = self.use_natural_foreign_keys and hasattr(
            field.remote_field.model, "natural_key"
        )
        if field.name not in prefetched or natural or not _auto_created(field):
            return super().handle_m2m_field(obj, field)
        self._current[field.name] = [
            self._value_from_field(related, related._meta.pk) for related in prefetched[field.name]
        ]

    def end_object(self, obj):
        if self.options.get("indent"):  # Django's own layout (dumpdata --indent)
            return super().end_object(obj)
        if not self.first:
            self.stream.write(", ")
        self.stream.write(json.dumps(self.get_dump_object(obj), **self.json_kwargs))
        self._current = None


def _auto_created(field):
    return field.remote_field.through._meta.auto_created
