from django.urls import path

from . import views

urlpatterns = [
    path("reports/", views.ReportSubmitJsonApi.as_view(), name="collection-api-report"),
    path("uploads/", views.UploadCreateApi.as_view(), name="collection-api-upload"),
    path("submissions/", views.SubmissionListApi.as_view(), name="collection-api-submissions"),
    path("submissions/<int:pk>/", views.SubmissionDetailApi.as_view(), name="collection-api-submission"),
    path("submissions/<int:pk>/submit/", views.SubmissionSubmitApi.as_view(), name="collection-api-submit"),
    path("submissions/<int:pk>/review/", views.SubmissionReviewApi.as_view(), name="collection-api-review"),
    path(
        "submissions/<int:pk>/final-approve/",
        views.SubmissionFinalApproveApi.as_view(),
        name="collection-api-final",
    ),
    path("review-queue/", views.ReviewQueueApi.as_view(), name="collection-api-queue"),
    path("completeness/", views.CompletenessApi.as_view(), name="collection-api-completeness"),
]
