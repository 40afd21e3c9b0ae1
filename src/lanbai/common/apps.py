from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "lanbai.common"
    verbose_name = "公共 Common"
