from django.apps import AppConfig


class DossierConfig(AppConfig):
    name = "revisio.dossier"
    label = "dossier"
    verbose_name = "Evidence dossiers"
