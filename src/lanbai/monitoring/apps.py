from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "lanbai.monitoring"
    verbose_name = "监测预警 Monitoring"
