from django.urls import path

from . import views

app_name = "execution"

urlpatterns = [
    path("", views.measure_list, name="list"),
    path("review/", views.review_queue, name="review"),
    path("reports/<int:pk>/review/", views.report_review, name="report-review"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("releases/", views.release_list, name="releases"),
    path("feedback/", views.feedback_queue, name="feedback"),
    path("feedback/<int:pk>/handle/", views.feedback_handle, name="feedback-handle"),
    path("public/", views.public_index, name="public"),
    path("public/<str:group>/", views.public_group, name="public-group"),
    path("<str:code>/", views.measure_detail, name="detail"),
    path("<str:code>/report/", views.report_form, name="report"),
]
