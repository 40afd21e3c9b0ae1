from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("", views.evaluation_overview, name="overview"),
    path("<int:year>/measures/<str:code>/", views.evaluation_measure, name="measure"),
    path("<int:year>/measures/<str:code>/score/", views.evaluation_measure_score, name="measure-score"),
    path("<int:year>/measures/<str:code>/evidence/<int:pk>/", views.evaluation_measure_evidence,
         name="measure-evidence"),
    path("<int:year>/<str:code>/", views.evaluation_unit, name="unit"),
    path("<int:year>/<str:code>/score/", views.evaluation_score, name="score"),
    path("<int:year>/<str:code>/evidence/<int:pk>/", views.evaluation_evidence, name="evidence"),
    path("assignments/<int:pk>/submit/", views.evaluation_submit, name="submit"),
    path("assignments/<int:pk>/retire/", views.organisation_post, {"form": "retire_form"}, name="retire"),
    path("reports/<int:pk>/review/", views.evaluation_review, name="review"),
    path("organisations/new/", views.organisation_new, name="organisation-new"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation"),
    path("organisations/<int:pk>/members/", views.organisation_post, {"form": "member_form"},
         name="organisation-member"),
    path("organisations/<int:pk>/assign/", views.organisation_post, {"form": "assign_form"},
         name="organisation-assign"),
    path("organisations/<int:pk>/conflicts/", views.organisation_post, {"form": "conflict_form"},
         name="organisation-conflict"),
]
