"""URLs of the 创新券 API (mounted at /api/vouchers/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("schemes/", views.SchemeListApi.as_view(), name="vouchers-schemes"),
    path("applications/", views.ApplicationCreateApi.as_view(), name="vouchers-apply"),
    path("report/", views.VoucherReportApi.as_view(), name="vouchers-report"),
    path("uses/<int:pk>/claim/", views.RedemptionClaimApi.as_view(), name="vouchers-claim"),
    path("<str:number>/instrument-use/", views.VoucherUseInstrumentApi.as_view(), name="vouchers-instrument-use"),
]
