from django.urls import path

from .me import MeView

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
]
