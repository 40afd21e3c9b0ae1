from django.urls import path

from . import views

urlpatterns = [
    path("releases/", views.ReleaseListApi.as_view(), name="reports-api-releases"),
    path("releases/<int:pk>/", views.ReleaseDetailApi.as_view(), name="reports-api-release"),
    path("values/", views.ValueListApi.as_view(), name="reports-api-values"),
    path("dictionary/", views.DictionaryApi.as_view(), name="reports-api-dictionary"),
    path("survey/<int:year>/", views.SurveyReportApi.as_view(), name="reports-api-survey"),
]
