from django.urls import path

from . import views

urlpatterns = [
    path("measures/", views.MeasureListApi.as_view(), name="execution-api-measures"),
    path("measures/<str:code>/", views.MeasureDetailApi.as_view(), name="execution-api-measure"),
    path("measures/<str:code>/reports/", views.ProgressReportSaveApi.as_view(), name="execution-api-report-save"),
    path("reports/queue/", views.ProgressReportQueueApi.as_view(), name="execution-api-report-queue"),
    path("reports/<int:pk>/review/", views.ProgressReportReviewApi.as_view(), name="execution-api-report-review"),
    path("inspection/<quarter:period>/", views.HalfYearInspectionApi.as_view(), name="execution-api-inspection"),
]
