from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "revisio.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from revisio.accounts.signals import session_clock_start

        user_logged_in.connect(session_clock_start, dispatch_uid="revisio.accounts.session_clock_start")
