from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("compute/", views.assessment_compute, name="compute"),
    path("<int:year>/<str:code>/", views.assessment_unit, name="unit"),
]
