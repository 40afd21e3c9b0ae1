from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "lanbai.plans"
    verbose_name = "规划 Plans"
