"""How `content/locations/*.md` maps onto Location (see spinesite.content).

The body is the short welcome (`about`); `hours` and `exceptions` become the
location's opening hours, checked as the admin checks them.
"""

from spinesite.content import ContentKind, ContentPart

from .forms import LocationForm, read_exceptions, read_hours, write_exceptions, write_hours


class LocationFileForm(LocationForm):
    class Meta(LocationForm.Meta):
        fields = [
            "title", "summary", "address", "phone", "fax", "email", "parking", "transit",
            "step_free", "access", "map_image", "map_alt", "status", "is_sample",
            "last_reviewed", "next_review_due",
        ]  # fmt: skip


LOCATIONS = ContentKind(
    folder="locations",
    form=LocationFileForm,
    body_field="about",
    files=("map_image",),
    parts=(
        ContentPart("hours", read_hours, write_hours),
        ContentPart("exceptions", read_exceptions, write_exceptions),
    ),
)
