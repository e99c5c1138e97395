"""'Was this page helpful?': readers' answers, per page, with no trace of the reader.

An answer is yes or no and, optionally, a short comment. Nothing identifies the
reader: no name, address, cookie or session (the rate limit keeps only a salted,
expiring hash of the connection's address; see spinesite.ratelimit).
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from spinesite import pagekinds

COMMENT_MAX_LENGTH = 1000


class FeedbackPageQuerySet(models.QuerySet):
    def review_queue(self):
        """Pages with their answers counted, the most "not helpful" first."""
        return (
            self.select_related("content_type")
            .prefetch_related("page")
            .annotate(
                no_count=models.Count("answers", filter=models.Q(answers__helpful=False)),
                yes_count=models.Count("answers", filter=models.Q(answers__helpful=True)),
                comment_count=models.Count("answers", filter=~models.Q(answers__comment="")),
                latest_answer=models.Max("answers__created"),
            )
            .order_by("-no_count", "-latest_answer")
        )


class FeedbackPage(models.Model):
    """A page readers have answered about; its answers are counted in admin."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    page = GenericForeignKey("content_type", "object_id")

    objects = FeedbackPageQuerySet.as_manager()

    class Meta:
        verbose_name = "page in the feedback review queue"
        verbose_name_plural = "feedback review queue"
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="one_feedback_page")
        ]

    def __str__(self):
        return str(self.page) if self.page is not None else "(deleted page)"


class Answer(models.Model):
    """One reader's answer to 'Was this page helpful?'."""

    page = models.ForeignKey(FeedbackPage, on_delete=models.CASCADE, related_name="answers")
    helpful = models.BooleanField()
    comment = models.TextField(blank=True, max_length=COMMENT_MAX_LENGTH)
    created = models.DateTimeField("answered", default=timezone.now)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return "Helpful" if self.helpful else "Not helpful"


def forget_page(sender, instance, **kwargs):
    """post_delete handler: a deleted page of a registered kind takes its feedback along."""
    if pagekinds.kind_of(sender) is None:
        return
    content_type = ContentType.objects.get_for_model(sender)
    FeedbackPage.objects.filter(content_type=content_type, object_id=instance.pk).delete()
