from django.urls import path

from . import views

urlpatterns = [
    path("outliers/", views.outliers_page, name="monitoring-outliers-page"),
    path("diagnosis/", views.diagnosis_page, name="monitoring-diagnosis-page"),
]
