from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "lanbai.registry"
    verbose_name = "登记管理 Registry"
