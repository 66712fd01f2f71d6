from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "revisio.cases"
    label = "cases"
    verbose_name = "Cases"
