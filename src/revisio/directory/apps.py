from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "revisio.directory"
    label = "directory"
    verbose_name = "Directory of clinics and translators"
