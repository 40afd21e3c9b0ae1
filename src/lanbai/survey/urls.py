from django.urls import path

from . import views

app_name = "survey"

urlpatterns = [
    path("", views.survey_index, name="index"),
    path("<int:year>/", views.survey_year, name="year"),
    path("<int:year>/<str:credit_code>/", views.answer, name="answer"),
    path("<int:year>/<str:credit_code>/questionnaire.xlsx", views.answer_xlsx, name="answer_xlsx"),
    path("<int:year>/<str:credit_code>/upload/", views.answer_upload, name="answer_upload"),
    path("<int:year>/<str:credit_code>/remind/", views.remind, name="remind"),
]
