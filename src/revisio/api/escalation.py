"""Escalation endpoints: the plan and its steps, messages to the clinic, the communications log,
complaint applications, and the complaint bodies of the knowledge base with K-medi's fee."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from revisio import kb
from revisio.api.schemas import ERROR_RESPONSES, Input, RequestLanguageQuery, request_language
from revisio.cases.access import Part
from revisio.cases.selectors import case_get_for_user
from revisio.engine.messages import Question, compose_pair
from revisio.escalation import selectors, services
from revisio.escalation.models import (
    ApplicationStatus,
    Channel,
    Communication,
    ComplaintApplication,
    Counterpart,
    Direction,
    StepState,
)
from revisio.escalation.state import message_facts
from revisio.kb.models import ComplaintBody
from revisio.web.errors import InvalidInput, NotFound

router = Router(tags=["escalation"])
bodies_router = Router(tags=["knowledge base"], auth=None)


# --- the plan ------------------------------------------------------------------------------------


class PlanStepOut(Schema):
    id: str
    title: str
    why: str
    sources: list[str]
    due: dt.date | None
    facts: list[str]
    documents: list[str]
    bodies: list[str]
    first_suggested_on: dt.date | None
    done_on: dt.date | None


class PlanOut(Schema):
    kb_version: str
    today: dt.date
    steps: list[PlanStepOut]
    done_earlier: list[str] = Field(description="steps ticked off that the plan no longer lists")


class StepDoneIn(Input):
    done: bool


class StepStateOut(Schema):
    step: str
    first_suggested_on: dt.date
    due_on: dt.date | None
    done_on: dt.date | None


@router.get("/{case_id}/plan", response={200: PlanOut, **ERROR_RESPONSES})
def plan(request: HttpRequest, case_id: str, query: Query[RequestLanguageQuery]) -> PlanOut:
    """The next steps for the case, each with why and its sources. ``first_suggested_on`` and ``done_on``
    are null until the patient has seen the step on the web page or ticked it (a read never writes)."""
    language = request_language(query.lang)
    case = case_get_for_user(user=request.user, case_id=case_id, part=Part.CLINICAL)
    today = timezone.localdate()
    _, planned, states = services.plan_seen(case=case, user=request.user, today=today, record=False)  # type: ignore[arg-type]
    steps = []
    for row in selectors.plan_rows(planned, states):
        step = row.step
        steps.append(
            PlanStepOut(
                id=step.id,
                title=step.title.get(language),
                why=step.why.get(language),
                sources=list(step.sources),
                due=step.due,
                facts=[fact.get(language) for fact in step.facts],
                documents=[document.get(language) for document in step.documents],
                bodies=list(step.bodies),
                first_suggested_on=row.state.first_suggested_on if row.state else None,
                done_on=row.state.done_on if row.state else None,
            )
        )
    done = [state.step for state in selectors.done_earlier(planned, states)]
    return PlanOut(kb_version=kb.load().version, today=today, steps=steps, done_earlier=done)


@router.put("/{case_id}/plan/{step}", response={200: StepStateOut, **ERROR_RESPONSES})
def step_done(request: HttpRequest, case_id: str, step: str, payload: StepDoneIn) -> StepState:
    """Tick a step of the plan off (``done: true``) or open it again."""
    case = case_get_for_user(user=request.user, case_id=case_id, write=True)
    try:
        return services.step_set_done(case=case, step=step, done=payload.done, user=request.user)  # type: ignore[arg-type]
    except NotFound:  # a step this plan never had: like any unknown ID in a path
        raise Http404 from None


# --- messages to the clinic ----------------------------------------------------------------------


class MessageIn(Input):
    question: Question
    language: Literal["en", "ko", "zh", "ja"] = "en"
    photo_ids: list[uuid.UUID] = Field(default_factory=list, max_length=20)
    free_text: str = Field("", max_length=3000)
    contact: str = Field("", max_length=200)


class ComposedOut(Schema):
    language: str
    subject: str
    body: str


class MessagePairOut(Schema):
    own: ComposedOut = Field(description="in the patient's language")
    korean: ComposedOut


@router.post("/{case_id}/messages", response={200: MessagePairOut, **ERROR_RESPONSES})
def message_compose(request: HttpRequest, case_id: str, payload: MessageIn) -> MessagePairOut:
    """A message to the clinic from the case, in the patient's language and in Korean. Nothing is
    stored: log it with ``POST …/communications`` once it is sent. Those the case is shared with (a
    coordinator writing for the patient) may compose it too."""
    case = case_get_for_user(user=request.user, case_id=case_id)
    photos = list(case.photos.filter(pk__in=payload.photo_ids).prefetch_related("measurements"))
    if len(photos) != len(set(payload.photo_ids)):
        raise InvalidInput("photo_ids: attach only photos of this case", field="photo_ids")
    photos.sort(key=lambda photo: (photo.taken_on, str(photo.pk)))
    facts = message_facts(
        case, question=payload.question, photos=photos, free_text=payload.free_text, contact=payload.contact
    )
    own, korean = compose_pair(facts, payload.language)
    return MessagePairOut(
        own=ComposedOut(language=own.language, subject=own.subject, body=own.body),
        korean=ComposedOut(language=korean.language, subject=korean.subject, body=korean.body),
    )


# --- the communications log ----------------------------------------------------------------------


class CommunicationIn(Input):
    occurred_on: dt.date
    direction: Direction
    counterpart: Counterpart
    # Plain text checked by the service: the knowledge base's own ``Channel`` (how to reach a body)
    # would otherwise share this enum's OpenAPI component name.
    channel: str = Field(description=f"one of: {', '.join(Channel.values)}", max_length=12)
    summary: str = Field(min_length=1, max_length=2000)
    counterpart_name: str = Field("", max_length=200)
    body: str = Field("", max_length=20000)
    language: str = Field("", max_length=10)
    photo_ids: list[uuid.UUID] = Field(default_factory=list, max_length=50)
    document_ids: list[uuid.UUID] = Field(default_factory=list, max_length=50)


class CommunicationOut(Schema):
    id: uuid.UUID
    occurred_on: dt.date
    direction: str
    counterpart: str
    counterpart_name: str
    channel: str
    summary: str
    body: str
    language: str
    photo_ids: list[uuid.UUID]
    document_ids: list[uuid.UUID]

    @staticmethod
    def resolve_photo_ids(entry: Communication) -> list[uuid.UUID]:
        return sorted((photo.pk for photo in entry.photos.all()), key=str)

    @staticmethod
    def resolve_document_ids(entry: Communication) -> list[uuid.UUID]:
        return sorted((document.pk for document in entry.documents.all()), key=str)


@router.get("/{case_id}/communications", response={200: list[CommunicationOut], **ERROR_RESPONSES})
def communication_list(request: HttpRequest, case_id: str) -> list[Communication]:
    """Every exchange about the case, newest first."""
    case = case_get_for_user(user=request.user, case_id=case_id)
    return list(case.communications.prefetch_related("photos", "documents").order_by("-occurred_on", "-created_at"))


@router.post("/{case_id}/communications", response={201: CommunicationOut, **ERROR_RESPONSES})
def communication_create(request: HttpRequest, case_id: str, payload: CommunicationIn) -> Status[Communication]:
    case = case_get_for_user(user=request.user, case_id=case_id, write=True)
    return Status(201, services.communication_add(case=case, user=request.user, **payload.dict()))  # type: ignore[arg-type]


# --- applications --------------------------------------------------------------------------------


class ApplicationIn(Input):
    body: str = Field(description="a complaint-body ID (GET /complaint-bodies)", max_length=64)
    status: ApplicationStatus = ApplicationStatus.PREPARING
    filed_on: dt.date | None = None
    reference: str = Field("", max_length=100)
    claim_amount: int | None = Field(None, ge=0, le=10**13)
    claim_currency: str = Field("", max_length=3)
    note: str = Field("", max_length=5000)


class ApplicationOut(Schema):
    id: uuid.UUID
    body: str
    status: str
    filed_on: dt.date | None
    reference: str
    claim_amount: int | None
    claim_currency: str
    note: str


@router.get("/{case_id}/applications", response={200: list[ApplicationOut], **ERROR_RESPONSES})
def application_list(request: HttpRequest, case_id: str) -> list[ComplaintApplication]:
    case = case_get_for_user(user=request.user, case_id=case_id)
    return list(case.applications.all())


@router.post("/{case_id}/applications", response={201: ApplicationOut, **ERROR_RESPONSES})
def application_create(request: HttpRequest, case_id: str, payload: ApplicationIn) -> Status[ComplaintApplication]:
    """Record an application to a complaint or mediation body (the plan reads it: e.g. K-medi's
    14-day window for the clinic's answer starts from ``filed_on``)."""
    case = case_get_for_user(user=request.user, case_id=case_id, write=True)
    return Status(201, services.application_save(case=case, **payload.dict()))


# --- complaint bodies (public) -------------------------------------------------------------------


class BodiesQuery(Schema):
    country: str | None = Field(None, description="ISO code (gb, kr, us) or eu; an EU member maps to eu")


class FeeQuery(Schema):
    claim: int = Field(ge=0, le=10**13, description="the amount claimed, in the body's currency")


class FeeOut(Schema):
    body: str
    claim: int
    fee: int
    currency: str
    sources: list[str]


@bodies_router.get("/complaint-bodies", response={200: list[ComplaintBody], **ERROR_RESPONSES})
def complaint_bodies(request: HttpRequest, query: Query[BodiesQuery]) -> list[ComplaintBody]:
    """Complaint, mediation, support and device-reporting bodies, as the knowledge base records them
    (every statement with its sources; ``revisio kb show ID`` prints the same)."""
    base = kb.load()
    bodies = list(base.complaint_bodies.values())
    if query.country:
        try:
            country = base.country(query.country).id
        except kb.UnknownIdError as error:
            raise InvalidInput(f"country: {error}", field="country") from None
        bodies = [body for body in bodies if body.country == country]
    return bodies


@bodies_router.get("/complaint-bodies/{body_id}/fee", response={200: FeeOut, **ERROR_RESPONSES})
def complaint_body_fee(request: HttpRequest, body_id: str, query: Query[FeeQuery]) -> FeeOut:
    """The application fee for a claim, where the body's fee depends on the amount (K-medi)."""
    body = kb.load().complaint_bodies.get(body_id)
    if body is None:
        suggestions = kb.errors.suggest(body_id, kb.load().complaint_bodies)
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        raise InvalidInput(f"body_id: unknown complaint body '{body_id}'{hint}", field="body_id")
    if body.fee_schedule is None:
        raise InvalidInput(f"body_id: '{body_id}' has no fee that depends on the claim", field="body_id")
    schedule = body.fee_schedule
    return FeeOut(
        body=body.id,
        claim=query.claim,
        fee=schedule.fee(query.claim),
        currency=schedule.currency,
        sources=list(dict.fromkeys(c.source for c in schedule.cite)),
    )
