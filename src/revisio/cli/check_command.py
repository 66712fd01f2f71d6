"""``revisio check``: assess a recovery situation against the knowledge base."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import textwrap
from typing import Any

from revisio import kb
from revisio.cli.errors import EXIT_OK, BadInput
from revisio.engine import Assessment, CaseProcedure, InvalidInputError, assess
from revisio.engine.serialise import assessment_dict

LEVEL_MEANING = {
    "emergency": ("call the emergency number now", "지금 응급 번호로 전화하세요"),
    "urgent": ("contact your surgeon or urgent care today", "오늘 담당 의사나 긴급 진료에 연락하세요"),
    "see-surgeon": ("tell your surgeon in the next few days", "며칠 안에 담당 의사에게 알리세요"),
    "monitor": ("keep watching and checking in", "계속 지켜보며 기록하세요"),
    "expected": (
        "matches the normal course the sources describe",
        "자료가 설명하는 정상 회복 과정과 일치합니다",
    ),
}
DISCLAIMER = (
    "Revisio reports what its cited sources say; it does not diagnose. If you feel very unwell, call the"
    " emergency number where you are.",
    "Revisio는 인용한 자료의 내용을 전할 뿐 진단하지 않습니다. 몸 상태가 매우 나쁘면 지금 계신 곳의 응급 번호로"
    " 전화하세요.",
)


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date: use YYYY-MM-DD, e.g. 2026-03-14") from None


def id_list(text: str) -> list[str]:
    """``--symptom a,b`` and ``--symptom a --symptom b`` both work."""
    return [part.strip() for part in text.split(",") if part.strip()]


def register(commands: Any) -> None:
    check = commands.add_parser(
        "check",
        help="is this normal healing, a complication, or too early to judge?",
        description="Assess symptoms and concerns after a procedure against Revisio's cited knowledge base.",
    )
    check.add_argument(
        "--procedure",
        action="extend",
        type=id_list,
        required=True,
        metavar="ID",
        help="procedure ID or alias (see 'revisio procedures'); repeat for procedures done the same day",
    )
    check.add_argument("--surgery-date", type=iso_date, required=True, metavar="YYYY-MM-DD")
    check.add_argument("--on", type=iso_date, metavar="YYYY-MM-DD", help="assessment date (default: today)")
    check.add_argument("--symptom", action="extend", type=id_list, default=[], metavar="ID")
    check.add_argument("--concern", action="extend", type=id_list, default=[], metavar="ID")
    check.add_argument("--temperature", type=float, metavar="C", help="body temperature in °C")
    check.add_argument("--country", metavar="CC", help="where you are now (ISO code, e.g. KR, GB, US, DE)")
    check.add_argument("--lang", choices=["en", "ko"], default="en", help="language of the report")
    check.add_argument("--json", action="store_true", help="print the assessment as JSON")
    check.set_defaults(handler=run_check)


def run_check(args: argparse.Namespace) -> int:
    on = args.on or dt.datetime.now().astimezone().date()  # the patient's own calendar day
    try:
        result = assess(
            procedures=[CaseProcedure(procedure, args.surgery_date) for procedure in args.procedure],
            on=on,
            symptoms=args.symptom,
            concerns=args.concern,
            temperature_c=args.temperature,
            country=args.country,
        )
    except kb.UnknownIdError as error:
        listing = {"procedure": "revisio procedures", "country": "KR, GB, US or an EU country code"}.get(
            error.kind, f"revisio kb show {error.kind}s"
        )
        hint = f"; did you mean {', '.join(error.suggestions)}?" if error.suggestions else f" (see {listing})"
        raise BadInput(f"unknown {error.kind} '{error.given}'{hint}") from None
    except InvalidInputError as error:
        raise BadInput(str(error)) from None
    if args.json:
        print(json.dumps(assessment_dict(result, args.lang), ensure_ascii=False, indent=2))
    else:
        print(text_report(result, args.lang, kb.load()))
    return EXIT_OK


def text_report(result: Assessment, language: str, base: kb.KnowledgeBase) -> str:
    ko = language == "ko"
    wrap = textwrap.TextWrapper(width=100, subsequent_indent="      ")
    lines = ["Revisio 회복 점검 (진단이 아닙니다)" if ko else "Revisio recovery check (not a diagnosis)"]
    for timing in result.procedures:
        name = timing.name.get(language)
        if ko:
            lines.append(f"{name}: 수술일 {timing.surgery_date}, {timing.day}일째 ({result.on})")
        else:
            lines.append(f"{name}: surgery {timing.surgery_date}, day {timing.day} ({result.on})")
    meaning = LEVEL_MEANING[result.level.value][1 if ko else 0]
    lines += ["", f"{'수준' if ko else 'LEVEL'}: {result.level.value.upper()} - {meaning}", ""]
    if result.findings:
        lines.append("소견" if ko else "Findings")
        for finding in result.findings:
            lines.append(wrap.fill(f"  [{finding.level.value}] {finding.message.get(language)}"))
            cited = ", ".join(f"{s} ({base.sources[s].quality.value})" for s in finding.sources)
            lines.append(wrap.fill(f"      {'출처' if ko else 'sources'}: {cited}"))
        lines.append("")
    lines.append("지금 할 일" if ko else "What to do now")
    lines.extend(wrap.fill(f"  - {step.get(language)}") for step in result.next_steps)
    lines.append("")
    if result.final_result_from:
        label = "결과 판단 가능" if ko else "Result can be judged"
        lines.append(f"{label}: {result.final_result_from} - {result.final_result_by}")
    if result.revision_not_before:
        lines.append(f"{'재수술 고려 가능' if ko else 'Revision not before'}: {result.revision_not_before}")
    lines.append(f"{'지식 베이스' if ko else 'Knowledge base'} {result.kb_version}")
    lines.append(textwrap.fill(DISCLAIMER[1 if ko else 0], width=100))
    return "\n".join(lines)
