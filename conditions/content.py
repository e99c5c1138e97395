"""How `content/conditions/*.md` maps onto Condition (see spinesite.content)."""

from django import forms

from spinesite.content import ContentKind

from .models import Condition


class ConditionFileForm(forms.ModelForm):
    class Meta:
        model = Condition
        fields = [
            "title", "summary", "region", "status", "featured", "reviewer_name",
            "reviewer_credentials", "last_reviewed", "next_review_due",
        ]  # fmt: skip


CONDITIONS = ContentKind(
    folder="conditions",
    form=ConditionFileForm,
    lists={"also_called": "", "sources": "- "},
    links=("related",),
)
