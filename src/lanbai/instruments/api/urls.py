"""URLs of the instruments API (mounted at /api/instruments/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.InstrumentListApi.as_view(), name="instruments-list"),
    path("bookings/", views.BookingCreateApi.as_view(), name="instruments-booking-create"),
    path("sharing/", views.SharingTableApi.as_view(), name="instruments-sharing"),
]
