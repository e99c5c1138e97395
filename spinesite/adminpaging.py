"""A page of an admin list read in two steps: the page's ids, then its rows.

PostgreSQL computes a list's annotations (a page kind's "Spanish out of date" column,
which hashes each row's English) for every row an OFFSET skips as well, and page 30
skips 2,900. The ids alone come from the (title, id) index without touching a row
(an index-only scan); the rows, with their annotations, are then read for those ids.
"""

from django.core.paginator import Paginator


class IdsFirstPaginator(Paginator):
    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        # The same queryset, so the same order, annotations and columns.
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)
