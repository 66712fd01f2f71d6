"""UCUM unit codes: the syntax of the Unified Code for Units of Measure, over a table of atoms.

The table holds the atoms a recovery diary and photo measurements use (length, mass, time, volume,
temperature, angle, percent, counts) rather than the whole of UCUM, so a valid but exotic unit (say
``[mesh_i]``) is reported as unknown: the check errs on the side of asking.
"""

from __future__ import annotations

import re

# Atoms that take a metric prefix (k, m, u ...), and atoms that do not.
_METRIC = frozenset({"m", "s", "g", "l", "L", "mol", "K", "Cel", "rad", "sr", "Hz", "N", "Pa", "J", "W", "A", "V"})
_OTHER = frozenset(
    {
        "1",
        "%",
        "[degF]",
        "deg",
        "'",
        "''",
        "min",
        "h",
        "d",
        "wk",
        "mo",
        "a",
        "[in_i]",
        "[ft_i]",
        "[lb_av]",
        "[oz_av]",
        "[ppth]",
        "[ppm]",
        "[drp]",
    }
)
_PREFIXES = ("da", "Y", "Z", "E", "P", "T", "G", "M", "k", "h", "d", "c", "m", "u", "n", "p", "f", "a", "z", "y")
_TOKEN = re.compile(r"\{[!-z|~]*\}|[./()]|[^./(){}]+")
_EXPONENT = re.compile(r"^(.*?)([+-]?\d+)$")

#: The units ``revisio.measure`` writes, as (UCUM code, unit shown to people).
MEASURE_UNITS = {
    "ratio": ("1", "ratio"),
    "fraction of hip width": ("1", "fraction of hip width"),
    "%": ("%", "%"),
    "mm": ("mm", "mm"),
    "px": ("{px}", "px"),  # pixels of the photo: a count, written as an annotated unity
}


def measure_unit(unit: str) -> tuple[str, str]:
    """The UCUM code and display for a unit ``revisio.measure`` wrote; an unknown one as an annotation."""
    if unit in MEASURE_UNITS:
        return MEASURE_UNITS[unit]
    text = re.sub(r"[^!-z|~]", "_", unit)[:40] or "unit"
    return "{" + text + "}", unit


def _simple_unit(text: str) -> bool:
    if text in _METRIC or text in _OTHER:
        return True
    return any(text.startswith(prefix) and text[len(prefix) :] in _METRIC for prefix in _PREFIXES)


def _component(token: str) -> bool:
    if token.startswith("{"):
        return True
    if token.isdigit():
        return True
    match = _EXPONENT.match(token)
    if match and match.group(1) and _simple_unit(match.group(1)):
        return True
    return _simple_unit(token)


def is_ucum(code: str) -> bool:
    """True when ``code`` is a UCUM expression over the known atoms (``Cel``, ``mm``, ``kg/m2``, ``{score}``)."""
    if not code or code != code.strip() or " " in code:
        return False
    tokens = _TOKEN.findall(code)
    if "".join(tokens) != code:
        return False
    position = 0

    def term() -> bool:
        nonlocal position
        if not component():
            return False
        while position < len(tokens) and tokens[position] in "./":
            position += 1
            if not component():
                return False
        return True

    def component() -> bool:
        nonlocal position
        if position >= len(tokens):
            return False
        token = tokens[position]
        if token == "(":
            position += 1
            if not term() or position >= len(tokens) or tokens[position] != ")":
                return False
            position += 1
            return True
        if token in "./)":
            return False
        position += 1
        if not _component(token):
            return False
        # An annotation may follow a unit directly: "mL{total}".
        if not token.startswith("{") and position < len(tokens) and tokens[position].startswith("{"):
            position += 1
        return True

    if tokens and tokens[0] == "/":
        position = 1
    return term() and position == len(tokens)
