from django.contrib import admin

from .models import Assignment, ConflictDeclaration, EvaluatorOrganisation

admin.site.register(EvaluatorOrganisation)
admin.site.register(Assignment)
admin.site.register(ConflictDeclaration)
