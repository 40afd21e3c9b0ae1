from django.apps import AppConfig


class ExecutionConfig(AppConfig):
    name = "lanbai.execution"
    verbose_name = "规划实施 Plan execution"
