"""Reading the escalation side of a Bundle for import: the plan's steps (CarePlan activities), the
communications log (Communication) and complaint applications (Task)."""

from __future__ import annotations

from typing import Any

from revisio.fhir import codes
from revisio.fhir.elements import JSON, codes_of
from revisio.fhir.reading import (
    ERROR_STATUSES,
    Bundled,
    Entry,
    Plan,
    Planned,
    a_date,
    a_decimal,
    extension_value,
    first_code,
    notes,
)


def steps(care: Entry, plan: Plan) -> None:
    """The escalation steps among the CarePlan's activities; milestones are counted (they are computed)."""
    seen: set[str] = set()
    for index, activity in enumerate(care.get("activity", [])):
        detail = activity.get("detail") or {}
        path = f"activity[{index}]"
        step = first_code(detail.get("code"), codes.ESCALATION_STEP)
        if step is None:
            if first_code(detail.get("code"), codes.MILESTONE):
                plan.derived["milestones"] = plan.derived.get("milestones", 0) + 1
            else:
                plan.skip(care, "not an escalation step or milestone of Revisio", path)
            continue
        if detail.get("status") == "entered-in-error":
            plan.skip(care, "its status is entered-in-error", path)
            continue
        if step in seen:
            plan.problems.append(care.problem(f"{path}.detail.code", f"the step '{step}' is listed twice"))
        seen.add(step)
        period = detail.get("scheduledPeriod") or {}
        first = a_date(care, f"{path}.detail.scheduledPeriod.start", period.get("start"), plan.problems)
        due = (
            a_date(care, f"{path}.detail.scheduledPeriod.end", period["end"], plan.problems)
            if period.get("end")
            else None
        )
        done = None
        if detail.get("status") == "completed":
            times = [p["time"] for p in activity.get("progress", []) if isinstance(p, dict) and p.get("time")]
            done = a_date(care, f"{path}.progress[0].time", times[0] if times else None, plan.problems)
        fields = {"step": step, "first_suggested_on": first, "due_on": due, "done_on": done}
        fields["note"] = detail.get("description", "")
        plan.steps.append(Planned(care, fields, dict.fromkeys(fields, (care, path))))


def communications(bundled: Bundled, plan: Plan) -> None:
    """A log entry per Communication: the direction from ``sent``/``received``, the other side from the
    counterpart extension or else the type of the party it names."""
    for entry in bundled.of_type("Communication"):
        if entry.get("status") in ERROR_STATUSES:
            plan.skip(entry, f"its status is {entry.get('status')}")
            continue
        sender = bundled.resolve(entry.get("sender"))
        sent = bool(entry.get("sent")) and (
            not entry.get("received") or (sender is not None and sender.type == "Patient")
        )
        if not entry.get("sent") and not entry.get("received"):
            plan.problems.append(entry.problem("sent", "needs the date it was sent or received"))
            continue
        on = a_date(entry, "sent" if sent else "received", entry.get("sent" if sent else "received"), plan.problems)
        party = next(iter(entry.get("recipient", [])), None) if sent else entry.get("sender")
        target = bundled.resolve(party)
        counterpart = (extension_value(entry.resource, codes.EXT_COUNTERPART, "valueCoding") or {}).get("code")
        if counterpart is None:
            counterpart = {"Organization": "clinic", "Practitioner": "surgeon"}.get(
                target.type if target else "", "other"
            )
        texts = [p["contentString"] for p in entry.get("payload", []) if "contentString" in p]
        for index, payload in enumerate(entry.get("payload", [])):
            if "contentString" not in payload:
                plan.skip(entry, "an attachment: photos and documents are not imported", f"payload[{index}]")
        summary = (entry.get("topic") or {}).get("text") or (texts.pop(0) if texts else "")
        if not summary:
            plan.problems.append(entry.problem("topic.text", "needs a summary of the exchange"))
            continue
        fields = {
            "direction": "sent" if sent else "received",
            "channel": first_code(entry.get("medium"), codes.CHANNEL) or "other",
            "counterpart": counterpart,
            "counterpart_name": (party or {}).get("display", ""),
            "occurred_on": on,
            "summary": summary,
            "body": "\n\n".join(texts),
            "language": entry.get("language", ""),
        }
        sources = {name: (entry, path) for name, path in _COMMUNICATION_PATHS.items()}
        sources["occurred_on"] = (entry, "sent" if sent else "received")
        sources["counterpart_name"] = (entry, "recipient[0]" if sent else "sender")
        plan.communications.append(Planned(entry, fields, sources))


_COMMUNICATION_PATHS = {
    "channel": "medium",
    "counterpart": "extension",
    "summary": "topic.text",
    "body": "payload",
    "language": "language",
}


def applications(bundled: Bundled, plan: Plan) -> None:
    """An application per Task coded complaint-application, its body from ``owner.identifier``."""
    for entry in bundled.of_type("Task"):
        if "complaint-application" not in codes_of(entry.get("code"), codes.TASK):
            plan.skip(entry, "not a complaint application")
            continue
        if entry.get("status") == "entered-in-error":
            plan.skip(entry, "its status is entered-in-error")
            continue
        identifier = (entry.get("owner") or {}).get("identifier") or {}
        body = identifier.get("value") if identifier.get("system") == codes.ID_COMPLAINT_BODY else None
        status = first_code(entry.get("businessStatus"), codes.APPLICATION_STATUS)
        status = status or codes.TASK_APPLICATION_STATUS.get(entry.get("status", ""))
        if body is None:
            plan.problems.append(
                entry.problem("owner.identifier", f"needs the complaint body ({codes.ID_COMPLAINT_BODY})")
            )
        if status is None:
            plan.problems.append(entry.problem("status", "a Task status no application status corresponds to"))
        filed = (entry.get("executionPeriod") or {}).get("start")
        references = [
            i.get("value", "") for i in entry.get("identifier", []) if i.get("system") == codes.ID_COMPLAINT_REFERENCE
        ]
        fields: dict[str, Any] = {
            "body": body,
            "status": status,
            "filed_on": a_date(entry, "executionPeriod.start", filed, plan.problems) if filed else None,
            "reference": references[0] if references else "",
            "note": notes(entry.resource),
            "claim_amount": None,
            "claim_currency": "",
        }
        for index, item in enumerate(entry.get("input", [])):
            if "claim-amount" not in codes_of(item.get("type"), codes.TASK_INPUT):
                plan.skip(entry, "an input Revisio does not read", f"input[{index}]")
                continue
            money: JSON = item.get("valueMoney") or {}
            amount = a_decimal(money.get("value"))
            if amount is None or amount < 0 or amount != amount.to_integral_value():
                plan.problems.append(entry.problem(f"input[{index}].valueMoney.value", "a claim is a whole amount"))
                continue
            fields["claim_amount"], fields["claim_currency"] = int(amount), money.get("currency", "")
        sources = {name: (entry, path) for name, path in _TASK_PATHS.items()}
        plan.applications.append(Planned(entry, fields, sources))


_TASK_PATHS = {
    "body": "owner.identifier",
    "status": "businessStatus",
    "filed_on": "executionPeriod.start",
    "reference": "identifier",
    "note": "note",
    "claim_amount": "input",
    "claim_currency": "input",
}
