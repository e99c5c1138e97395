from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ConditionsConfig(AppConfig):
    name = "conditions"
    verbose_name = "Condition pages"

    def ready(self):
        from spinesite import i18n, pagekinds, translated_content, translated_pages

        from .content import CONDITIONS
        from .models import Condition, ConditionTranslation

        pagekinds.register(
            Condition,
            label=gettext_lazy("Condition"),
            url_name="conditions:detail",
            index_url_name="conditions:index",
            content=CONDITIONS,
            translation=ConditionTranslation,
        )
        translated_content.add(
            translated_content.article_files(ConditionTranslation, "conditions")
        )
        i18n.register(Condition, translated_pages.languages_of)
