from django.urls import path

from . import views

app_name = "instruments"
urlpatterns = [
    path("", views.instrument_list, name="list"),
    path("queue/", views.booking_queue, name="queue"),
    path("new/", views.instrument_new, name="new"),
    path("sharing/", views.sharing, name="sharing"),
    path("export.xlsx", views.export, name="export"),
    path("<int:pk>/", views.instrument_detail, name="detail"),
    path("<int:pk>/book/", views.booking_new, name="book"),
    path("bookings/<int:pk>/usage/", views.usage_new, name="usage"),
    path("bookings/<int:pk>/<str:verb>/", views.booking_act, name="act"),
]
