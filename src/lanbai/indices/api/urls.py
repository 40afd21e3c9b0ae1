from django.urls import re_path

from . import views

urlpatterns = [
    re_path(r"^results/?$", views.ResultsView.as_view(), name="indices-results"),
    re_path(r"^runs/?$", views.RunsView.as_view(), name="indices-runs"),
]
