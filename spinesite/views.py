from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from conditions.models import Condition

from .images import ImageUploadForm
from .markdown import render_markdown


def home(request):
    featured = Condition.objects.published().filter(featured=True)
    return render(request, "home.html", {"featured": featured})


def staff_only(view):
    """403 for anyone but active staff: the editor's endpoints are not public services."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@require_POST
@staff_only
def markdown_preview(request):
    return HttpResponse(render_markdown(request.POST.get("content", "")))


@require_POST
@staff_only
def image_upload(request):
    form = ImageUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse({"error": " ".join(form.errors["image"])}, status=400)
    return JsonResponse({"image_code": f"![Describe the image]({form.save()})"})
