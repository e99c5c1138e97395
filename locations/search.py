"""Site search finds the new patients page (spinesite.search), with the plans we take.

The page is no kind of page (one page, no slug, no review dates), so it joins search
as a glossary entry does, with its own address rather than an anchor on a shared page.
"""

from django.db.models import Value
from django.urls import reverse

from spinesite.searchables import Searchable

from .models import NewPatientsPage


class NewPatientsSearchable(Searchable):
    def url(self, slug):
        return reverse(self.url_name)

    def queryset(self):
        # Always public once saved (the view shows it); search reads a slug column.
        return self.model.objects.annotate(slug=Value(""))


NEW_PATIENTS = NewPatientsSearchable(
    NewPatientsPage,
    label="New patients",
    url_name="newpatients",
    summary="summary",
    text="search_text",
)


def plan_changed(sender, instance, **kwargs):
    """post_save and post_delete of a plan: the page's search text names the plans."""
    page = NewPatientsPage.objects.filter(pk=instance.page_id).first()
    if page is not None:
        page.save(update_fields=["updated"])
