"""A small SPARQL lexer: strings, IRIs, comments, variables, words and punctuation.

Everything in :mod:`graph.query` that reads query text reads it through :func:`tokens`, so a
``#``, a ``{`` or the word SERVICE inside a string, an IRI or a comment is never taken for
syntax.
"""

from __future__ import annotations

import re
from typing import NamedTuple

#: The four query forms, the update operations (which kg query refuses), brackets, operators.
QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
OPEN = {"(": ")", "{": "}", "[": "]"}
CLOSE = {")", "}", "]"}
OPERATORS = {"+", "-", "*", "/", "!", "||", "&&", "=", "!=", "<", ">", "<=", ">=", "|", "^"}

_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_TOKEN = re.compile(
    rf"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\[\s\S]|'(?!''))*'''
              |\"\"\"(?:[^"\\]|\\[\s\S]|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'
              |"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|{_UCHAR})*>)
  | (?P<var>[?$][^\W]\w*)
  | (?P<word>[\w:](?:[\w:%\\-]|\.(?=[\w:%-]))*)
  | (?P<punct>\^\^|\|\||&&|!=|<=|>=|[\s\S])
    """,
    re.VERBOSE,
)


class Token(NamedTuple):
    """One lexical token of a SPARQL text: its kind, its text and where it starts."""

    kind: str  # ws, comment, string, iri, var, word, punct
    text: str
    start: int


def tokens(text: str) -> list[Token]:
    """Split SPARQL text into tokens (whitespace and comments included, so offsets add up).

    The lexer follows the SPARQL 1.1 terminals for strings (all four quotings, with escapes),
    IRIs (``IRIREF``, with ``\\u`` escapes) and comments; what is neither is a word (keyword,
    prefixed name, number), a variable or one punctuation mark. Unterminated strings fall apart
    into punctuation and words, as they would fail to parse anyway.
    """
    return [Token(m.lastgroup or "punct", m.group(), m.start()) for m in _TOKEN.finditer(text)]


def code_tokens(text: str) -> list[Token]:
    """The tokens that carry meaning: no whitespace, no comments."""
    return [t for t in tokens(text) if t.kind not in ("ws", "comment")]


def line_col(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
