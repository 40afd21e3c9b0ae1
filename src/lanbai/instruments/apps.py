from django.apps import AppConfig


class InstrumentsConfig(AppConfig):
    name = "lanbai.instruments"
    label = "instruments"
    verbose_name = "大型科研仪器开放共享"
