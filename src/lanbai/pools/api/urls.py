"""URLs of the pools API (mounted at /api/pools/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("projects/", views.ProjectListApi.as_view(), name="pools-projects"),
    path("talents/", views.TalentListApi.as_view(), name="pools-talents"),
]
