from django.urls import path

from . import views

app_name = "conditions"
urlpatterns = [
    path("", views.condition_index, name="index"),
    path("<slug:slug>/", views.condition_detail, name="detail"),
]
