from django.urls import path

from . import views

urlpatterns = [
    path("<int:year>/", views.AssessmentResultApi.as_view(), name="assessment-api-result"),
    path("<int:year>/compute/", views.AssessmentComputeApi.as_view(), name="assessment-api-compute"),
    path("<int:year>/<str:code>/", views.AssessmentUnitApi.as_view(), name="assessment-api-unit"),
]
