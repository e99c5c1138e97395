from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("", views.answer, name="answer"),
    path("<str:token>/", views.comment, name="comment"),
]
