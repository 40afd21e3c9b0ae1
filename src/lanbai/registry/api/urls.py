"""URLs of the registry API (the paths the former router gave, with its URL names)."""

from django.urls import path

from . import views

urlpatterns = [
    path("counts/", views.RegistryCountsApi.as_view(), name="registry-counts"),
    path(
        "enterprises/<str:credit_code>/screening/",
        views.EnterpriseScreeningApi.as_view(),
        name="registry-screening",
    ),
    path(
        "enterprises/<str:credit_code>/policies/",
        views.EnterprisePolicyListApi.as_view(),
        name="registry-enterprise-policies",
    ),
    path("policy-match/", views.PolicyMatchApi.as_view(), name="registry-policy-match"),
    path("platforms/", views.RdPlatformListApi.as_view(), name="registry-platform-list"),
    path("platforms/<str:pk>/", views.RdPlatformDetailApi.as_view(), name="registry-platform-detail"),
    path("alliances/", views.AllianceListApi.as_view(), name="registry-alliance-list"),
    path("alliances/<str:pk>/", views.AllianceDetailApi.as_view(), name="registry-alliance-detail"),
    path("incubators/", views.IncubatorListApi.as_view(), name="registry-incubator-list"),
    path("incubators/<str:pk>/", views.IncubatorDetailApi.as_view(), name="registry-incubator-detail"),
    path("clusters/", views.ClusterListApi.as_view(), name="registry-cluster-list"),
    path("clusters/<str:pk>/", views.ClusterDetailApi.as_view(), name="registry-cluster-detail"),
    path("recognitions/", views.RecognitionListApi.as_view(), name="registry-recognition-list"),
    path("recognitions/<str:pk>/", views.RecognitionDetailApi.as_view(), name="registry-recognition-detail"),
    path("candidates/", views.CandidateListApi.as_view(), name="registry-candidate-list"),
    path("candidates/<str:pk>/", views.CandidateDetailApi.as_view(), name="registry-candidate-detail"),
    path("enterprises/", views.EnterpriseProfileListApi.as_view(), name="registry-enterprise-list"),
    path(
        "enterprises/<str:credit_code>/",
        views.EnterpriseProfileDetailApi.as_view(),
        name="registry-enterprise-detail",
    ),
]
