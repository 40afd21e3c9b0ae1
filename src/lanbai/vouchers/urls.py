from django.urls import path

from . import views

app_name = "vouchers"
urlpatterns = [
    path("", views.scheme_list, name="schemes"),
    path("apply/", views.application_new, name="apply"),
    path("queue/", views.queue, name="queue"),
    path("notice/", views.notice, name="notice"),
    path("report/", views.report, name="report"),
    path("applications/<int:pk>/<str:verb>/", views.application_act, name="application_act"),
    path("<int:pk>/", views.voucher_detail, name="detail"),
    path("<int:pk>/<str:verb>/", views.voucher_act, name="act"),
]
