from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "lanbai.evaluation"
    verbose_name = "第三方评估 Third-party evaluation"
