from django.contrib import admin

from .models import Booking, Instrument, UsageRecord

admin.site.register(Instrument)
admin.site.register(Booking)
admin.site.register(UsageRecord)
