"""The assessment engine: pure, deterministic, no Django.

``assess`` answers "is this normal healing, a complication, or too early to judge?" for a case on
a date, from the knowledge base only.
"""

from revisio.engine.assess import InvalidInputError, assess
from revisio.engine.model import (
    Assessment,
    CaseProcedure,
    EmergencyContact,
    Finding,
    FindingKind,
    Message,
    MilestoneDate,
    ProcedureTiming,
)

__all__ = [
    "Assessment",
    "CaseProcedure",
    "EmergencyContact",
    "Finding",
    "FindingKind",
    "InvalidInputError",
    "Message",
    "MilestoneDate",
    "ProcedureTiming",
    "assess",
]
