"""How `content/clinicians/*.md` maps onto Clinician (see spinesite.content).

The body is the bio. `certifications` is a list of {name, board}, checked as the
admin checks them.
"""

from spinesite.content import ContentKind, ContentPart

from .forms import ClinicianForm
from .models import BoardCertification


class ClinicianFileForm(ClinicianForm):
    class Meta(ClinicianForm.Meta):
        fields = [
            "title", "credentials", "summary", "photo", "photo_alt", "status", "is_sample",
            "accepting_new_patients", "last_reviewed", "next_review_due",
        ]  # fmt: skip


def read_certifications(value):
    if value is None:
        return [], []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        return [], ["give a list such as - {name: Orthopaedic Surgery, board: The board's name}"]
    rows, problems = [], []
    for number, item in enumerate(value, start=1):
        name, board = str(item.get("name") or "").strip(), str(item.get("board") or "").strip()
        if not name or not board:
            problems.append(f"item {number} needs both a name and the board that issued it")
        elif len(name) > 150 or len(board) > 150:
            problems.append(f"item {number} is longer than 150 characters")
        else:
            rows.append(BoardCertification(name=name, board=board))
    return rows, problems


def write_certifications(clinician, rows):
    clinician.certifications.all().delete()
    for row in rows:
        row.clinician = clinician
    BoardCertification.objects.bulk_create(rows)


CLINICIANS = ContentKind(
    folder="clinicians",
    form=ClinicianFileForm,
    body_field="bio",
    links=("conditions", "treatments", "locations"),
    tags=("specialties", "languages"),
    files=("photo",),
    parts=(ContentPart("certifications", read_certifications, write_certifications),),
)
