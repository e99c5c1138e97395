"""Editor checks at save: advice (a warning), never a refusal."""

import pytest
from django.urls import reverse

from conditions.models import Condition
from feedback.models import FeedbackPage
from spinesite.contentcheck import editor_advice
from tests.admin_forms import change_form
from tests.factories import ConditionFactory, VideoFactory
from tests.test_page_editing import change_url, editor

pytestmark = pytest.mark.django_db


def test_advice_names_each_problem():
    ConditionFactory(slug="sciatica")
    ConditionFactory(slug="hidden", status=Condition.Status.DRAFT)
    page = ConditionFactory(
        body="# Big title\n\n## Fine\n\n#### Skipped a level\n\n"
        "![Describe the image](/media/uploads/a.png)\n\n![](/media/uploads/b.png)\n\n"
        "![A spine model](/media/uploads/c.png)\n\n"
        "[](/conditions/sciatica/) [ok](/conditions/sciatica/) [draft](/conditions/hidden/) "
        "[gone](/conditions/nowhere/) [odd](/no/such/place/) [web](https://example.org/)"
    )
    advice = editor_advice(page)
    text = "\n".join(advice)
    assert "a.png has no description" in text and "b.png has no description" in text
    assert "c.png" not in text
    assert 'single "#"' in text
    assert 'The heading "Skipped a level" skips a level (h4 after h2)' in text
    assert "A link to /conditions/sciatica/ has no words" in text
    assert "/conditions/hidden/ leads to a page that is not published" in text
    assert "/conditions/nowhere/ leads to a page that is not published" in text
    assert "/no/such/place/ leads to no page" in text
    assert "example.org" not in text and "[ok]" not in text
    assert len(advice) == 8


def test_a_clean_page_gets_no_advice():
    assert editor_advice(ConditionFactory()) == []
    assert editor_advice(VideoFactory(transcript="### Part\n\n![](/media/x.png)")) != []


def test_admin_warns_after_saving_and_saves_anyway():
    page = ConditionFactory()
    staff = editor()
    data = change_form(staff, change_url(page))
    data["body"] = "## One\n\n![Describe the image](/media/uploads/spine.png)"
    response = staff.post(change_url(page), data, follow=True)
    html = response.content.decode()
    assert "The image spine.png has no description" in html
    assert "warning" in html
    page.refresh_from_db()
    assert "spine.png" in page.body


def test_feedback_queue_filters_by_registered_kinds_only():
    FeedbackPage.objects.create(page=ConditionFactory(title="A condition"))
    FeedbackPage.objects.create(page=VideoFactory(title="A video"))
    staff = editor()
    url = reverse("admin:feedback_feedbackpage_changelist")
    html = staff.get(url).content.decode()
    filters = html[html.index('id="changelist-filter"') :]
    filters = filters[: filters.index("</nav>")]
    assert "kind=conditions.Condition" in filters and "kind=videos.Video" in filters
    assert "content_type" not in filters and "consultation" not in filters.lower()
    filtered = staff.get(url, {"kind": "videos.Video"}).content.decode()
    assert "A video" in filtered and "A condition" not in filtered
