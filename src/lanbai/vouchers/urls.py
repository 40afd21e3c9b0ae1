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
    path("uses/<int:pk>/claim/", views.claim_new, name="claim_new"),
    path("claims/<int:pk>/", views.claim_detail, name="claim"),
    path("claims/<int:pk>/<str:verb>/", views.claim_review, name="claim_review"),
    path("documents/<int:pk>/", views.claim_document, name="document"),
    path("provider/", views.provider_uses, name="provider"),
    path("related/", views.related_list, name="related"),
    path("related/<int:pk>/remove/", views.related_remove, name="related_remove"),
    path("<int:pk>/", views.voucher_detail, name="detail"),
    path("<int:pk>/<str:verb>/", views.voucher_act, name="act"),
]
