from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("platforms", views.RdPlatformViewSet, basename="registry-platform")
router.register("alliances", views.AllianceViewSet, basename="registry-alliance")
router.register("incubators", views.IncubatorViewSet, basename="registry-incubator")
router.register("clusters", views.ClusterViewSet, basename="registry-cluster")
router.register("recognitions", views.RecognitionViewSet, basename="registry-recognition")
router.register("candidates", views.CandidateViewSet, basename="registry-candidate")
router.register("enterprises", views.EnterpriseProfileViewSet, basename="registry-enterprise")
urlpatterns = [
    path("counts/", views.counts, name="registry-counts"),
    path("enterprises/<str:credit_code>/screening/", views.screening, name="registry-screening"),
    path(
        "enterprises/<str:credit_code>/policies/",
        views.enterprise_policies,
        name="registry-enterprise-policies",
    ),
    path("policy-match/", views.policy_match, name="registry-policy-match"),
    *router.urls,
]
