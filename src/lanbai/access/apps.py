from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "lanbai.access"
    label = "access"
    verbose_name = "权限 Access"
