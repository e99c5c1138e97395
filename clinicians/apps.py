from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class CliniciansConfig(AppConfig):
    name = "clinicians"
    verbose_name = "Clinicians"

    def ready(self):
        from spinesite import i18n, pagekinds, translated_content, translated_pages

        from .content import CLINICIANS
        from .models import BoardCertification, Clinician, ClinicianTranslation

        pagekinds.register(
            Clinician,
            label=gettext_lazy("Clinician"),
            url_name="clinicians:detail",
            index_url_name="clinicians:index",
            text="bio_text",
            names="",
            html="bio_html",
            content=CLINICIANS,
            parts=(BoardCertification,),
            translation=ClinicianTranslation,
        )
        translated_content.add(
            translated_content.files_for(
                ClinicianTranslation, "clinicians", ["summary", "photo_alt"], "bio"
            )
        )
        i18n.register(Clinician, translated_pages.languages_of)
