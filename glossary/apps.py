from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy


class GlossaryConfig(AppConfig):
    name = "glossary"
    verbose_name = "Glossary"

    def ready(self):
        from spinesite import (
            content,
            history,
            pageterms,
            searchables,
            sitemaps,
            translated_content,
            translated_search,
            translations,
            triggers,
        )

        from . import pages
        from .content import GLOSSARY
        from .models import Term, TermTranslation

        # Pages explain the published terms (spinesite.pageterms.page_terms), in their
        # own language, and are rendered again when a term or its translation changes.
        pageterms.explain_terms_from(pages.published_terms)
        content.load_first(GLOSSARY)  # terms before the pages that explain them
        post_save.connect(pages.term_saved, sender=Term, dispatch_uid="glossary.saved")
        post_delete.connect(pages.term_deleted, sender=Term, dispatch_uid="glossary.deleted")
        # Translated pages explain the terms' translations, as English pages the terms.
        post_save.connect(
            pages.translation_saved, sender=TermTranslation, dispatch_uid="glossary.tr_saved"
        )
        post_delete.connect(
            pages.translation_deleted, sender=TermTranslation, dispatch_uid="glossary.tr_deleted"
        )

        # Site search finds terms too, after the pages, linking to their entry on
        # /glossary/. Terms are no kind of page (no review, no sitemap entry of their
        # own, no feedback), so they join search alone.
        searchables.register(
            searchables.Searchable(
                Term,
                label=gettext_lazy("Word explained"),
                url_name="glossary:index",
                title="term",
                summary="definition",
                text="definition",
                names="also_called",
            )
        )
        # /glossary/ and every page that explains a term show its rows: a change
        # empties the page cache, and the sitemap dates /glossary/ by them.
        triggers.watch(Term)
        translations.register(TermTranslation)
        translated_search.register(
            TermTranslation, label=gettext_lazy("Word explained"), url_name="glossary:index", anchor=True,
            title="term", summary="definition", text="definition",
        )  # fmt: skip
        translated_content.add(
            translated_content.files_for(
                TermTranslation, "glossary", ["term", "definition"], "definition",
                lists={"also_called": ""},
            )
        )  # fmt: skip
        # A meaning is medical content too: its versions are kept, diffed and
        # restorable in admin like a page's (spinesite.history).
        history.register(Term)
        sitemaps.add_list("glossary:index", Term)
