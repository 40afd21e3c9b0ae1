from django.urls import path

from . import views

app_name = "contracts"
urlpatterns = [
    path("", views.contract_list, name="list"),
    path("new/", views.contract_new, name="new"),
    path("turnover/", views.turnover, name="turnover"),
    path("turnover/<quarter:period>/", views.turnover, name="turnover_period"),
    path("<int:pk>/", views.contract_detail, name="detail"),
    path("<int:pk>/edit/", views.contract_edit, name="edit"),
    path("<int:pk>/<str:verb>/", views.contract_act, name="act"),
]
