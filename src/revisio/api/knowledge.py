"""Knowledge-base endpoints: procedures and the symptom/concern vocabulary (no sign-in needed)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema

from revisio import kb
from revisio.api.schemas import ERROR_RESPONSES
from revisio.kb.models import Procedure
from revisio.recovery.vocabulary import vocabulary_for
from revisio.web.errors import InvalidInput

router = Router(tags=["knowledge base"], auth=None)


class ProcedureOut(Schema):
    id: str
    name: str
    aliases: list[str]
    category: str
    group: str
    final_result_from_day: int | None
    final_result_by_day: int | None
    revision_not_before_day: int | None


class VocabularyItem(Schema):
    id: str
    label: str
    description: str
    appearance: bool | None = None


class VocabularyOut(Schema):
    kb_version: str
    symptoms: list[VocabularyItem]
    concerns: list[VocabularyItem]


class LanguageQuery(Schema):
    lang: str = "en"


def _language(value: str) -> str:
    if value not in ("en", "ko"):
        raise InvalidInput(f"unknown language '{value}': use en or ko", field="lang")
    return value


def _procedure(procedure: Procedure, language: str) -> ProcedureOut:
    return ProcedureOut(
        id=procedure.id,
        name=procedure.names.get(language),
        aliases=list(procedure.aliases),
        category=procedure.category.value,
        group=procedure.group.value,
        final_result_from_day=procedure.final_result.from_day if procedure.final_result else None,
        final_result_by_day=procedure.final_result.by_day if procedure.final_result else None,
        revision_not_before_day=procedure.revision.not_before_day if procedure.revision else None,
    )


@router.get("/procedures", response={200: list[ProcedureOut], **ERROR_RESPONSES})
def procedures(request: HttpRequest, query: Query[LanguageQuery]) -> list[ProcedureOut]:
    language = _language(query.lang)
    return [_procedure(p, language) for p in kb.load().procedures.values()]


@router.get("/procedures/{procedure_id}", response={200: ProcedureOut, **ERROR_RESPONSES})
def procedure(request: HttpRequest, procedure_id: str, query: Query[LanguageQuery]) -> ProcedureOut:
    try:
        record = kb.load().procedure(procedure_id)
    except kb.UnknownIdError as error:
        raise InvalidInput(str(error), code="unknown-procedure", field="procedure_id") from None
    return _procedure(record, _language(query.lang))


class VocabularyQuery(LanguageQuery):
    procedure: list[str] = []


@router.get("/vocabulary", response={200: VocabularyOut, **ERROR_RESPONSES})
def vocabulary(request: HttpRequest, query: Query[VocabularyQuery]) -> VocabularyOut:
    """Symptoms and concerns; with ``procedure`` (repeatable), those relevant to these procedures."""
    language = _language(query.lang)
    base = kb.load()
    ids = []
    for ref in query.procedure:
        try:
            ids.append(base.procedure(ref).id)
        except kb.UnknownIdError as error:
            raise InvalidInput(str(error), code="unknown-procedure", field="procedure") from None
    symptoms, concerns = vocabulary_for(ids)
    return VocabularyOut(
        kb_version=base.version,
        symptoms=[
            VocabularyItem(id=s.id, label=s.label.get(language), description=s.description.get(language))
            for s in symptoms
        ],
        concerns=[
            VocabularyItem(
                id=c.id, label=c.label.get(language), description=c.description.get(language), appearance=c.appearance
            )
            for c in concerns
        ],
    )
