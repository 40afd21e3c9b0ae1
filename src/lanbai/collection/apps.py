from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "lanbai.collection"
    verbose_name = "统计直报 Collection"
