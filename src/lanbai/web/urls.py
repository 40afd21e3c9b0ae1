from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("zones/<str:code>/", views.zone_detail, name="zone-detail"),
    path("indicators/<str:code>/", views.indicator_detail, name="indicator-detail"),
    path("index/", views.development_index, name="development-index"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("plan/", views.plan_data, name="plan-data"),
]
