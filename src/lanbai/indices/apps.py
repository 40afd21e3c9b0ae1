from django.apps import AppConfig


class IndicesConfig(AppConfig):
    name = "lanbai.indices"
    verbose_name = "发展指数 Development index"
