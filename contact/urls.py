from django.urls import path

from . import views

app_name = "contact"
urlpatterns = [
    path("", views.consultation_request, name="form"),
    path("thanks/", views.thanks, name="thanks"),
]
