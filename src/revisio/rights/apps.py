from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "revisio.rights"
    label = "rights"
    verbose_name = "Data rights: export and deletion"
