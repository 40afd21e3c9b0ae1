from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "lanbai.web"
    verbose_name = "网站 Web"
