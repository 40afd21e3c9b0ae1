"""URLs of the contracts API (mounted at /api/contracts/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.ContractListApi.as_view(), name="contracts-list"),
    path("turnover/", views.ContractTurnoverApi.as_view(), name="contracts-turnover"),
    path("<int:pk>/", views.ContractDetailApi.as_view(), name="contracts-detail"),
    path("<int:pk>/submit/", views.ContractSubmitApi.as_view(), name="contracts-submit"),
    path("<int:pk>/accept/", views.ContractAcceptApi.as_view(), name="contracts-accept"),
    path("<int:pk>/return/", views.ContractReturnApi.as_view(), name="contracts-return"),
    path("<int:pk>/register/", views.ContractRegisterApi.as_view(), name="contracts-register"),
    path("<int:pk>/refuse/", views.ContractRefuseApi.as_view(), name="contracts-refuse"),
    path("<int:pk>/amend/", views.ContractAmendApi.as_view(), name="contracts-amend"),
    path("<int:pk>/revoke/", views.ContractRevokeApi.as_view(), name="contracts-revoke"),
]
