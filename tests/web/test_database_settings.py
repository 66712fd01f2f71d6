"""Connection settings the pages' speed depends on."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgresql_compiles_no_query_just_in_time() -> None:
    """JIT compiling cost the agency dashboard 0.9 s a request for 0.08 s of work (docs/performance.md)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no JIT")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
