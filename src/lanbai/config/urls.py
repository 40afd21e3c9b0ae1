"""URL configuration: web pages, the REST API and its OpenAPI schema."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/plans/", include("lanbai.plans.api.urls")),
]


def _include_if_present(prefix: str, module: str) -> None:
    """Mount ``module`` at ``prefix`` if the app provides it (apps grow capability by capability)."""
    try:
        urlpatterns.append(path(prefix, include(module)))
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise


for _app in ("collection", "monitoring", "indices", "registry", "reports"):
    if f"lanbai.{_app}" in settings.INSTALLED_APPS:
        _include_if_present(f"api/{_app}/", f"lanbai.{_app}.api.urls")
        _include_if_present(f"{_app}/", f"lanbai.{_app}.urls")
urlpatterns.append(path("", include("lanbai.web.urls")))
