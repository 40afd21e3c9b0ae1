from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("", views.evaluation_overview, name="overview"),
    path("<int:year>/<str:code>/", views.evaluation_unit, name="unit"),
    path("<int:year>/<str:code>/score/", views.evaluation_score, name="score"),
    path("assignments/<int:pk>/submit/", views.evaluation_submit, name="submit"),
    path("reports/<int:pk>/review/", views.evaluation_review, name="review"),
]
