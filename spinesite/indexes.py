"""Pages of a kind's index (conditions A to Z, treatments by kind), a few hundred at a time.

A clinic group's site, or its Spanish copies, can have tens of thousands of pages of
one kind; an index that listed them all would be megabytes long and slow to build.
Each index page lists at most `PER_PAGE`, in two queries (how many, then the rows),
both answered from a covering index on the kind's table.
"""

from django.core.paginator import Paginator
from django.db.models import Count, Value
from django.http import QueryDict
from django.utils.functional import Promise

PER_PAGE = 200


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


def index_page(pages, number, count=None, keep=None):
    """Page `number` (as given in the query string: bad values get page 1 or the last)
    of `pages`, in their own order. `count`, if the caller knows it already, saves
    the query that counts them."""
    paginator = Paginator(pages, PER_PAGE)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is not asked again
    return numbered(paginator.get_page(number), keep)


def grouped_index_page(pages, field, order, number, keep=None, by="title"):
    """Page `number` of `pages` grouped by `field`, the groups in `order` and each by
    title (or `by`, a field or annotation of `pages`): a count per group, then one query for the slices of the groups on the page.

    Ordering by a computed group position would make PostgreSQL read and sort every
    page of the kind; slicing each group lets the index on (field, title) answer.
    """
    counts = dict(pages.order_by().values_list(field).annotate(n=Count("pk")))
    groups = [(value, counts[value]) for value in order if counts.get(value)]
    page = Paginator(range(sum(n for _, n in groups)), PER_PAGE).get_page(number)
    start, end, offset, parts = page.start_index() - 1, page.end_index(), 0, []
    for position, (value, count) in enumerate(groups):
        first, last = max(start, offset) - offset, min(end, offset + count) - offset
        if first < last:
            group = pages.filter(**{field: value}).annotate(position=Value(position))
            parts.append(group.order_by(by, "pk")[first:last])
        offset += count
    if len(parts) > 1:
        page.object_list = list(
            parts[0].union(*parts[1:], all=True).order_by("position", by, "pk")
        )
    else:
        page.object_list = list(parts[0]) if parts else []
    return numbered(page, keep)


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
