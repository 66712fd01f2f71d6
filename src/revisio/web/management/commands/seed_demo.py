"""``revisio manage seed_demo``: create (or reset) the demo patient and print the credentials."""

from typing import Any

from django.core.management.base import BaseCommand

from revisio.demo.seed import demo_seed
from revisio.directory.services import directory_sample_load


class Command(BaseCommand):
    help = "Create or reset the demo patient with a realistic case, and print how to sign in."

    def handle(self, *args: Any, **options: Any) -> None:
        account = demo_seed()
        directory_sample_load()  # the fictional clinics and translators of src/revisio/demo/directory_*.csv
        self.stdout.write(
            self.style.SUCCESS("Demo patient ready:")
            + f"\n  e-mail:   {account.email}\n  password: {account.password}\n"
        )
