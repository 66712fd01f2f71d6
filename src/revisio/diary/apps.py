from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "revisio.diary"
    label = "diary"
    verbose_name = "Recovery diary"
