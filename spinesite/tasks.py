"""Background work of the shared layer, run by the task worker (`manage.py db_worker`)."""

from django.apps import apps
from django_tasks import task


@task()
def add_words_when_published(model_label, pk):
    """A scheduled page's words join the spelling vocabulary once it is up
    (spinesite.vocabulary.add_words queues this for its publish time)."""
    from .vocabulary import add_words_of

    model = apps.get_model(model_label)
    page = model._base_manager.filter(pk=pk).first()
    if page is not None:
        add_words_of(model, [page])
