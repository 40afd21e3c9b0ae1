from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("", views.evaluation_overview, name="overview"),
    path("<int:year>/<str:code>/", views.evaluation_unit, name="unit"),
    path("<int:year>/<str:code>/score/", views.evaluation_score, name="score"),
    path("<int:year>/<str:code>/evidence/<int:pk>/", views.evaluation_evidence, name="evidence"),
    path("assignments/<int:pk>/submit/", views.evaluation_submit, name="submit"),
    path("assignments/<int:pk>/retire/", views.assignment_retire, name="retire"),
    path("reports/<int:pk>/review/", views.evaluation_review, name="review"),
    path("organisations/new/", views.organisation_new, name="organisation-new"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation"),
    path("organisations/<int:pk>/members/", views.organisation_member_add, name="organisation-member"),
    path("organisations/<int:pk>/assign/", views.organisation_assign, name="organisation-assign"),
    path("organisations/<int:pk>/conflicts/", views.organisation_conflict, name="organisation-conflict"),
]
