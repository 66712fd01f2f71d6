from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "revisio.accounts"
    label = "accounts"
    verbose_name = "Accounts"
