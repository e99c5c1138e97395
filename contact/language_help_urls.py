"""/language-help/: the notices of nondiscrimination and of free language help."""

from django.urls import path

from . import language_help

urlpatterns = [path("", language_help.page, name="language_help")]
