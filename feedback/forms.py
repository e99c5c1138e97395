import re

from django import forms
from django.utils.translation import gettext_lazy

from spinesite import pagekinds

from .models import COMMENT_MAX_LENGTH

PAGE_KEY = re.compile(r"([a-z_]+\.[a-z_]+):([0-9]{1,18})")


def page_key(page):
    """What the form posts to name a page: 'conditions.condition:42'."""
    return f"{page._meta.label_lower}:{page.pk}"


class AnswerForm(forms.Form):
    page = forms.CharField(max_length=100)
    helpful = forms.ChoiceField(choices=[("yes", "Yes"), ("no", "No")])

    def clean_page(self):
        """The published page the answer is about; anything else is refused."""
        match = PAGE_KEY.fullmatch(self.cleaned_data["page"])
        by_label = {kind.model._meta.label_lower: kind for kind in pagekinds.kinds()}
        kind = by_label.get(match[1]) if match else None
        if kind is None:
            raise forms.ValidationError("Unknown page.")
        page = kind.queryset().filter(pk=int(match[2])).first()
        if page is None:
            raise forms.ValidationError("Unknown page.")
        return page


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Tell us more (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "max_length": gettext_lazy(
                "Please keep your comment under %(limit_value)d characters "
                "(it has %(show_value)d)."
            )
        },
    )

    def clean_comment(self):
        # Control characters (NUL above all) have no place in a comment.
        text = self.cleaned_data["comment"]
        return "".join(ch for ch in text if ch in "\n\t" or ch.isprintable()).strip()
