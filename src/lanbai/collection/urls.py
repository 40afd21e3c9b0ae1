from django.urls import path

from . import views

app_name = "collection"
urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("templates/", views.template_download, name="templates"),
    path("entry/<str:unit_code>/<quarter:period>/", views.zone_entry, name="entry"),
    path("enterprise/<str:credit_code>/<quarter:period>/", views.enterprise_entry, name="enterprise_entry"),
    path("queue/", views.queue, name="queue"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("submissions/<int:pk>/<str:action>/", views.submission_action, name="action"),
    path("completeness/", views.completeness, name="completeness"),
    path("late/", views.late_requests, name="late"),
    path("completeness/matrix/", views.completeness_matrix, name="matrix"),
    path("queue/approve/", views.queue_approve_bulk, name="approve_bulk"),
    path("remind/", views.remind, name="remind"),
]
