from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/file.<str:fmt>", views.download, name="download"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/correct/", views.correct, name="correct"),
    path("open-data/", views.open_data, name="open-data"),
    path("open-data/values.<str:fmt>", views.values_file, name="open-data-values"),
    path("open-data/dictionary/", views.dictionary, name="dictionary"),
    path("catalog.jsonld", views.catalog, name="catalog"),
]
