from django.urls import path

from . import views

urlpatterns = [
    path("assignments/", views.AssignmentListApi.as_view(), name="evaluation-api-assignments"),
    path("assignments/<int:pk>/submit/", views.ReportSubmitApi.as_view(), name="evaluation-api-submit"),
]
