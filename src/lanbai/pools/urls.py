from django.urls import path

from . import views

app_name = "pools"
urlpatterns = [
    path("", views.project_list, name="project-list"),
    path("projects/new/", views.project_new, name="project-new"),
    path("projects/<int:pk>/", views.project_detail, name="project-detail"),
    path("projects/<int:pk>/advance/", views.project_advance, name="project-advance"),
    path("talents/", views.talent_list, name="talent-list"),
    path("talents/new/", views.talent_new, name="talent-new"),
    path("talents/<int:pk>/", views.talent_detail, name="talent-detail"),
    path("talents/<int:pk>/withdraw/", views.talent_withdraw, name="talent-withdraw"),
]
