from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class TreatmentsConfig(AppConfig):
    name = "treatments"
    verbose_name = "Treatment pages"

    def ready(self):
        from spinesite import i18n, pagekinds, translated_content, translated_pages

        from .content import TREATMENTS
        from .models import Treatment, TreatmentTranslation

        pagekinds.register(
            Treatment,
            label=gettext_lazy("Treatment"),
            url_name="treatments:detail",
            index_url_name="treatments:index",
            content=TREATMENTS,
            translation=TreatmentTranslation,
        )
        translated_content.add(
            translated_content.article_files(TreatmentTranslation, "treatments")
        )
        i18n.register(Treatment, translated_pages.languages_of)
