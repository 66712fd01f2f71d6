from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "revisio.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        # Thin adapters: Django announces sign-ins and sign-outs only through these signals.
        from revisio.audit import checks, signals  # noqa: F401
