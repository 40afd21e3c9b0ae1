from django.urls import re_path

from . import views

urlpatterns = [
    re_path(r"^results/?$", views.ResultsView.as_view(), name="monitoring-results"),
    re_path(r"^series/?$", views.SeriesView.as_view(), name="monitoring-series"),
    re_path(r"^diagnosis/?$", views.DiagnosisView.as_view(), name="monitoring-diagnosis"),
    re_path(r"^outliers/?$", views.OutliersView.as_view(), name="monitoring-outliers"),
]
