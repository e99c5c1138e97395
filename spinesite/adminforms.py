"""The admin form every kind of page uses: text normalised on the way in, and no lost edits."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from reversion.models import Version

from . import history
from .markdown import normalize_text


class CleanTextField(forms.CharField):
    """A text field whose value is stored normalised (spinesite.markdown.normalize_text).

    It compares normalised too, so a page sent back as the browser shows it (CRLF,
    trailing spaces) has not changed.
    """

    def to_python(self, value):
        return normalize_text(super().to_python(value))

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        return normalize_text(initial or "") != self.to_python(data)


class PageAdminForm(forms.ModelForm):
    """Refuses to save over an edit someone else saved after this form was opened.

    The form carries what the editor opened (`history.edit_token`). If the page has
    been saved since, nothing is saved: the form comes back with the editor's text,
    the other person's change as a diff, and a token for the page as it is now, so
    saving again is a deliberate choice.
    """

    edit_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["edit_token"].initial = history.edit_token(self.instance)

    def clean(self):
        cleaned = super().clean()
        sent = cleaned.get("edit_token") or ""
        if self.instance.pk is None or not sent:
            return cleaned
        model = type(self.instance)
        # Locked until this save commits: two saves at once cannot both pass.
        current = model._base_manager.select_for_update().get(pk=self.instance.pk)
        now = history.edit_token(current)
        if sent != now:
            data = self.data.copy()
            data[self.add_prefix("edit_token")] = now
            self.data = data
            raise ValidationError(self._conflict(sent, current))
        return cleaned

    def _conflict(self, sent, current):
        opened_id = sent.partition(":")[0]
        opened = Version.objects.filter(pk=int(opened_id)).first() if opened_id.isdigit() else None
        latest = history.versions(current).first()
        who = latest.revision.user if latest and latest.revision.user else "someone"
        when = timezone.localtime(current.updated)
        if opened is not None:
            changes = history.diff(type(current), opened.field_dict, history.values_of(current))
            heading = "Their change:"
        else:
            mine = {
                key: [obj.pk for obj in value] if isinstance(value, QuerySet) else value
                for key, value in self.cleaned_data.items()
            }
            changes = history.diff(type(current), mine, history.values_of(current))
            heading = "The saved page, compared with your text:"
        listed = format_html_join(
            "", "<li><strong>{}</strong>{}</li>", ((label, html) for label, html in changes)
        )
        return format_html(
            "{} saved this page at {} after you opened it, so nothing was saved. Your text "
            "is still in the form below. {}<ul>{}</ul>Copy what you need from their change "
            "into your text, then save again: that replaces their version with yours.",
            who,
            when.strftime("%H:%M:%S on %b %d, %Y"),
            heading,
            listed,
        )
