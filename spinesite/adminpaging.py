"""Admin lists at tens of thousands of pages: a page read in two steps, and a search
counted only as far as an editor needs.

PostgreSQL computes a list's annotations (a page kind's "Spanish out of date" column,
which hashes each row's English) for every row an OFFSET skips as well, and page 30
skips 2,900. The ids alone come from the (title, id) index without touching a row
(an index-only scan); the rows, with their annotations, are then read for those ids.

A search for a common word ("disc") matches thousands of pages, and counting them
all reads every one (60 to 120 ms at 50,000 pages, most of the list's time). Past
`SEARCH_COUNTED_AT_MOST` the list says "more than" that many: ten pages of results
is already more than an editor reads before narrowing the search.
"""

from django.contrib import messages
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext

SEARCH_COUNTED_AT_MOST = 1000


class IdsFirstPaginator(Paginator):
    counted_at_most = None  # rows counted, at most; None counts them all
    count_is_partial = False  # there are more rows than `count`

    @cached_property
    def count(self):
        if self.counted_at_most is None:
            return super().count
        # Ids alone: the list's annotations would be worked out for each row counted.
        rows = self.object_list.order_by().values("pk")
        counted = rows[: self.counted_at_most + 1].count()
        self.count_is_partial = counted > self.counted_at_most
        return min(counted, self.counted_at_most)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        # The same queryset, so the same order, annotations and columns.
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)


class IdsFirstPaging:
    """ModelAdmin mixin: lists paged by IdsFirstPaginator, a search counted only up to
    SEARCH_COUNTED_AT_MOST (templates/admin/pagination.html and search_form.html say
    so; actions.html offers no "Select all" then, and an action on all is refused)."""

    paginator = IdsFirstPaginator
    show_full_result_count = False  # a second count, of every row, on each search

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        paginator = super().get_paginator(
            request, queryset, per_page, orphans, allow_empty_first_page
        )
        if request.GET.get(SEARCH_VAR, "").strip():
            paginator.counted_at_most = SEARCH_COUNTED_AT_MOST
        return paginator

    def response_action(self, request, queryset):
        """Refuse an action on every match of a search counted only in part: the
        editor was never told how many pages it would publish or approve."""
        if request.POST.get("select_across") == "1" and request.GET.get(SEARCH_VAR, "").strip():
            matching = queryset.order_by().values("pk")[: SEARCH_COUNTED_AT_MOST + 1].count()
            if matching > SEARCH_COUNTED_AT_MOST:
                message = gettext(
                    "More than %(count)s pages match, so nothing was changed. Add words to "
                    "narrow the search, or select pages one by one."
                ) % {"count": SEARCH_COUNTED_AT_MOST}
                self.message_user(request, message, messages.WARNING)
                return None
        return super().response_action(request, queryset)
