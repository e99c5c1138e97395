"""The site's vocabulary, for the spelling fallback of search (spinesite.search): the
words of every published page, which a misspelt word is corrected to. Kept as pages
are saved (add_words), loaded (add_words_of inside words_added_at_the_end) or go up
on schedule (spinesite.tasks), and rebuilt after bulk changes that skip save()."""

import contextlib
import re
import threading

from django.utils import timezone

from . import searchables
from .models import SearchTerm

VOCABULARY_WORD = re.compile(r"[^\W\d_]{3,40}")


def words_in(text):
    """Distinct lowercase words of 3 to 40 letters: safe in to_tsquery(), no operators."""
    return {word.lower() for word in VOCABULARY_WORD.findall(text)}


def add_words(sender, instance, **kwargs):
    """post_save handler (spinesite.pagekinds.register, spinesite.searchables.register):
    a saved page's words join the vocabulary, once it is published (a draft's words
    would make spelling help suggest words no reader can find).

    A page scheduled to go up later is not saved again when it does, so the task
    worker adds its words at that time (a task run then finds it up, or does nothing
    if the schedule has moved: the save that moved it queued another)."""
    add_words_of(sender, [instance])
    publish_at = getattr(instance, "publish_at", None)
    if getattr(instance, "is_scheduled", False) and publish_at and publish_at > timezone.now():
        from .tasks import add_words_when_published

        add_words_when_published.using(run_after=publish_at).enqueue(
            sender._meta.label, instance.pk
        )


def add_words_of(model, pages):
    """The words of those of `pages` that are published join the vocabulary: one query
    asks which are, one insert adds them (or, inside words_added_at_the_end(), they
    are gathered for a single insert at its end). The loader calls this for the pages
    it creates with bulk_create, which sends no post_save."""
    searchable = searchables.searchable_of(model)
    shown = set(
        searchable.queryset()
        .filter(pk__in=[page.pk for page in pages])
        .values_list("pk", flat=True)
    )
    words = set()
    for page in pages:
        if page.pk in shown:
            words |= searchable.words_of(page)
    gathering = getattr(_gathered, "words", None)
    if gathering is not None:
        gathering |= words
    else:
        _insert_words(words)


def _insert_words(words):
    terms = [SearchTerm(word=word) for word in words]
    SearchTerm.objects.bulk_create(terms, ignore_conflicts=True, batch_size=1000)


_gathered = threading.local()


@contextlib.contextmanager
def words_added_at_the_end():
    """Pages saved inside add their words in one insert at the end, not one each:
    for loading thousands of pages (spinesite.content)."""
    if getattr(_gathered, "words", None) is not None:  # already gathering
        yield
        return
    _gathered.words = set()
    try:
        yield
        _insert_words(_gathered.words)
    finally:
        _gathered.words = None


def rebuild_vocabulary():
    """Every published page's words, afresh: after bulk changes that skip save()."""
    words = set()
    for searchable in searchables.all_searchables():
        for page in searchable.queryset().only(*searchable.word_fields).iterator():
            words |= searchable.words_of(page)
    SearchTerm.objects.all().delete()
    SearchTerm.objects.bulk_create([SearchTerm(word=word) for word in words], batch_size=1000)
