from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "lanbai.contracts"
    label = "contracts"
    verbose_name = "技术合同认定登记"
