from django.urls import re_path

from . import views

# The patterns (and names) DRF's DefaultRouter gave the former viewsets.
urlpatterns = [
    re_path(r"^org-units/$", views.OrgUnitListApi.as_view(), name="orgunit-list"),
    re_path(r"^org-units/(?P<code>[^/.]+)/$", views.OrgUnitDetailApi.as_view(), name="orgunit-detail"),
    re_path(r"^indicators/$", views.IndicatorListApi.as_view(), name="indicator-list"),
    re_path(r"^indicators/(?P<code>[^/.]+)/$", views.IndicatorDetailApi.as_view(), name="indicator-detail"),
    re_path(r"^targets/$", views.TargetListApi.as_view(), name="target-list"),
    re_path(r"^targets/(?P<pk>[^/.]+)/$", views.TargetDetailApi.as_view(), name="target-detail"),
]
