from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("", views.index, name="index"),
    path("enterprises/", views.enterprise_list, name="enterprises"),
    path("enterprises/<str:credit_code>/", views.enterprise_detail, name="enterprise"),
    path("<str:kind>/", views.registry_list, name="list"),
]
