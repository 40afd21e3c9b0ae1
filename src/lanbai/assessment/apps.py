from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "lanbai.assessment"
    verbose_name = "目标责任制考核 Annual assessment"
