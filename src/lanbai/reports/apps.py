from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "lanbai.reports"
    verbose_name = "发布 Publications"
