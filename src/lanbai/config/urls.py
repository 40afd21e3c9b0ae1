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
for _app in ("collection", "monitoring", "indices", "registry", "reports"):
    if f"lanbai.{_app}" in settings.INSTALLED_APPS:
        try:
            urlpatterns.append(path(f"api/{_app}/", include(f"lanbai.{_app}.api.urls")))
        except ModuleNotFoundError:
            pass
        try:
            urlpatterns.append(path(f"{_app}/", include(f"lanbai.{_app}.urls")))
        except ModuleNotFoundError:
            pass
urlpatterns.append(path("", include("lanbai.web.urls")))
