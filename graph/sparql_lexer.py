"""One SPARQL lexer for every piece of code that reads query text before the engine does.

The guard (:mod:`graph.sparql_guard`: no federation, bounded shape), ``kg query``'s hints,
parameters and column order (:mod:`graph.query`) all read queries through :func:`tokens`, so a
``#``, a ``{`` or the word SERVICE inside a string, an IRI or a comment is never taken for
syntax, and all of them agree on what the syntax is.

It follows the SPARQL 1.1 terminals for strings (all four quotings, with escapes; an
unterminated string runs to the end of its line or of the text, as it will fail to parse
anyway), IRIs (``IRIREF``, with ``\\u`` escapes), variables, language tags and comments;
anything else is a word (keyword, prefixed name, number) or one punctuation mark. Brackets are
never taken inside an IRI: a ``<`` the engine reads as "less than" cannot hide brackets from
the guard's nesting count (an IRI holding brackets is lexed piecewise, which is harmless).

>>> [t.text for t in code_tokens("SELECT ?s WHERE { ?s ?p 'a { b' } # }")]
['SELECT', '?s', 'WHERE', '{', '?s', '?p', "'a { b'", '}']
"""

from __future__ import annotations

import re
from typing import NamedTuple

#: The four query forms, and the update operations (which every reader here refuses).
QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATES = frozenset(
    ["INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"]
)
OPEN = {"(": ")", "{": "}", "[": "]"}
CLOSE = frozenset(")}]")

_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_WORD_CHAR = r"\w:%\\\u00b7-\U0010ffff"
_TOKEN = re.compile(
    rf"""
    (?P<ws>[ \t\r\n]+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<string>'''(?:[^'\\]|\\[\s\S]|'(?!''))*(?:'''|\Z)
              |\"\"\"(?:[^"\\]|\\[\s\S]|"(?!""))*(?:\"\"\"|\Z)
              |'(?:[^'\\\r\n]|\\.)*(?:'|(?=[\r\n])|\Z)
              |"(?:[^"\\\r\n]|\\.)*(?:"|(?=[\r\n])|\Z))
  | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20()\[\]]|{_UCHAR})*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]*)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<word>[{_WORD_CHAR}](?:[{_WORD_CHAR}.\-]*[{_WORD_CHAR}\-])?)
  | (?P<punct>\^\^|\|\||&&|!=|<=|>=|[\s\S])
    """,
    re.VERBOSE,
)


class Token(NamedTuple):
    """One lexical token of a SPARQL text: its kind, its text and where it starts."""

    kind: str  # ws, comment, string, iri, var, lang, word, punct
    text: str
    start: int


def tokens(text: str) -> list[Token]:
    """Split SPARQL text into tokens, whitespace and comments included (offsets add up)."""
    return [Token(m.lastgroup or "punct", m.group(), m.start()) for m in _TOKEN.finditer(text)]


def code_tokens(text: str) -> list[Token]:
    """The tokens that carry meaning: no whitespace, no comments."""
    return [t for t in tokens(text) if t.kind not in ("ws", "comment")]


def line_col(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


__all__ = ["CLOSE", "OPEN", "QUERY_FORMS", "UPDATES", "Token", "code_tokens", "line_col", "tokens"]
