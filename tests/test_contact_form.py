"""The consultation request form: fields, errors, bad input, saving, thanks page."""

import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from conditions.models import Condition
from contact.models import ConsultationRequest
from locations.models import Location
from spinesite.models import ClinicDetails
from tests.contact_support import PATIENT, form_token, site_design, valid_data
from tests.factories import ConditionFactory, LocationFactory

pytestmark = pytest.mark.django_db

URL = "/contact/"


def post(client, data, **extra):
    return client.post(URL, data, **extra)


# The page --------------------------------------------------------------------------


def test_form_asks_only_what_is_needed_under_an_emergency_notice(client):
    html = client.get(URL).content.decode()
    form_start = html.index('<form class="contact-form"')
    assert html.index("If this is an emergency, call 911") < form_start
    for name in ["name", "phone", "email", "preferred_contact", "preferred_time", "topic"]:
        assert f'name="{name}"' in html
    assert 'name="message"' in html and 'maxlength="1000"' in html
    assert "Please do not include detailed medical history" in html
    assert re.search(r'<input type="checkbox" name="consent"[^>]* required', html)
    assert 'href="/privacy/"' in html[form_start:]
    lowered = html.lower()
    for absent in ["birth", "insurance", 'type="file"', "multipart", "captcha"]:
        assert absent not in lowered
    assert "style=" not in html  # the honeypot is hidden by the stylesheet, not inline
    assert 'class="contact-hp"' in html


def test_topics_are_published_conditions_plus_not_sure(client):
    ConditionFactory(title="Sciatica", slug="sciatica")
    ConditionFactory(title="Secret draft", slug="secret-draft", status=Condition.Status.DRAFT)
    html = client.get(URL).content.decode()
    assert '<option value="sciatica">Sciatica</option>' in html
    assert "Secret draft" not in html
    assert '<option value="other" selected>Not sure, or something else</option>' in html


def test_condition_page_link_preselects_the_condition(client):
    condition = ConditionFactory(title="Spinal stenosis", slug="spinal-stenosis")
    page = client.get(condition.get_absolute_url()).content.decode()
    assert 'href="/contact/?condition=spinal-stenosis"' in page
    html = client.get("/contact/?condition=spinal-stenosis").content.decode()
    assert '<option value="spinal-stenosis" selected>Spinal stenosis</option>' in html
    for bad in ["nope", "<script>", "other", "%00"]:
        response = client.get(URL, {"condition": bad})
        assert response.status_code == 200
        assert '<option value="other" selected>' in response.content.decode()


def hidden_value(html, name):
    return re.search(rf'name="{name}" value="([^"]+)"', html).group(1)


def test_the_blank_form_is_rendered_once_and_each_visitor_gets_their_own_tokens(
    django_assert_num_queries, settings
):
    settings.CONSULTATION_MIN_FILL_SECONDS = 0
    ClinicDetails.get_solo()  # made by the site's first visit ever
    ConditionFactory(title="Sciatica", slug="sciatica")
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_html = first.get(URL).content.decode()
    with django_assert_num_queries(1):  # the content version: no topics, no rendering
        response = second.get(URL)
    html = response.content.decode()
    assert "\ufdd2" not in html
    assert '<option value="sciatica">Sciatica</option>' in html
    assert "no-store" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert "Content-Security-Policy" in response and "ETag" not in response
    assert int(response["Content-Length"]) == len(response.content)
    for name in ("csrfmiddlewaretoken", "started"):
        assert hidden_value(html, name) != hidden_value(first_html, name)

    # The copy from the cache is a working form: its CSRF token goes with the cookie
    # it came with (and no other), and its fill-time token is signed and fresh.
    data = valid_data(
        started=hidden_value(html, "started"),
        csrfmiddlewaretoken=hidden_value(first_html, "csrfmiddlewaretoken"),
    )
    assert post(second, data).status_code == 403
    data["csrfmiddlewaretoken"] = hidden_value(html, "csrfmiddlewaretoken")
    assert post(second, data).status_code == 302
    request = ConsultationRequest.objects.get()
    assert request.status == ConsultationRequest.Status.NEW and not request.spam_reason


def test_a_form_open_in_another_tab_still_submits(settings):
    """Serving the cached form must not replace a visitor's CSRF cookie."""
    settings.CONSULTATION_MIN_FILL_SECONDS = 0
    ClinicDetails.get_solo()
    visitor = Client(enforce_csrf_checks=True)
    first_tab = visitor.get(URL)
    cookie = visitor.cookies["csrftoken"].value
    second_tab = visitor.get(URL)  # from the cache, with the cookie sent back
    assert visitor.cookies["csrftoken"].value == cookie  # sent again (as Django does), unchanged
    for tab in (first_tab, second_tab):
        html = tab.content.decode()
        data = valid_data(
            started=hidden_value(html, "started"),
            csrfmiddlewaretoken=hidden_value(html, "csrfmiddlewaretoken"),
            message=f"Sent from tab {tab is first_tab}",
        )
        assert post(visitor, data).status_code == 302
    assert ConsultationRequest.objects.count() == 2


def test_the_cached_form_follows_the_published_pages_at_once(client):
    condition = ConditionFactory(title="Sciatica", slug="sciatica")
    assert "Sciatica" in client.get(URL).content.decode()
    condition.status = Condition.Status.DRAFT
    condition.save()
    assert "Sciatica" not in client.get(URL).content.decode()
    ConditionFactory(title="Spinal stenosis", slug="spinal-stenosis")
    html = client.get("/contact/?condition=spinal-stenosis").content.decode()
    assert '<option value="spinal-stenosis" selected>Spinal stenosis</option>' in html


def test_every_page_links_to_the_form_and_the_privacy_notice(client):
    condition = ConditionFactory()
    for path in ["/", "/conditions/", condition.get_absolute_url(), "/privacy/", URL]:
        html = client.get(path).content.decode()
        nav = html[html.index('<nav aria-label="Main">') : html.index("</nav>")]
        assert 'href="/contact/"' in nav, path
        footer = html[html.index('<footer class="site-footer">') :]
        assert 'href="/privacy/"' in footer, path


def test_home_links_to_the_form_and_keeps_the_phone(client):
    html = client.get("/").content.decode()
    assert '<a class="button" href="/contact/">Request a consultation</a>' in html
    assert html.count(ClinicDetails.get_solo().phone_href) >= 3  # header, hero, footer


def test_privacy_notice_says_what_is_kept_and_how_long_from_the_settings(client, settings):
    settings.CONSULTATION_RETENTION_DAYS = 200
    settings.CONSULTATION_STALE_DAYS = 45
    settings.FEEDBACK_COMMENT_RETENTION_DAYS = 120
    settings.AUDIT_RETENTION_DAYS = 7 * 365
    response = client.get("/privacy/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Privacy notice" in html and "Deleted 200 days after" in html
    assert "open after 45 days" in html
    assert "Deleted after 120 days" in html
    assert "<td>7 years" in html


# Saving -----------------------------------------------------------------------------


def test_valid_request_is_stored_then_redirected_to_thanks(client):
    condition = ConditionFactory(title="Sciatica", slug="sciatica")
    response = post(client, valid_data(topic="sciatica", preferred_contact="either"))
    assert response.status_code == 302
    assert response["Location"] == reverse("contact:thanks") == "/contact/thanks/"
    saved = ConsultationRequest.objects.get()
    assert saved.name == PATIENT["name"]
    assert saved.phone == PATIENT["phone"]
    assert saved.email == PATIENT["email"]
    assert saved.message == PATIENT["message"]
    assert (saved.preferred_contact, saved.preferred_time) == ("either", "morning")
    assert saved.condition == condition and saved.topic == "Sciatica"
    assert saved.status == ConsultationRequest.Status.NEW
    assert saved.consented_at is not None
    assert saved.notified_at is None  # no recipients configured in tests
    assert response.get("Cache-Control", "").find("no-store") >= 0


def test_not_sure_topic_and_email_only(client):
    data = valid_data(topic="other", phone="", preferred_contact="email")
    assert post(client, data).status_code == 302
    saved = ConsultationRequest.objects.get()
    assert saved.condition is None and saved.topic == "" and saved.phone == ""


def test_thanks_page_says_what_happens_next_without_echoing(client):
    clinic = ClinicDetails.get_solo()
    response = post(client, valid_data(), follow=True)
    assert response.redirect_chain == [("/contact/thanks/", 302)]
    html = response.content.decode()
    assert "What happens next" in html and "within one working day" in html
    assert clinic.phone in html and clinic.phone_href in html
    for value in PATIENT.values():
        assert value not in html
    assert site_design(response)


def test_same_form_sent_twice_is_stored_once(client):
    data = valid_data(started=form_token(submission_id=uuid.uuid4()))
    assert post(client, data).status_code == 302
    second = post(client, data)
    assert second.status_code == 302 and second["Location"] == "/contact/thanks/"
    assert ConsultationRequest.objects.count() == 1


def test_back_edit_and_send_again_is_a_new_request(client):
    token = form_token(submission_id=uuid.uuid4())
    assert post(client, valid_data(started=token)).status_code == 302
    changed = valid_data(started=token, message="Sorry, I meant my right leg.")
    assert post(client, changed).status_code == 302
    assert post(client, changed).status_code == 302  # and that one sent twice: still two
    messages = sorted(ConsultationRequest.objects.values_list("message", flat=True))
    assert messages == sorted([PATIENT["message"], "Sorry, I meant my right leg."])


def test_only_get_head_and_post(client):
    assert client.head(URL).status_code == 200
    assert client.put(URL).status_code == 405
    assert client.post("/contact/thanks/", valid_data()).status_code == 405
    assert not ConsultationRequest.objects.exists()


# Errors -----------------------------------------------------------------------------


def test_errors_are_summarised_linked_described_and_input_is_kept(client):
    data = valid_data(name="", email="not-an-email", consent=None, message="Still here.")
    response = post(client, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Error: Request a consultation" in html
    summary = html[html.index('class="error-summary"') : html.index('<form class="contact-form"')]
    assert 'role="alert"' in html[html.index('class="error-summary"') - 200 :][:400]
    assert '<a href="#id_name">Enter your name.</a>' in summary
    assert '<a href="#id_email">Enter an email address like name@example.com.</a>' in summary
    assert '<a href="#id_consent">Tick the box' in summary
    for field in ["name", "email", "consent"]:
        tag = re.search(rf'<input [^>]*id="id_{field}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in tag
        assert f"id_{field}_error" in re.search(r'aria-describedby="([^"]+)"', tag).group(1)
        assert f'id="id_{field}_error"' in html
    # Everything typed is still there.
    assert 'value="not-an-email"' in html
    assert f'value="{PATIENT["phone"]}"' in html
    assert "Still here.</textarea>" in html
    assert '<input type="radio" name="preferred_time" value="morning"' in html
    assert re.search(r'value="morning"[^>]*checked', html)
    assert not ConsultationRequest.objects.exists()


def test_the_form_token_is_kept_across_an_error(client):
    token = form_token(age=30)
    html = post(client, valid_data(name="", started=token)).content.decode()
    assert f'name="started" value="{token}"' in html


def test_hint_and_error_describe_the_field(client):
    html = post(client, valid_data(phone="12", preferred_contact="phone")).content.decode()
    tag = re.search(r'<input [^>]*id="id_phone"[^>]*>', html).group(0)
    assert 'aria-describedby="id_phone_hint id_phone_error"' in tag
    assert "7 to 15 digits" in html


def test_radio_errors_describe_their_fieldset(client):
    html = post(client, valid_data(preferred_contact=None)).content.decode()
    assert (
        '<fieldset class="field field-has-error" aria-describedby="id_preferred_contact_error">'
        in html
    )
    assert '<a href="#id_preferred_contact_0">Choose how we should contact you.</a>' in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"phone": "", "email": ""}, "phone", "Enter a phone number or an email address"),
        ({"phone": "", "preferred_contact": "phone"}, "phone", "You chose a phone call"),
        ({"email": "", "preferred_contact": "email"}, "email", "You chose email"),
        ({"phone": "call me maybe"}, "phone", "7 to 15 digits"),
        ({"phone": "1234567890123456789"}, "phone", "7 to 15 digits"),
        ({"email": "a@b"}, "email", "Enter an email address"),
        ({"topic": "not-a-condition"}, "topic", "Choose one of the topics"),
        ({"preferred_time": "midnight"}, "preferred_time", "Choose one of the options"),
    ],
)
def test_contact_details_are_validated(client, changes, field, message):
    response = post(client, valid_data(**changes))
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html and message in html
    assert not ConsultationRequest.objects.exists()


@pytest.mark.parametrize(
    "phone", ["(555) 010-0199", "+1 555 010 0199", "555.010.0199", "555-010-0199 ext. 12"]
)
def test_ordinary_phone_numbers_pass(client, phone):
    assert post(client, valid_data(phone=phone)).status_code == 302


def test_a_draft_condition_cannot_be_chosen(client):
    ConditionFactory(slug="draft-page", status=Condition.Status.DRAFT)
    assert post(client, valid_data(topic="draft-page")).status_code == 400


# Oversized, malformed and hostile input: a 4xx page in the site's design -------------

HOSTILE = {
    "very long": "x" * 5000,
    "control character": "Back\x07pain",
    "null byte": "Back\x00pain",
    "escape sequence": "\x1b[31mred",
    "script": "<script>alert('x')</script>",
    "HTML": '<img src=x onerror="alert(1)">',
    "comment": "<!-- hidden -->",
    "direction override": "\u202egnp.exe",
    "unreadable bytes": "caf\ufffd",
}


@pytest.mark.parametrize("field", ["name", "phone", "email", "message"])
@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_text_in_any_field_is_refused_in_the_site_design(client, field, kind):
    value = HOSTILE[kind]
    if field == "message" and kind == "very long":
        value = "x" * 1001
    response = post(client, valid_data(**{field: value}))
    assert response.status_code == 400
    assert site_design(response)
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert "<script>alert" not in html and "<img src=x" not in html
    assert not ConsultationRequest.objects.exists()


@pytest.mark.parametrize("field", ["website", "started", "topic", "preferred_contact"])
def test_hostile_text_in_other_fields_never_breaks(client, field):
    response = post(client, valid_data(**{field: "<script>alert(1)</script>\x00" * 50}))
    assert response.status_code in (302, 400)
    assert "<script>alert" not in response.content.decode()


def test_a_newline_is_fine_in_the_message_but_not_in_the_name(client):
    assert post(client, valid_data(name="Ana\nBcc: x")).status_code == 400
    assert post(client, valid_data(message="Line one.\r\nLine two.\tTabbed.")).status_code == 302
    assert ConsultationRequest.objects.get().message == "Line one.\r\nLine two.\tTabbed."


def test_less_than_sign_in_words_is_not_html(client):
    assert post(client, valid_data(message="Pain < 3 months, <3 to the team")).status_code == 302


def raw_post(client, body, content_type="application/x-www-form-urlencoded"):
    return client.generic("POST", URL, body, content_type=content_type)


def test_invalid_utf8_is_refused(client):
    body = (
        b"name=Ana%FF%FEPatient&phone=5550100142&preferred_contact=phone"
        b"&preferred_time=any&topic=other&consent=on&started=" + form_token().encode()
    )
    response = raw_post(client, body)
    assert response.status_code == 400 and site_design(response)
    raw = raw_post(client, b"name=\xc3\x28\xa0\xa1&phone=\xff\xfe&consent=on")
    assert raw.status_code == 400 and site_design(raw)
    assert not ConsultationRequest.objects.exists()


def test_wrong_types_are_refused(client):
    responses = [
        raw_post(client, b'{"name": "Ana", "consent": true}', content_type="application/json"),
        raw_post(client, b"\x00\x01\x02binary", content_type="application/octet-stream"),
        post(client, {**valid_data(), "preferred_contact": ["phone", "nonsense"]}),
        post(client, {**valid_data(), "topic": ["other", "<x>"]}),
        raw_post(client, b"name[]=a&name[]=b&phone[0]=1"),
        raw_post(client, b"=&&&==&%&%%%"),
    ]
    for response in responses:
        assert response.status_code == 400 and site_design(response)
    assert not ConsultationRequest.objects.exists()


def test_missing_csrf_token_is_a_403_in_the_site_design():
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(URL, valid_data())
    assert response.status_code == 403
    assert site_design(response)
    assert "could not accept that form" in response.content.decode()
    assert not ConsultationRequest.objects.exists()


def test_csrf_token_from_the_page_works():
    strict = Client(enforce_csrf_checks=True)
    html = strict.get(URL).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert strict.post(URL, valid_data(csrfmiddlewaretoken=token)).status_code == 302


def test_oversized_body_is_a_413_in_the_site_design(client):
    response = post(client, valid_data(message="x" * 40_000))
    assert response.status_code == 413
    assert site_design(response)
    assert not ConsultationRequest.objects.exists()


def test_a_body_over_the_limit_is_refused_before_the_csrf_check_reads_it():
    # As in a browser, the CSRF check would read the body first; the size limit
    # (spinesite.limits) answers before anything reads it.
    strict = Client(enforce_csrf_checks=True)
    strict.get(URL)
    response = strict.generic(
        "POST", URL, b"name=" + b"A" * 200_000, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert site_design(response)


def test_too_many_fields_is_a_400(client):
    body = "&".join(f"f{i}=x" for i in range(1500)).encode()
    response = raw_post(client, body)
    assert response.status_code == 400 and site_design(response)


def test_malformed_multipart_is_a_400(client):
    response = raw_post(
        client,
        b'--xyz\r\nContent-Disposition: form-data; name="name"\r\n\r\nAna',
        content_type="multipart/form-data; boundary=xyz",
    )
    assert response.status_code == 400
    broken = raw_post(client, b"garbage", content_type="multipart/form-data")
    assert broken.status_code == 400
    assert site_design(broken)


def test_a_file_upload_is_ignored(client, tmp_path):
    upload = tmp_path / "records.pdf"
    upload.write_bytes(b"%PDF-1.4 private")
    with upload.open("rb") as handle:
        response = client.post(URL, {**valid_data(), "file": handle})
    assert response.status_code == 302
    assert ConsultationRequest.objects.count() == 1


def test_a_patient_may_choose_a_preferred_location_and_the_front_desk_filters_by_it(
    client, admin_client
):
    main = LocationFactory(slug="main", title="Main clinic")
    LocationFactory(slug="river", title="River clinic")
    LocationFactory(slug="hidden", title="Draft clinic", status=Location.Status.DRAFT)
    html = client.get("/contact/?location=river").content.decode()
    assert '<option value="river" selected>River clinic</option>' in html
    assert "Draft clinic" not in html and "No preference" in html

    assert post(client, valid_data(location="main")).status_code == 302
    assert post(client, valid_data(location="", name="Other person")).status_code == 302
    assert ConsultationRequest.objects.get(location=main).name == PATIENT["name"]
    assert ConsultationRequest.objects.get(location=None).name == "Other person"

    response = post(client, valid_data(location="hidden"))
    assert response.status_code == 400
    assert "Choose one of our locations, or no preference." in response.content.decode()
    assert ConsultationRequest.objects.count() == 2

    listing = admin_client.get(
        f"/admin/contact/consultationrequest/?location__id__exact={main.pk}"
    )
    assert listing.status_code == 200
    assert PATIENT["name"] in listing.content.decode()
    assert "Other person" not in listing.content.decode()


def test_without_locations_the_form_does_not_ask(client):
    assert "Which of our locations" not in client.get(URL).content.decode()
