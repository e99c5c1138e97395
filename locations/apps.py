from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class LocationsConfig(AppConfig):
    name = "locations"
    verbose_name = "Locations and new patients"

    def ready(self):
        from django.db.models.functions import JSONObject

        from spinesite import layout, pages, triggers

        from .content import LOCATIONS
        from .models import HoursException, InsurancePlan, Location, NewPatientsPage, OpeningHours

        pages.register(
            Location,
            label=gettext_lazy("Location"),
            url_name="locations:detail",
            index_url_name="locations:index",
            html="about_html",
            names="",
            content=LOCATIONS,
            parts=(OpeningHours, HoursException),
        )
        triggers.watch(NewPatientsPage, InsurancePlan)
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
