from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from spinesite import pagekinds

from .models import Answer, FeedbackPage


class KindFilter(admin.SimpleListFilter):
    """Filter by kind of page: only the registered kinds (spinesite.pagekinds), not every
    model with a content type."""

    title = "kind of page"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(kind.key, kind.label) for kind in pagekinds.kinds()]

    def queryset(self, request, queryset):
        kind = next((k for k in pagekinds.kinds() if k.key == self.value()), None)
        if kind is None:
            return queryset
        return queryset.filter(content_type=ContentType.objects.get_for_model(kind.model))


class AnswerInline(admin.TabularInline):
    """The answers about one page, newest first. Delete a comment that names someone."""

    model = Answer
    fields = ["helpful", "comment", "created"]
    readonly_fields = fields
    extra = 0
    can_delete = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FeedbackPage)
class FeedbackPageAdmin(admin.ModelAdmin):
    """The review queue: pages readers found unhelpful most often come first."""

    list_display = ["title", "kind", "not_helpful", "helpful", "comments", "latest"]
    list_filter = [KindFilter]
    inlines = [AnswerInline]
    readonly_fields = ["page_link", "not_helpful", "helpful", "comments", "latest"]
    fields = readonly_fields

    def get_queryset(self, request):
        return super().get_queryset(request).review_queue()

    def has_add_permission(self, request):
        return False

    @admin.display(description="page")
    def title(self, obj):
        return str(obj)

    @admin.display(description="kind", ordering="content_type")
    def kind(self, obj):
        return obj.content_type.name.capitalize()

    @admin.display(description="not helpful", ordering="no_count")
    def not_helpful(self, obj):
        return obj.no_count

    @admin.display(description="helpful", ordering="yes_count")
    def helpful(self, obj):
        return obj.yes_count

    @admin.display(description="comments", ordering="comment_count")
    def comments(self, obj):
        return obj.comment_count

    @admin.display(description="latest answer", ordering="latest_answer")
    def latest(self, obj):
        return obj.latest_answer

    @admin.display(description="page")
    def page_link(self, obj):
        if obj.page is None:
            return "(deleted page)"
        opts = obj.page._meta
        try:
            edit = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.object_id]
            )
        except NoReverseMatch:
            edit = None
        public = obj.page.get_absolute_url()
        if edit:
            return format_html(
                '{} (<a href="{}">edit</a>, <a href="{}">view on site</a>)', obj, edit, public
            )
        return format_html('{} (<a href="{}">view on site</a>)', obj, public)
