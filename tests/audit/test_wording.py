"""Every page and endpoint that reaches a case has plain words on the access log: a new one without them
fails here (add them to ``revisio/audit/wording.py``)."""

from __future__ import annotations

import ast
from pathlib import Path

from django.urls import get_resolver
from django.urls.resolvers import URLPattern, URLResolver

import revisio.audit
from revisio.audit.wording import PHRASES


def _case_routes(patterns: list[object], prefix: str = "", namespace: str = "") -> dict[str, str]:
    """Route name by URL pattern, for patterns with a ``case_id``; the first name of a path, as resolving
    a URL finds it (the API names one route per path, whatever the method)."""
    found: dict[str, str] = {}
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            for path, name in _case_routes(pattern.url_patterns, prefix + str(pattern.pattern), inner).items():
                found.setdefault(path, name)
        elif isinstance(pattern, URLPattern) and pattern.name and "case_id" in str(pattern.pattern):
            found.setdefault(prefix + str(pattern.pattern), f"{namespace}:{pattern.name}")
    return found


def test_every_route_to_a_case_has_words() -> None:
    routes = _case_routes(get_resolver().url_patterns)
    assert len(routes) > 40
    missing = sorted(name for name in routes.values() if name not in PHRASES)
    assert missing == [], f"add words for {missing} to revisio/audit/wording.py PHRASES"


def test_the_audit_core_does_not_import_cases() -> None:
    """The dependency runs one way: cases call the audit trail, which stores case IDs only. Only the
    owner's page (views.py) reaches a case, through ``case_get_for_user``."""
    package = Path(revisio.audit.__file__).parent
    for source in sorted(package.rglob("*.py")):
        if source.name == "views.py":
            continue
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert not name.startswith(("revisio.cases", "revisio.diary", "revisio.dossier")), (source, name)
