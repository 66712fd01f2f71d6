"""The access log page: who looked at my case. For the case's owner only; anyone else gets 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from revisio.audit import selectors
from revisio.audit.models import AuditEntry
from revisio.audit.wording import describe, who
from revisio.cases.selectors import case_get_for_user
from revisio.web.errors import InvalidInput

PAGE_SIZE = 50


@dataclass(frozen=True)
class Row:
    entry: AuditEntry
    who: str
    what: str


@login_required
def case_audit(request: HttpRequest, case_id: str) -> HttpResponse:
    case = case_get_for_user(user=request.user, case_id=case_id, write=True)  # the owner only
    person = request.GET.get("person", "")
    try:
        entries = selectors.case_log(case_id=case.pk, person=person)
    except InvalidInput:
        person, entries = "", selectors.case_log(case_id=case.pk)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    known = selectors.people(page.object_list)
    return render(
        request,
        "audit/case_audit.html",
        {
            "case": case,
            "page": page,
            "rows": [Row(entry, who(entry, known), describe(entry)) for entry in page.object_list],
            "people": selectors.case_log_people(case_id=case.pk),
            "person": person,
        },
    )
