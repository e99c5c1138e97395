"""'Was this page helpful?': the answer, the optional comment, the rate limit, the queue."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.test import Client

from conditions.models import Condition
from feedback.models import Answer, FeedbackPage
from feedback.views import TOKEN_SALT
from spinesite.models import RateLimitHit
from tests.factories import ConditionFactory, VideoFactory

pytestmark = pytest.mark.django_db

IP = "203.0.113.9"


def answer(client, page, helpful="no", ip=IP):
    data = {"page": f"conditions.condition:{page.pk}", "helpful": helpful}
    return client.post("/feedback/", data, REMOTE_ADDR=ip)


def test_published_pages_ask_drafts_do_not(client, staff_client):
    page = ConditionFactory()
    html = client.get(page.get_absolute_url()).content.decode()
    assert "Was this page helpful?" in html
    assert '<form method="post" action="/feedback/">' in html
    assert f'name="page" value="conditions.condition:{page.pk}"' in html
    assert 'name="helpful" value="yes"' in html and 'name="helpful" value="no"' in html
    draft = ConditionFactory(status=Condition.Status.DRAFT)
    assert (
        "Was this page helpful?" not in staff_client.get(draft.get_absolute_url()).content.decode()
    )


def test_answer_then_comment(client):
    page = ConditionFactory(title="Sciatica")
    response = answer(client, page, "no")
    assert response.status_code == 302
    stored = Answer.objects.get()
    assert stored.helpful is False and stored.comment == ""
    assert stored.page.page == page

    form = client.get(response["Location"])
    html = form.content.decode()
    assert form.status_code == 200
    assert "not helpful" in html
    assert "do not include personal information" in html
    assert 'href="/conditions/' in html  # back to the page

    done = client.post(
        response["Location"], {"comment": "  I wanted to know about\x07 exercises. "}
    )
    assert done.status_code == 200
    assert "Thank you for your feedback" in done.content.decode()
    stored.refresh_from_db()
    assert stored.comment == "I wanted to know about exercises."

    # One comment per answer: sending the form again changes nothing.
    client.post(response["Location"], {"comment": "Something else"})
    stored.refresh_from_db()
    assert stored.comment == "I wanted to know about exercises."


def test_the_comment_is_optional(client):
    response = answer(client, ConditionFactory(), "yes")
    assert client.post(response["Location"], {"comment": "   "}).status_code == 200
    assert Answer.objects.get().comment == ""
    assert Answer.objects.get().helpful is True


@pytest.mark.parametrize(
    ("comment", "message"),
    [("x" * 1001, "under 1000 characters"), ("a\x00b", "Null characters are not allowed")],
)
def test_a_bad_comment_is_explained_and_not_stored(client, comment, message):
    response = answer(client, ConditionFactory())
    refused = client.post(response["Location"], {"comment": comment})
    assert refused.status_code == 400
    assert message in refused.content.decode()
    assert Answer.objects.get().comment == ""


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"helpful": "no"},
        {"page": "conditions.condition:999999", "helpful": "no"},
        {"page": "auth.user:1", "helpful": "no"},
        {"page": "conditions.condition:1" + "0" * 30, "helpful": "no"},
        {"page": "conditions.condition:²", "helpful": "no"},
        {"page": "conditions.condition:\x00", "helpful": "no"},
        {"page": "VALID", "helpful": "maybe"},
    ],
)
def test_bad_answers_are_refused_with_a_clear_page(client, data):
    page = ConditionFactory()
    data = {
        key: value.replace("VALID", f"conditions.condition:{page.pk}")
        for key, value in data.items()
    }
    response = client.post("/feedback/", data)
    assert response.status_code == 400
    assert "We could not save your feedback" in response.content.decode()
    assert not Answer.objects.exists()


def test_video_pages_ask_too(client):
    video = VideoFactory()
    html = client.get(video.get_absolute_url()).content.decode()
    assert f'name="page" value="videos.video:{video.pk}"' in html
    response = client.post("/feedback/", {"page": f"videos.video:{video.pk}", "helpful": "yes"})
    assert response.status_code == 302
    assert Answer.objects.get().page.page == video


def test_drafts_take_no_answers(client):
    draft = ConditionFactory(status=Condition.Status.DRAFT)
    assert answer(client, draft).status_code == 400
    assert not Answer.objects.exists()


def test_pages_asking_use_no_csrf_token_so_they_can_be_cached(client):
    page = ConditionFactory()
    response = client.get(page.get_absolute_url())
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert not response.cookies  # no CSRF cookie either


def test_answers_need_no_csrf_token_but_comments_do():
    page = ConditionFactory()
    strict = Client(enforce_csrf_checks=True)
    assert answer(strict, page).status_code == 302
    token = signing.dumps(Answer.objects.get().pk, salt=TOKEN_SALT)
    assert strict.post(f"/feedback/{token}/", {"comment": "Hello"}).status_code == 403


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"HTTP_SEC_FETCH_SITE": "cross-site"}, 403),
        ({"HTTP_SEC_FETCH_SITE": "same-site"}, 403),
        ({"HTTP_SEC_FETCH_SITE": "same-origin"}, 302),
        ({"HTTP_ORIGIN": "https://elsewhere.example"}, 403),
        ({"HTTP_ORIGIN": "http://testserver"}, 302),
        ({}, 302),
    ],
)
def test_answers_posted_from_other_sites_are_refused(client, headers, status):
    page = ConditionFactory()
    data = {"page": f"conditions.condition:{page.pk}", "helpful": "no"}
    assert client.post("/feedback/", data, **headers).status_code == status
    assert Answer.objects.count() == (1 if status == 302 else 0)


def test_only_post_stores_an_answer(client):
    assert client.get("/feedback/").status_code == 405


@pytest.mark.parametrize(
    "token",
    ["nonsense", signing.dumps(1, salt="another.salt"), signing.dumps(999_999, salt=TOKEN_SALT)],
)
def test_a_bad_comment_link_is_explained(client, token):
    response = client.get(f"/feedback/{token}/")
    assert response.status_code == 400
    assert "This link has expired" in response.content.decode()


def test_comment_links_expire(client, monkeypatch):
    response = answer(client, ConditionFactory())
    monkeypatch.setattr("feedback.views.TOKEN_MAX_AGE", -1)
    assert client.get(response["Location"]).status_code == 400


def test_answers_are_rate_limited_like_the_contact_form(client, settings):
    settings.FEEDBACK_RATE_LIMIT = 3
    page = ConditionFactory()
    statuses = [answer(client, page).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert Answer.objects.count() == 3
    assert answer(client, page, ip="198.51.100.4").status_code == 302  # someone else


def test_comments_count_towards_the_rate_limit(client, settings):
    settings.FEEDBACK_RATE_LIMIT = 2
    page = ConditionFactory()
    first = answer(client, page)
    assert (
        client.post(first["Location"], {"comment": "Too hard."}, REMOTE_ADDR=IP).status_code == 200
    )
    second = answer(client, page)
    assert second.status_code == 429
    assert Answer.objects.get().comment == "Too hard."


def test_nothing_identifies_the_reader(client):
    answer(client, ConditionFactory())
    assert {field.name for field in Answer._meta.get_fields()} == {
        "id",
        "page",
        "helpful",
        "comment",
        "created",
    }
    hit = RateLimitHit.objects.get(scope="feedback")
    assert IP not in hit.client and len(hit.client) == 64  # a salted hash
    assert "sessionid" not in client.cookies


def test_deleting_a_page_deletes_its_feedback(client):
    page = ConditionFactory()
    answer(client, page)
    page.delete()
    assert not FeedbackPage.objects.exists() and not Answer.objects.exists()


def test_review_queue_puts_the_most_unhelpful_pages_first(client, staff_client):
    fine, poor, worst = (ConditionFactory(title=title) for title in ["Fine", "Poor", "Worst"])
    for page, answers in [(fine, "yyyn"), (poor, "nny"), (worst, "nnnn")]:
        for letter in answers:
            answer(client, page, "yes" if letter == "y" else "no", ip=f"203.0.113.{page.pk % 250}")
    response = staff_client.get("/admin/feedback/feedbackpage/")
    assert response.status_code == 200
    rows = re.findall(r"<tr>.*?</tr>", response.content.decode(), re.DOTALL)
    order = [title for row in rows for title in ["Worst", "Poor", "Fine"] if f">{title}<" in row]
    assert order == ["Worst", "Poor", "Fine"]

    queue = FeedbackPage.objects.get(
        content_type=ContentType.objects.get_for_model(Condition), object_id=worst.pk
    )
    detail = staff_client.get(f"/admin/feedback/feedbackpage/{queue.pk}/change/")
    assert detail.status_code == 200
    assert detail.content.decode().count("Not helpful") >= 1


def test_content_editors_may_read_and_delete_feedback_but_not_add_it(client):
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Content editors"))
    answer(client, ConditionFactory(title="Sciatica"))
    client.force_login(editor)
    assert editor.has_perms(["feedback.view_feedbackpage", "feedback.delete_answer"])
    assert not editor.has_perm("feedback.add_answer")
    assert ">Sciatica<" in client.get("/admin/feedback/feedbackpage/").content.decode()
    assert "found unhelpful" in client.get("/admin/").content.decode()


def test_staff_can_delete_a_comment_that_names_someone(client, staff_client):
    page = ConditionFactory()
    first = answer(client, page)
    client.post(first["Location"], {"comment": "I am Jane Doe, call me on 555 0100."})
    answer(client, page, "yes")
    queue = FeedbackPage.objects.get()
    named, kept = Answer.objects.order_by("created")
    url = f"/admin/feedback/feedbackpage/{queue.pk}/change/"
    assert "Jane Doe" in staff_client.get(url).content.decode()
    response = staff_client.post(
        url,
        {
            "answers-TOTAL_FORMS": "2",
            "answers-INITIAL_FORMS": "2",
            "answers-MIN_NUM_FORMS": "0",
            "answers-MAX_NUM_FORMS": "1000",
            "answers-0-id": str(kept.pk),
            "answers-0-page": str(queue.pk),
            "answers-1-id": str(named.pk),
            "answers-1-page": str(queue.pk),
            "answers-1-DELETE": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(Answer.objects.all()) == [kept]


def test_old_comments_are_emptied_and_answers_kept(settings):
    from datetime import timedelta
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    settings.FEEDBACK_COMMENT_RETENTION_DAYS = 365
    condition = ConditionFactory()
    page = FeedbackPage.objects.create(
        content_type=ContentType.objects.get_for_model(Condition), object_id=condition.pk
    )
    old = Answer.objects.create(
        page=page,
        helpful=False,
        comment="My neighbour Jo said",
        created=timezone.now() - timedelta(days=366),
    )
    recent = Answer.objects.create(page=page, helpful=True, comment="Clear, thanks")
    out = StringIO()
    call_command("purge_feedback_comments", stdout=out)
    assert "Emptied 1 feedback comment(s) older than 365 days." in out.getvalue()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.comment, old.helpful) == ("", False)
    assert recent.comment == "Clear, thanks"
