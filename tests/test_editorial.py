"""Review dates and reading levels: in admin and in `manage.py content_report`."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from conditions.models import Condition
from spinesite import editorial
from tests.factories import ConditionFactory, VideoFactory

pytestmark = pytest.mark.django_db

EASY = "## What is it?\n\nYour back hurts. It often gets better. Walk a bit each day.\n"
HARD = (
    "## Pathophysiology\n\nDegenerative spondylolisthesis, characteristically accompanied by "
    "considerable intervertebral instability, frequently necessitates comprehensive "
    "multidisciplinary evaluation incorporating neurophysiological investigations and "
    "sophisticated radiological interpretation before definitive surgical intervention "
    "is contemplated by experienced practitioners.\n"
)


def days_from_today(days):
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def review_dates():
    return {
        "Overdue": ConditionFactory(title="Overdue", next_review_due=days_from_today(-3)),
        "Soon": ConditionFactory(title="Soon", next_review_due=days_from_today(30)),
        "Later": ConditionFactory(title="Later", next_review_due=days_from_today(31)),
        "Undated": ConditionFactory(title="Undated", next_review_due=None),
        "Draft due": ConditionFactory(
            title="Draft due", next_review_due=days_from_today(5), status=Condition.Status.DRAFT
        ),
    }


def test_due_for_review_lists_overdue_and_next_30_days_soonest_first(review_dates):
    due = editorial.due_for_review()
    assert [item.page.title for item in due] == ["Overdue", "Draft due", "Soon"]
    assert [item.overdue for item in due] == [True, False, False]


def test_reading_grade_tells_easy_from_hard():
    easy = editorial.reading_grade(ConditionFactory(body=EASY).body_html)
    hard = editorial.reading_grade(ConditionFactory(body=HARD).body_html)
    assert easy <= editorial.GRADE_TARGET < hard
    assert editorial.reading_grade("") is None


def test_headings_and_list_items_count_as_sentences():
    # Ten short bullet points are not one 40-word sentence.
    bullets = "## Ways to ease the pain\n\n" + "".join(
        f"- Use a warm pack {n}\n" for n in range(10)
    )
    text = editorial.sentences(ConditionFactory(body=bullets).body_html)
    assert text.startswith("Ways to ease the pain. Use a warm pack 0. Use a warm pack 1.")
    assert editorial.reading_grade(ConditionFactory(body=bullets).body_html) < 4


def test_content_report_prints_due_pages_and_reading_grades(review_dates):
    ConditionFactory(title="Hard page", body=HARD)
    out = StringIO()
    call_command("content_report", stdout=out)
    report = out.getvalue()
    due_part, grades_part = report.split("Reading grade")
    assert "OVERDUE" in due_part and "Condition: Overdue (published)" in due_part
    assert "Condition: Soon" in due_part and "Condition: Draft due (draft)" in due_part
    assert "Later" not in due_part and "Undated" not in due_part
    lines = [line for line in grades_part.splitlines() if "Condition:" in line]
    assert "TOO HARD" in lines[0] and "Hard page" in lines[0]  # hardest first
    assert len(lines) == Condition.objects.count()
    assert "3 page(s) due for review; 1 page(s) above grade 8." in report


def test_content_report_grades_video_transcripts():
    VideoFactory(title="Hard video", transcript=HARD)
    out = StringIO()
    call_command("content_report", stdout=out)
    assert re.search(r"TOO HARD\s+Video: Hard video \(published\)", out.getvalue())


def test_content_report_window_is_an_option(review_dates):
    out = StringIO()
    call_command("content_report", "--days", "60", stdout=out)
    assert "Condition: Later" in out.getvalue()


def test_admin_filters_pages_by_review_date(staff_client, review_dates):
    html = staff_client.get("/admin/conditions/condition/", {"review_due": "due"}).content.decode()
    for title in ["Overdue", "Soon", "Draft due"]:
        assert f">{title}</a>" in html
    for title in ["Later", "Undated"]:
        assert f">{title}</a>" not in html
    html = staff_client.get(
        "/admin/conditions/condition/", {"review_due": "overdue"}
    ).content.decode()
    assert ">Overdue</a>" in html and ">Soon</a>" not in html


def test_admin_home_lists_due_reviews_and_unhelpful_pages(staff_client, client, review_dates):
    page = review_dates["Later"]
    client.post("/feedback/", {"page": f"conditions.condition:{page.pk}", "helpful": "no"})
    html = staff_client.get("/admin/").content.decode()
    assert "Due for clinical review" in html
    assert "Overdue since" in html and ">Overdue</a>" in html and ">Soon</a>" in html
    assert "Pages readers found unhelpful" in html and ">Later</a>" in html


def test_editors_without_access_do_not_see_the_lists(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True))  # staff, but no permissions
    html = client.get("/admin/").content.decode()
    assert "Due for clinical review" not in html and "found unhelpful" not in html


def test_reading_level_is_shown_but_never_blocks_a_save(staff_client):
    page = ConditionFactory(title="Hard page", slug="hard-page", body=HARD)
    url = f"/admin/conditions/condition/{page.pk}/change/"
    assert "harder than grade 8" in staff_client.get(url).content.decode()
    data = {
        "title": "Hard page",
        "slug": "hard-page",
        "summary": "Still hard.",
        "region": Condition.Region.LOWER_BACK,
        "body": HARD + "\nEven more polysyllabic terminology.\n",
        "status": Condition.Status.PUBLISHED,
    }
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page.refresh_from_db()
    assert page.summary == "Still hard."


def test_videos_due_for_review_are_listed_and_filtered(staff_client):
    VideoFactory(title="Overdue video", next_review_due=days_from_today(-1))
    VideoFactory(title="Later video", next_review_due=days_from_today(60))
    ConditionFactory(title="Soon page", next_review_due=days_from_today(2))
    assert [item.page.title for item in editorial.due_for_review()] == [
        "Overdue video",
        "Soon page",
    ]
    html = staff_client.get("/admin/videos/video/", {"review_due": "due"}).content.decode()
    assert ">Overdue video</a>" in html and ">Later video</a>" not in html
    output = StringIO()
    call_command("content_report", stdout=output)
    assert "Overdue video" in output.getvalue()
