"""spinesite.arrays: lists reach PostgreSQL as they are, only escaped faster."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from psycopg.adapt import PyFormat, Transformer
from psycopg.types.array import ListDumper

from spinesite.arrays import QuickListDumper

# Everything the text form of an array escapes or quotes, and nested lists.
TRICKY = [
    'a "quoted" word',
    "back\\slash",
    '\\"',
    "",
    "NULL",
    None,
    "{braces}, commas",
    "  spaces  ",
    "é ñ",
    '<a href="/x/">link</a>',
]
NESTED = [["a\\b", 'c"d'], ["", None]]
OTHERS = [[], [None], [1, 2], [Decimal("1.5")], [datetime.date(2026, 12, 2)], [uuid.UUID(int=1)]]

pytestmark = pytest.mark.django_db


def test_django_connections_dump_lists_quickly():
    connection.ensure_connection()
    assert connection.connection.adapters.get_dumper(list, PyFormat.TEXT) is QuickListDumper


@pytest.mark.parametrize("value", [TRICKY, NESTED, *OTHERS])
@pytest.mark.parametrize("format", [PyFormat.TEXT, PyFormat.AUTO])  # AUTO: Django's %s
def test_the_same_bytes_as_psycopgs_own_dumper(value, format):
    connection.ensure_connection()
    transformer = Transformer(connection.connection)
    quick = transformer.get_dumper(value, format)
    assert isinstance(quick, QuickListDumper)
    stock = ListDumper(list, transformer).upgrade(value, format)
    assert type(stock) is ListDumper
    assert quick.dump(value) == stock.dump(value)


def test_a_memoryview_item_is_escaped_too():
    assert QuickListDumper._re_esc.sub(None, memoryview(b'a"b')) == b'a\\"b'


@pytest.mark.parametrize("value", [TRICKY, NESTED], ids=["flat", "nested"])
def test_lists_come_back_as_sent(value):
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::text[]", [value])
        assert cursor.fetchone()[0] == value
