from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class GlossaryConfig(AppConfig):
    name = "glossary"
    verbose_name = "Glossary"

    def ready(self):
        from spinesite import markdown, search

        from . import pages
        from .models import Term

        # Pages explain the published terms (spinesite.markdown.page_terms), and are
        # rendered again when a term changes.
        markdown.explain_terms_from(pages.published_terms)
        post_save.connect(pages.term_saved, sender=Term, dispatch_uid="glossary.saved")
        post_delete.connect(pages.term_deleted, sender=Term, dispatch_uid="glossary.deleted")

        # Site search finds terms too, linking to their entry on /glossary/. Added to
        # the list of searchable kinds here, the simplest way it allows today; to move
        # into the page registry (issue 12).
        searchable = search.Searchable(
            "glossary.Term",
            label="Word explained",
            url_name="glossary:index",
            anchored=True,
            title="term",
            summary="definition",
            text="definition",
            names="also_called",
        )
        if searchable not in search.SEARCHABLES:
            search.SEARCHABLES.append(searchable)
        post_save.connect(search.add_words, sender=Term, dispatch_uid="glossary.Term")
