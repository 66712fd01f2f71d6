"""The database part of a backup: a consistent snapshot, and putting one back.

SQLite is copied with SQLite's online backup API (through the same connection Django uses), which reads
one consistent state of the database even while the server writes to it. PostgreSQL is dumped with
``pg_dump --format=custom`` (a consistent snapshot too) and restored with ``pg_restore --clean
--if-exists`` in a single transaction, so a restore that fails half-way changes nothing.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.apps import apps
from django.db import connection, connections

#: Rows ``migrate`` itself writes: a database holding only these is empty.
_MIGRATE_WRITES = frozenset({"contenttypes.contenttype", "auth.permission"})


class BackupRefused(Exception):
    """The backup or restore cannot go ahead as asked; the message says why and what to do."""


class BackupFailed(Exception):
    """A tool or the database failed while backing up or restoring."""


def vendor() -> str:
    """``sqlite`` or ``postgresql``: the databases Revisio backs up."""
    if connection.vendor not in ("sqlite", "postgresql"):
        raise BackupRefused(f"backing up a {connection.vendor} database is not supported (SQLite or PostgreSQL)")
    return connection.vendor


def file_name() -> str:
    return "database.sqlite3" if vendor() == "sqlite" else "database.pgdump"


def dump(target: Path) -> None:
    """Write a consistent snapshot of the configured database to ``target`` (a new file)."""
    if vendor() == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        return
    _run([_tool("pg_dump"), "--format=custom", "--file", str(target), *_pg_connection_args()], "pg_dump")


def check(path: Path, database_vendor: str) -> None:
    """Refuse a database file that is not what the manifest says, before anything is changed."""
    if database_vendor != vendor():
        raise BackupRefused(
            f"the backup holds a {database_vendor} database but Revisio is configured for {vendor()}: "
            "restore it into the same kind of database (DATABASE_URL)"
        )
    if database_vendor == "sqlite":
        copy = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = copy.execute("PRAGMA integrity_check").fetchone()
        except sqlite3.DatabaseError as error:
            raise BackupRefused(f"the database in the backup is not a readable SQLite file: {error}") from None
        finally:
            copy.close()
        if result != ("ok",):
            raise BackupRefused(f"the database in the backup fails SQLite's integrity check: {result[0]}")
        return
    _run([_tool("pg_restore"), "--list", str(path)], "pg_restore --list")


def restore(path: Path) -> None:
    """Replace the configured database's contents with the snapshot at ``path``.

    Precondition: ``check(path, ...)`` passed and nothing else is using the database (the server is
    stopped): a running server would keep answering from the data being replaced.
    """
    if vendor() == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)  # replaces every page of the live database at once
        finally:
            source.close()
    else:
        connections.close_all()  # our own idle connection would hold no lock, but close it anyway
        _run(
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--single-transaction",
                "--exit-on-error",
                "--no-owner",
                "--no-privileges",
                *_pg_connection_args(),
                str(path),
            ],
            "pg_restore",
        )
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()  # the restored rows may number content types differently


def holds_data() -> bool:
    """Whether the configured database holds anything beyond what ``migrate`` writes (accounts, cases,
    audit entries, ...). A database that was never migrated holds nothing."""
    tables = set(connection.introspection.table_names())
    for model in apps.get_models():
        if model._meta.label_lower in _MIGRATE_WRITES or model._meta.db_table not in tables:
            continue
        if model._base_manager.exists():
            return True
    return False


def migration_state() -> dict[str, str]:
    """The last migration applied of each app, for the manifest (which version the data is at)."""
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupRefused(
            f"{name} is not installed: install the PostgreSQL client tools of your server's major version "
            f"(e.g. 'apt-get install postgresql-client-15') so that {name} is on the PATH"
        )
    return found


def _pg_connection_args() -> list[str]:
    settings = connection.settings_dict
    args = ["--dbname", str(settings["NAME"])]
    if settings.get("HOST"):
        args += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", str(settings["USER"])]
    return args


def _pg_environment() -> dict[str, str]:
    """The password and TLS options go through libpq's environment, never the command line (``ps`` shows it)."""
    settings = connection.settings_dict
    environment = dict(os.environ)
    if settings.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings["PASSWORD"])
    options = settings.get("OPTIONS") or {}
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if options.get(option):
            environment[variable] = str(options[option])
    return environment


def _run(command: list[str], what: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, env=_pg_environment(), check=False)
    if result.returncode != 0:
        raise BackupFailed(f"{what} failed (exit {result.returncode}): {result.stderr.strip()[-2000:]}")
