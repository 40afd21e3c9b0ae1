from django.apps import AppConfig


class PoolsConfig(AppConfig):
    name = "lanbai.pools"
    label = "pools"
    verbose_name = "储备项目库与人才库"
