from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class LocationsConfig(AppConfig):
    name = "locations"
    verbose_name = "Locations and new patients"

    def ready(self):
        from django.db.models.functions import JSONObject
        from django.db.models.signals import post_delete, post_save

        from spinesite import (
            i18n,
            layout,
            pagekinds,
            searchables,
            translated_content,
            translated_pages,
            translations,
            triggers,
        )

        from .content import LOCATIONS
        from .models import (
            HoursException,
            InsurancePlan,
            Location,
            LocationTranslation,
            NewPatientsPage,
            NewPatientsPageTranslation,
            OpeningHours,
        )

        pagekinds.register(
            Location,
            label=gettext_lazy("Location"),
            url_name="locations:detail",
            index_url_name="locations:index",
            html="about_html",
            names="",
            content=LOCATIONS,
            parts=(OpeningHours, HoursException),
            translation=LocationTranslation,
        )
        translated_content.add(
            translated_content.files_for(
                LocationTranslation, "locations",
                ["summary", "parking", "transit", "access", "map_alt"], "about",
            )
        )  # fmt: skip
        i18n.register(Location, translated_pages.languages_of)
        triggers.watch(NewPatientsPage, InsurancePlan)
        # Search finds /new-patients/ by its words and the plans' names.
        from .search import NEW_PATIENTS, plan_changed

        searchables.register(NEW_PATIENTS)
        post_save.connect(plan_changed, sender=InsurancePlan, dispatch_uid="locations.plan_saved")
        post_delete.connect(plan_changed, sender=InsurancePlan, dispatch_uid="locations.plan_gone")
        translations.register(NewPatientsPageTranslation)
        # content/es/new-patients.md: the one page, named by its address.
        translated_content.add(
            translated_content.files_for(
                NewPatientsPageTranslation, "", ["insurance_note"], page_for=new_patients_page
            )
        )
        # The footer and the home page list the locations: read with the content
        # version, so they cost no query of their own.
        layout.add(
            "locations",
            lambda: Location.objects.published()
            .order_by("title")
            .values(
                item=JSONObject(
                    title="title", slug="slug", address="address", phone="phone",
                    is_sample="is_sample",
                )
            ),
        )  # fmt: skip


def new_patients_page(slugs, create=True):
    """The new patients page for its translation's file, `new-patients.md`: created
    only when the translation is written (`create`), never while the files are
    checked, so a run that fails stores nothing."""
    from .models import NewPatientsPage

    if "new-patients" not in slugs:
        return {}
    if create:
        return {"new-patients": NewPatientsPage.get_solo()}
    # The singleton always exists for a translation to name; checking only looks.
    return {"new-patients": NewPatientsPage.objects.first() or NewPatientsPage()}
