from django.apps import AppConfig


class SurveyConfig(AppConfig):
    name = "lanbai.survey"
    verbose_name = "创新调查 Innovation survey"
