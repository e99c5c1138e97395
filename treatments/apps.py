from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class TreatmentsConfig(AppConfig):
    name = "treatments"
    verbose_name = "Treatment pages"

    def ready(self):
        from spinesite import pages

        from .content import TREATMENTS
        from .models import Treatment

        pages.register(
            Treatment,
            label=gettext_lazy("Treatment"),
            url_name="treatments:detail",
            index_url_name="treatments:index",
            content=TREATMENTS,
        )
