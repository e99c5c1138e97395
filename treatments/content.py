"""How `content/treatments/*.md` maps onto Treatment (see spinesite.content)."""

from django import forms

from spinesite.content import ContentKind

from .models import Treatment


class TreatmentFileForm(forms.ModelForm):
    class Meta:
        model = Treatment
        fields = [
            "title", "summary", "kind", "status", "featured", "reviewer_name",
            "reviewer_credentials", "last_reviewed", "next_review_due",
        ]  # fmt: skip


TREATMENTS = ContentKind(
    folder="treatments",
    form=TreatmentFileForm,
    lists={"also_called": "", "sources": "- "},
    links=("conditions", "related"),
)
