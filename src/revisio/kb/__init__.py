"""The knowledge base: sourced records of procedures, recovery, complications and vocabulary.

Pure Python (no Django): used alike by the CLI, the web app and background jobs.
"""

from revisio.kb.errors import KnowledgeBaseError, Problem, UnknownIdError
from revisio.kb.loader import DEFAULT_ROOT, KnowledgeBase, load
from revisio.kb.models import Level

__all__ = [
    "DEFAULT_ROOT",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "Level",
    "Problem",
    "UnknownIdError",
    "load",
]
