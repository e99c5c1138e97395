from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ConditionsConfig(AppConfig):
    name = "conditions"
    verbose_name = "Condition pages"

    def ready(self):
        from spinesite import pages

        from .content import CONDITIONS
        from .models import Condition

        pages.register(
            Condition,
            label=gettext_lazy("Condition"),
            url_name="conditions:detail",
            index_url_name="conditions:index",
            content=CONDITIONS,
        )
