from django.urls import path

from . import views

# The patterns (and names) DRF's DefaultRouter gave the former viewsets.
urlpatterns = [
    path("org-units/", views.OrgUnitListApi.as_view(), name="orgunit-list"),
    path("org-units/<str:code>/", views.OrgUnitDetailApi.as_view(), name="orgunit-detail"),
    path("indicators/", views.IndicatorListApi.as_view(), name="indicator-list"),
    path("indicators/<str:code>/", views.IndicatorDetailApi.as_view(), name="indicator-detail"),
    path("targets/", views.TargetListApi.as_view(), name="target-list"),
    path("targets/<int:pk>/", views.TargetDetailApi.as_view(), name="target-detail"),
]
