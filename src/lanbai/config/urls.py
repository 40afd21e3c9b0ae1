"""URL configuration: web pages, the REST API and its OpenAPI schema (every app always installed)."""

from django.contrib import admin
from django.urls import include, path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from lanbai.collection import views as collection_views
from lanbai.common.periods import QuarterConverter

register_converter(QuarterConverter, "quarter")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/plans/", include("lanbai.plans.api.urls")),
    path("api/collection/", include("lanbai.collection.api.urls")),
    path("api/monitoring/", include("lanbai.monitoring.api.urls")),
    path("api/indices/", include("lanbai.indices.api.urls")),
    path("api/registry/", include("lanbai.registry.api.urls")),
    path("api/contracts/", include("lanbai.contracts.api.urls")),
    path("api/reports/", include("lanbai.reports.api.urls")),
    path("api/execution/", include("lanbai.execution.api.urls")),
    path("api/assessment/", include("lanbai.assessment.api.urls")),
    path("api/instruments/", include("lanbai.instruments.api.urls")),
    path("api/pools/", include("lanbai.pools.api.urls")),
    path("api/evaluation/", include("lanbai.evaluation.api.urls")),
    path("collection/", include("lanbai.collection.urls")),
    path("workbench/", collection_views.workbench, name="workbench"),
    path("monitoring/", include("lanbai.monitoring.urls")),
    path("registry/", include("lanbai.registry.urls")),
    path("contracts/", include("lanbai.contracts.urls")),
    path("reports/", include("lanbai.reports.urls")),
    path("measures/", include("lanbai.execution.urls")),
    path("assessment/", include("lanbai.assessment.urls")),
    path("survey/", include("lanbai.survey.urls")),
    path("api/survey/", include("lanbai.survey.api.urls")),
    path("instruments/", include("lanbai.instruments.urls")),
    path("pools/", include("lanbai.pools.urls")),
    path("evaluation/", include("lanbai.evaluation.urls")),
    path("api/vouchers/", include("lanbai.vouchers.api.urls")),
    path("vouchers/", include("lanbai.vouchers.urls")),
    path("", include("lanbai.web.urls")),
]
