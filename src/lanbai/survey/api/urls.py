"""URLs of the innovation survey API (mounted at /api/survey/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("rounds/", views.RoundListApi.as_view(), name="survey-api-rounds"),
    path("<int:year>/status/", views.RoundStatusApi.as_view(), name="survey-api-status"),
    path("<int:year>/estimates/", views.RoundEstimatesApi.as_view(), name="survey-api-estimates"),
    path("<int:year>/responses/<str:credit_code>/", views.ResponseApi.as_view(), name="survey-api-response"),
]
