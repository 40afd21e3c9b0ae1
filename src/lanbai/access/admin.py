"""Users' roles and scopes in the admin."""

from django.contrib import admin

from .models import UserScope


@admin.register(UserScope)
class UserScopeAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "org_unit"]
    list_filter = ["role"]
