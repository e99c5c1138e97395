from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("conditions/", include("conditions.urls")),
    # django-markdownx's own views answer anyone; these answer staff only.
    path("markdownx/markdownify/", views.markdown_preview, name="markdownx_markdownify"),
    path("markdownx/upload/", views.image_upload, name="markdownx_upload"),
    path("admin/", admin.site.urls),
    # Uploaded images. Small enough to serve from Django; a busy site puts them
    # behind the web server or object storage instead.
    re_path(r"^media/(?P<path>.+)$", serve, {"document_root": settings.MEDIA_ROOT}),
]
