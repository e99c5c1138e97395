"""Pages of a kind's index (conditions A to Z, treatments by kind), a few hundred at a time.

A clinic group's site, or its Spanish copies, can have tens of thousands of pages of
one kind; an index that listed them all would be megabytes long and slow to build.
Each index page lists at most `PER_PAGE`. What every page of an index shares (how many
pages each filter lists, and the order of them all) is read once per content version
(`kept_order`: spinesite.fragments), so a page costs one query for its own rows: in
English a slice that a covering index answers from the page's first row on, in another
language by id. Ordering by
a translated title, PostgreSQL joins and sorts every translated page (about 100 ms at
25,000 of them); an index page that did so each time missed its 30 ms target by far
(bench/scale.py).
"""

import sys

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import BooleanField, Value
from django.db.models.expressions import RawSQL
from django.http import QueryDict
from django.utils.functional import Promise

from . import fragments

# A page of a hundred entries, each with its summary, is already long on a phone;
# at 200 a page that missed the cache took 30 to 50 ms to build at 100,000 pages.
PER_PAGE = 100


def page_number(value):
    """The page number a query string asks for (`?page=`), as an int of at least 1:
    1 for anything else. Views key what they keep by it (spinesite.fragments)."""
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def shown_as_asked(number):
    """For fragments.cached(keep=...): keep an index page only under the number it
    shows (a number past the last shows the last page)."""
    return lambda context: context["page"].number == number


def numbered(page, keep=None):
    """The page, with the page numbers its links show (1 2 … 9 10 11 … 240) and
    `query`, the parameters its links carry besides the page number: only `keep`
    (the filters the view understood), never whatever else the request had, so
    that made-up parameters are not copied into every link, nor the page cache's
    key (a `{% querystring %}` of the whole request would read them all).
    """
    page.numbers = list(page.paginator.get_elided_page_range(page.number, on_each_side=2))
    page.query = QueryDict(mutable=True)
    page.query.update({name: value for name, value in (keep or {}).items() if value})
    return page


def kept_order(request, name, pages, field):
    """(ids, values): the ids of `pages` in their order, and each one's `field` (its
    region, say, to filter and count by), read once per content version. Each value
    is one shared string, which pickles as a reference: 50,000 pages take about
    350 KB of the fragment cache."""

    def read():
        rows = pages.values_list("pk", field)
        return [pk for pk, _ in rows], [sys.intern(value) for _, value in rows]

    return fragments.cached(request, f"{name}-order", (), read)


def ordered_index_page(ids, pages, number, keep=None, read=None):
    """Page `number` of the pages whose ids, in order, are `ids` (`kept_order`): the
    rows of that page alone, read by id from `pages`; or by `read(start, ids)`, which
    reads the page's rows (`ids`, from position `start` in the order) as a slice of a
    covering index (`from_row`). Each row fills most of a table page of its own (the
    search columns), so rows read by id are as many table pages (200 took 37 to 80 ms
    when they were not in memory, at 50,000 pages), while the slice reads the covering
    index and the first row's table page."""
    page = Paginator(ids, PER_PAGE).get_page(number)
    wanted = list(page.object_list)
    rows = read(page.start_index() - 1, wanted) if read and wanted else []
    if [row.pk for row in rows] != wanted:
        # No slice asked for, or an edit this process has not heard of yet moved the
        # rows since their order was kept (a slice starts at the page's first row):
        # one more query, for a moment after an edit.
        found = pages.order_by().in_bulk(wanted)
        rows = [found[pk] for pk in wanted if pk in found]
    page.object_list = rows
    return numbered(page, keep)


def from_row(pages, pk, by="title"):
    """`pages`, ordered by `by` and then pk, from the row `pk` on: PostgreSQL seeks to
    it in an index on (`by`, id), where an OFFSET walked every entry before it (9 ms
    at the 47,000th condition, bench/scale.py). `pages` must not join other tables."""
    # Django has no documented row comparison. The names are the model's own, quoted,
    # and the id is a parameter.
    model, quote = pages.model, connection.ops.quote_name
    column, key = quote(model._meta.get_field(by).column), quote(model._meta.pk.column)
    row = f"SELECT {column}, {key} FROM {quote(model._meta.db_table)} WHERE {key} = %s"  # noqa: S608
    later = RawSQL(f"({column}, {key}) >= ({row})", [pk], output_field=BooleanField())  # noqa: S611
    return pages.filter(later).order_by(by, "pk")


def sliced_by_group(pages, field, groups, start, ids, by="title"):
    """The rows `ids`, from position `start` of `pages` ordered by `field` in the order
    of `groups` ([(value, how many)]), then by `by`: a slice of each group the rows
    span, each answered by an index on (field, by, id), in one query (a UNION).
    Ordering by a group's position instead would read and sort every page of the kind."""
    parts, offset, end = [], 0, start + len(ids)
    for position, (value, count) in enumerate(groups):
        first, last = max(start, offset), min(end, offset + count)
        if first < last:
            group = from_row(pages.filter(**{field: value}), ids[first - start], by)
            parts.append(group.annotate(position=Value(position))[: last - first])
        offset += count
    if len(parts) > 1:
        return list(parts[0].union(*parts[1:], all=True).order_by("position", by, "pk"))
    return list(parts[0]) if parts else []


def detached(page):
    """The page with its rows read and without the query for every page of the kind,
    so it can be kept (spinesite.fragments pickles it, and pickling a queryset runs
    it). What the pagination links read (the count, the number of pages, the page
    numbers) is worked out before."""
    page.object_list = list(page.object_list)
    paginator = page.paginator
    paginator.num_pages  # noqa: B018 - a cached_property, worked out while the rows are known
    paginator.object_list = ()
    # Lazy strings (the ellipsis, the paginator's messages) as plain ones: each lazy
    # string unpickled costs a class of its own.
    if hasattr(page, "numbers"):
        page.numbers = [str(n) if isinstance(n, Promise) else n for n in page.numbers]
    paginator.ELLIPSIS = str(paginator.ELLIPSIS)
    paginator.error_messages = {}
    return page
