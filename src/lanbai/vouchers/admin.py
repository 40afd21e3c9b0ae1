from django.contrib import admin

from .models import Scheme, Voucher

admin.site.register(Scheme)
admin.site.register(Voucher)
