"""/privacy/, outside the contact/ prefix (spinesite.urls includes it at privacy/)."""

from django.urls import path

from . import views

urlpatterns = [path("", views.privacy, name="privacy")]
