from django.urls import path

from . import views

app_name = "survey"

urlpatterns = [
    path("<int:year>/", views.survey_year, name="year"),
]
