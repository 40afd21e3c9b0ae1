from django.urls import re_path

from . import views

urlpatterns = [
    re_path(r"^results/?$", views.MonitoringResultsApi.as_view(), name="monitoring-results"),
    re_path(r"^series/?$", views.IndicatorSeriesApi.as_view(), name="monitoring-series"),
    re_path(r"^diagnosis/?$", views.DiagnosisApi.as_view(), name="monitoring-diagnosis"),
    re_path(r"^outliers/?$", views.OutlierListApi.as_view(), name="monitoring-outliers"),
]
