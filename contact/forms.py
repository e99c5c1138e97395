import re
import time
import uuid

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from conditions.models import Condition
from locations.models import Location
from spinesite.fields import PlainTextField
from spinesite.translated_lists import title_in

from .models import ConsultationRequest, language_choices

OTHER = "other"
SIGNING_SALT = "contact.form.started"
MESSAGE_MAX_LENGTH = 1000
TOO_FAST = "sent too fast"

PHONE = re.compile(r"^\+?[0-9 ().\-]+(?:\s*(?:ext\.?|x)\s*[0-9]{1,6})?$", re.IGNORECASE)
EXTENSION = re.compile(r"(?:ext\.?|x)\s*[0-9]{1,6}$", re.IGNORECASE)


def new_token():
    """A signed, timestamped token for the form: when it was shown, and a random id."""
    return signing.dumps({"id": uuid.uuid4().hex, "t": round(time.time(), 2)}, salt=SIGNING_SALT)


def read_token(token):
    """(id, seconds since the form was shown), or None if the token is missing or forged."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    try:
        data = signing.loads(token, salt=SIGNING_SALT)
        submission_id, shown_at = uuid.UUID(data["id"]), float(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError, AttributeError):
        return None
    elapsed = time.time() - shown_at
    if elapsed < -5:  # issued in the future: not by this server's clock
        return None
    return submission_id, elapsed


def topic_choices():
    return topics_in(get_language())[0]


def topics_in(language):
    """The topic choices in `language` (each condition's published translated title, else
    its English one), and the slugs whose title is English on a page in another language."""
    conditions = (
        Condition.objects.published()
        .annotate(**title_in(Condition, language or settings.LANGUAGE_CODE))
        .order_by("t_title")
        .values_list("slug", "t_title", "t_lang")
    )
    english = set()
    choices = []
    for slug, title, lang in conditions:
        choices.append((slug, title))
        if lang:
            english.add(slug)
    return [*choices, (OTHER, _("Not sure, or something else"))], english


class TopicSelect(forms.Select):
    """The topics, an English title on a Spanish page marked lang="en", so that a screen
    reader reads it with English sounds."""

    english = frozenset()

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value in self.english:
            option["attrs"]["lang"] = settings.LANGUAGE_CODE
        return option


class ConsultationForm(forms.Form):
    name = PlainTextField(
        label=gettext_lazy("Your name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    phone = PlainTextField(
        label=gettext_lazy("Phone number"),
        required=False,
        max_length=30,
        help_text=gettext_lazy("For example (555) 010-0199."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("Email address"),
        required=False,
        max_length=254,
        error_messages={"invalid": gettext_lazy("Enter an email address like name@example.com.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    preferred_contact = forms.ChoiceField(
        label=gettext_lazy("How should we contact you?"),
        choices=ConsultationRequest.ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose how we should contact you.")},
    )
    preferred_time = forms.ChoiceField(
        label=gettext_lazy("When is a good time?"),
        choices=ConsultationRequest.ContactTime.choices,
        initial=ConsultationRequest.ContactTime.ANY,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose a good time to contact you.")},
    )
    topic = forms.ChoiceField(
        label=gettext_lazy("What would you like to talk about?"),
        choices=topic_choices,
        widget=TopicSelect,
        initial=OTHER,
        error_messages={"required": gettext_lazy("Choose what you would like to talk about.")},
    )
    location = forms.ChoiceField(
        label=gettext_lazy("Which of our locations suits you best? (optional)"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy("Choose one of our locations, or no preference.")
        },
    )
    message = PlainTextField(
        label=gettext_lazy("Anything else we should know? (optional)"),
        required=False,
        multiline=True,
        max_length=MESSAGE_MAX_LENGTH,
        # Set in __init__, in the page's language, with the limit filled in.
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    consent = forms.BooleanField(
        label=gettext_lazy(
            "I agree that the clinic may contact me about this request, by phone or "
            "email as I chose above."
        ),
        # The template adds a link to the privacy notice to this hint.
        help_text=gettext_lazy(
            "Our privacy notice says who sees your request and how long we keep it."
        ),
        error_messages={
            "required": gettext_lazy("Tick the box to let us contact you, or call us instead.")
        },
    )
    preferred_language = forms.ChoiceField(
        label=gettext_lazy("Which language would you like us to use?"),
        required=False,
        help_text=gettext_lazy("We offer free interpreters. Tell us if you need one."),
        error_messages={"invalid_choice": gettext_lazy("Choose one of the languages.")},
    )
    # Spam checks: a field people never see, and when the form was shown.
    website = forms.CharField(
        label=gettext_lazy("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    # Rendered by the template (the view decides whether to keep the posted token).
    started = forms.CharField(required=False, max_length=200)

    # Fields whose errors are listed in the summary, in page order.
    visible_fields_order = [
        "name",
        "phone",
        "email",
        "preferred_contact",
        "preferred_time",
        "topic",
        "location",
        "preferred_language",
        "message",
        "consent",
    ]

    def __init__(self, *args, locations=(), **kwargs):
        """`locations`: the published locations as {slug, title}, from the page layout
        (spinesite.contentsnapshot.layout), so that offering them costs no query."""
        super().__init__(*args, **kwargs)
        self.fields["location"].choices = [
            ("", _("No preference")),
            *((row["slug"], row["title"]) for row in locations),
        ]
        topics, english = topics_in(get_language())
        self.fields["topic"].choices = topics
        self.fields["topic"].widget.english = english
        # The patient's language: the page's, unless they choose another.
        self.fields["preferred_language"].choices = language_choices()
        self.fields["preferred_language"].initial = get_language()
        self.fields["message"].help_text = _(
            "A few words are enough, up to %(count)s characters. Please do not include "
            "detailed medical history: we will ask about that when we talk."
        ) % {"count": MESSAGE_MAX_LENGTH}
        self.fields["name"].error_messages["required"] = _("Enter your name.")
        self.fields["name"].error_messages["max_length"] = _(
            "Your name can be at most 100 characters."
        )
        self.fields["message"].error_messages["max_length"] = _(
            "Please shorten your message to %(count)s characters or fewer."
        ) % {"count": MESSAGE_MAX_LENGTH}
        self.fields["topic"].error_messages["invalid_choice"] = _(
            "Choose one of the topics in the list."
        )
        for name in ("preferred_contact", "preferred_time"):
            self.fields[name].error_messages["invalid_choice"] = _("Choose one of the options.")
        self._describe()

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        if not phone:
            return phone
        digits = sum(ch.isdigit() for ch in EXTENSION.sub("", phone))
        if not PHONE.match(phone) or not 7 <= digits <= 15:
            raise ValidationError(
                _("Enter a phone number with 7 to 15 digits, like (555) 010-0199."), code="invalid"
            )
        return phone

    def clean(self):
        data = super().clean()
        phone, email = data.get("phone"), data.get("email")
        method = data.get("preferred_contact")
        if "phone" in data and "email" in data and not phone and not email:
            self.add_error(
                "phone", _("Enter a phone number or an email address, so that we can reach you.")
            )
        elif method == ConsultationRequest.ContactMethod.PHONE and "phone" in data and not phone:
            self.add_error("phone", _("You chose a phone call: enter your phone number."))
        elif method == ConsultationRequest.ContactMethod.EMAIL and "email" in data and not email:
            self.add_error("email", _("You chose email: enter your email address."))
        return data

    # Accessibility: every error is named in the summary and tied to its field.
    def error_list(self):
        """[(field id to link to, message)] for the error summary, in page order."""
        items = []
        for name in self.visible_fields_order:
            field = self[name]
            target = field.auto_id
            if isinstance(field.field.widget, forms.RadioSelect):
                target = f"{field.auto_id}_0"
            items.extend((target, message) for message in field.errors)
        for message in self.non_field_errors():
            items.append(("", message))
        return items

    def _describe(self):
        """Point each input at its hint and its error message (aria-describedby)."""
        for name in self.visible_fields_order:
            field = self[name]
            ids = [f"{field.auto_id}_hint"] if field.help_text else []
            if self.is_bound and self._errors and name in self._errors:
                ids.append(f"{field.auto_id}_error")
            attrs = self.fields[name].widget.attrs
            attrs.pop("aria-describedby", None)
            if ids and not field.use_fieldset:
                attrs["aria-describedby"] = " ".join(ids)

    def described_by(self, name):
        """The aria-describedby value for a fieldset (radio buttons)."""
        field = self[name]
        ids = [f"{field.auto_id}_hint"] if field.help_text else []
        if field.errors:
            ids.append(f"{field.auto_id}_error")
        return " ".join(ids)

    def full_clean(self):
        super().full_clean()
        self._describe()

    def spam_reason(self, min_seconds):
        """Why this valid submission looks automated, or "" if it does not."""
        if self.cleaned_data.get("website"):
            return "honeypot"
        token = read_token(self.cleaned_data.get("started"))
        if token is None:
            return "missing or forged form token"
        if token[1] < min_seconds:
            return TOO_FAST
        return ""

    def submission_id(self):
        """The same for the same form (token) with the same words; None without a token."""
        token = read_token(self.cleaned_data.get("started"))
        if token is None:
            return None
        fingerprint = "\x1f".join(
            str(self.cleaned_data.get(name, "")) for name in self.visible_fields_order
        )
        return uuid.uuid5(token[0], fingerprint)

    def build_request(self):
        data = self.cleaned_data
        condition = location = None
        if data.get("location"):
            location = Location.objects.published().filter(slug=data["location"]).first()
        if data["topic"] != OTHER:
            condition = Condition.objects.published().filter(slug=data["topic"]).first()
        return ConsultationRequest(
            name=data["name"],
            phone=data["phone"],
            email=data["email"],
            preferred_contact=data["preferred_contact"],
            preferred_time=data["preferred_time"],
            condition=condition,
            topic=condition.title if condition else "",
            location=location,
            message=data["message"],
            preferred_language=data.get("preferred_language") or get_language() or "",
        )
