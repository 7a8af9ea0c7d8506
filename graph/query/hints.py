"""One-line explanations of SPARQL syntax errors, with a hint where one helps.

Oxigraph's messages are a position and a PEG parser's list of expectations (character classes
included: "expected one of ['A' ..= 'Z' | …]"). This keeps the position, the readable part of
the list and the text near the error, and adds what a newcomer needs: "did you mean SELECT?",
an unknown prefix named, an update refused as such.
"""

from __future__ import annotations

import difflib
import re

from graph.ontology import PREFIXES
from graph.sparql_lexer import QUERY_FORMS, UPDATES, Token, code_tokens

#: SPARQL keywords and functions, for "did you mean" hints.
_KEYWORDS = frozenset(
    re.findall(
        r"\S+",
        """
BASE PREFIX SELECT CONSTRUCT DESCRIBE ASK DISTINCT REDUCED WHERE FROM NAMED ORDER BY ASC
DESC LIMIT OFFSET GROUP HAVING VALUES OPTIONAL UNION MINUS GRAPH SERVICE SILENT FILTER BIND
AS UNDEF EXISTS NOT IN COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR STR LANG
LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN UCASE LCASE
ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR MONTH DAY HOURS MINUTES
SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE IF STRLANG STRDT
SAMETERM ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE
""",
    )
)

_AT = re.compile(r"error at (\d+):(\d+): ?")


def _expected(message: str) -> list[str]:
    """The readable items of Oxigraph's "expected one of …" list (no character classes)."""
    body = re.sub(r"^expected (one of )?", "", message.strip())
    items = re.findall(r'"(?:[^"\\]|\\.)*"|\[[^\]]*\]|[^,\s][^,]*', body)
    return [i.strip() for i in items if not i.startswith("[")]


def explain_syntax_error(message: str, text: str) -> str:
    """One line for a SPARQL syntax error: where, what was expected, and a hint.

    Args:
        message: Oxigraph's message (``error at LINE:COL: expected …``).
        text: The query text it parsed.
    """
    message = " ".join(message.split())
    m = _AT.match(message)
    line, col = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
    detail = message[m.end() :] if m else message
    code = code_tokens(text)
    first = _first_keyword(code)
    offset = _offset(text, line, col)
    before = [t for t in code if t.start < offset]
    at = before[-1].start if before else offset
    near = text[at : at + 24].split("\n")[0].strip() if m else ""
    where = f"at {line}:{col}" + (f" near {near!r}" if near else "")
    hint = ""
    if first in UPDATES:
        return (
            f"invalid SPARQL {where}: {first} is an update, and kg query only reads (SELECT, "
            "ASK, CONSTRUCT, DESCRIBE); the graph is rebuilt with kg build"
        )
    if "Prefix not found" in detail:
        bad = _prefixed_name_at(code, offset)
        known = ", ".join(f"{p}:" for p in PREFIXES)
        return (
            f"invalid SPARQL {where}: unknown prefix {bad!r}; declare it with PREFIX "
            f"{bad or 'x:'} <IRI> (predeclared: {known})"
        )
    if "contains a variable that is unbound" in detail:
        return (
            f"invalid SPARQL {where}: the SELECT names a variable that is neither grouped nor "
            "aggregated; add it to GROUP BY or wrap it in SAMPLE(), COUNT() …"
        )
    if first and first not in QUERY_FORMS:
        close = difflib.get_close_matches(first, QUERY_FORMS, n=1, cutoff=0.5)
        hint = "; a query starts with SELECT, ASK, CONSTRUCT or DESCRIBE" + (
            f" (did you mean {close[0]}?)" if close else ""
        )
    else:
        suspect = _word_before(code, offset)
        if suspect:
            close = difflib.get_close_matches(suspect.upper(), _KEYWORDS, n=1, cutoff=0.75)
            if close:
                hint = f"; did you mean {close[0]} (not {suspect})?"
                detail = "this does not parse"
    expected = _expected(detail) if detail.startswith("expected") and not hint else []
    if expected:
        shown = ", ".join(expected[:8]) + (", …" if len(expected) > 8 else "")
        detail = f"expected {shown}"
    elif detail.startswith("expected"):
        detail = "this does not parse"
    return f"invalid SPARQL {where}: {detail}{hint}"


def _first_keyword(code: list[Token]) -> str:
    """The query's first word after its PREFIX and BASE declarations, upper-cased."""
    i = 0
    while i < len(code):
        word = code[i].text.upper() if code[i].kind == "word" else ""
        if word == "PREFIX":
            i += 3
        elif word == "BASE":
            i += 2
        else:
            return word
    return ""


def _offset(text: str, line: int, col: int) -> int:
    if line < 1:
        return 0
    at = 0
    for _ in range(line - 1):
        nl = text.find("\n", at)
        if nl < 0:
            return len(text)
        at = nl + 1
    return min(len(text), at + max(col - 1, 0))


def _word_before(code: list[Token], offset: int) -> str | None:
    """The nearest word before ``offset`` that is no keyword, prefixed name or number."""
    before = [t for t in code if t.start <= offset]
    for t in reversed(before[-8:]):
        plain = t.kind == "word" and ":" not in t.text and not t.text[0].isdigit()
        if plain and t.text.upper() not in _KEYWORDS:
            return t.text
    return None


def _prefixed_name_at(code: list[Token], offset: int) -> str:
    for t in reversed([t for t in code if t.start <= offset]):
        if t.kind == "word" and ":" in t.text:
            return t.text.split(":", 1)[0] + ":"
    return ""
