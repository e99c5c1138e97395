"""Form fields shared by every app that takes words from the public."""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Characters nobody types into a form: control characters (a newline is
# allowed in the message only), text-direction overrides that can disguise what
# staff read, and U+FFFD, which is what bytes that were not UTF-8 decode to.
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
UNREADABLE = "\ufffd"
MARKUP = re.compile(r"<\s*[a-zA-Z!/?]")


def check_plain_text(value, multiline=False):
    """Reject control characters, unreadable bytes and HTML in what a person typed."""
    if UNREADABLE in value:
        raise ValidationError(
            _("Some characters could not be read. Please type this again."), code="unreadable"
        )
    allowed = {"\n", "\r", "\t"} if multiline else set()
    for char in value:
        if char in allowed:
            continue
        if char in BIDI_CONTROLS or unicodedata.category(char) in {"Cc", "Cs", "Co"}:
            raise ValidationError(
                _(
                    "This contains hidden control characters. Please type it again "
                    "instead of pasting it."
                ),
                code="control",
            )
    if MARKUP.search(value):
        raise ValidationError(
            _("Please remove the HTML code (text between < and >)."), code="markup"
        )


class PlainTextField(forms.CharField):
    """A CharField for people's words: NFC-normalised, no control characters, no HTML."""

    def __init__(self, *args, multiline=False, **kwargs):
        self.multiline = multiline
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return unicodedata.normalize("NFC", value) if value else value

    def validate(self, value):
        super().validate(value)
        if value:
            check_plain_text(value, multiline=self.multiline)
