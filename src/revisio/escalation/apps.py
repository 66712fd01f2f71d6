from django.apps import AppConfig


class EscalationConfig(AppConfig):
    name = "revisio.escalation"
    label = "escalation"
    verbose_name = "Escalation"
