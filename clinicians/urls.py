from django.urls import path

from . import views

app_name = "clinicians"
urlpatterns = [
    path("", views.clinician_index, name="index"),
    path("<slug:slug>/", views.clinician_detail, name="detail"),
]
