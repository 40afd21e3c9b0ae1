from django.urls import re_path

from . import views

urlpatterns = [
    re_path(r"^results/?$", views.IndexResultsApi.as_view(), name="indices-results"),
    re_path(r"^runs/?$", views.IndexRunListApi.as_view(), name="indices-runs"),
]
