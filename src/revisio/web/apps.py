from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "revisio.web"
    label = "web"
    verbose_name = "Web"
