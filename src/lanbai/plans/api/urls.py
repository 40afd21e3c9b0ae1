from rest_framework.routers import DefaultRouter

from .views import IndicatorViewSet, OrgUnitViewSet, TargetViewSet

router = DefaultRouter()
router.register("org-units", OrgUnitViewSet, basename="orgunit")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("targets", TargetViewSet, basename="target")
urlpatterns = router.urls
