from django.apps import AppConfig


class AgencyConfig(AppConfig):
    name = "revisio.agency"
    label = "agency"
    verbose_name = "Agency dashboard"
