"""Checks a SPARQL query must pass before any engine sees it: no federation, bounded shape.

Two things make user-supplied SPARQL dangerous to hand to pyoxigraph as it is:

- ``SERVICE <http://host/...> { ... }`` makes Oxigraph send a real HTTP request from this
  machine (its own client, any host, also ``SERVICE SILENT``) and fold the answer into the
  result: a server-side request forgery for anyone who can send a query, and a broken promise
  for a tool that runs offline. Federation is therefore off unless the caller lists the hosts
  it may reach.
- Oxigraph's parser and evaluator recurse: about 1,000 nested function calls, 2,500 nested
  braces or 5,000-8,000 chained ``UNION``/``+``/``.`` overflow an 8 MiB C stack and kill the
  process with a segfault, valid query or not. The shape is bounded here, long before that.

:func:`check_query` does both on the raw text with a small lexer that knows SPARQL's strings,
IRIs, comments, variables, prefixed names and language tags, so ``"SERVICE"`` in a literal or
``ex:service`` is not mistaken for the keyword. It never parses the query itself (the engine
does that); it only refuses. ``kg serve`` calls it for every query, and ``kg query`` can call
the same function.

>>> check_query("SELECT * WHERE { ?s ?p 'SERVICE <http://x/>' }").services
[]
>>> try:
...     check_query("SELECT * { SERVICE <http://127.0.0.1:7900/x> {} }")
... except ServiceRefused as exc:
...     print(exc.line, exc.column)
1 12
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from graph.errors import QueryError
from graph.sparql_lexer import CLOSE, OPEN, Token, code_tokens, line_col

#: Deepest nesting of ``{``, ``(`` and ``[`` accepted (Oxigraph overflows at ~1,000).
MAX_NESTING = 64
#: Most operators and pattern separators accepted (Oxigraph overflows at ~5,000 chained).
MAX_OPERATORS = 2_000


class UnsafeQueryError(QueryError):
    """A query refused before it reached the engine (see :func:`check_query`)."""

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line = line
        self.column = column


class ServiceRefused(UnsafeQueryError):
    """The query asks for a federated ``SERVICE`` call that is not allowed."""


class QueryTooComplex(UnsafeQueryError):
    """The query nests too deeply or chains too many operators for the engine's stack."""


@dataclass(frozen=True)
class Service:
    """One ``SERVICE`` clause: its endpoint (None when it is a variable) and where it is."""

    endpoint: str | None
    text: str
    line: int
    column: int
    silent: bool = False


@dataclass
class Shape:
    """What :func:`scan` found: the deepest nesting, the operator count, the SERVICE clauses."""

    depth: int = 0
    operators: int = 0
    services: list[Service] = field(default_factory=list)
    #: Line and column of the first bracket past the nesting bound :func:`scan` was given.
    too_deep_at: tuple[int, int] | None = None


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_COUNTED = {
    "!",
    "||",
    "&&",
    "+",
    "-",
    "*",
    "/",
    "|",
    "^",
    ".",
    ";",
    "=",
    "!=",
    "<",
    ">",
    "<=",
    ">=",
}
_COUNTED_WORDS = {"union", "optional", "minus"}


def _unescape(text: str) -> str:
    """Apply SPARQL's codepoint escapes (``\\u0053`` ...), which come before any parsing."""

    def char(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _ESCAPE.sub(char, text)


def scan(
    text: str, prefixes: Mapping[str, str] | None = None, max_nesting: int = MAX_NESTING
) -> Shape:
    """Measure a query: nesting depth, operator count and its ``SERVICE`` clauses.

    Args:
        text: The query text as the client sent it.
        prefixes: Prefixes predeclared for the query (the project's ``kg:`` ...), used to
            expand a ``SERVICE`` endpoint written as a prefixed name.
        max_nesting: The nesting bound whose first excess is located (``too_deep_at``).

    Returns:
        The query's :class:`Shape`. Endpoints are absolute IRIs where they can be worked out,
        else None (a variable, or a relative IRI with no ``BASE``).
    """
    text = _unescape(text)
    declared = dict(prefixes or {})
    base: str | None = None
    shape = Shape()
    stack: list[str] = []
    tokens = code_tokens(text)
    for i, token in enumerate(tokens):
        kind, value = token.kind, token.text
        lowered = value.lower()
        if kind == "punct":
            if value in OPEN:
                stack.append(value)
                shape.depth = max(shape.depth, len(stack))
                if len(stack) > max_nesting and shape.too_deep_at is None:
                    shape.too_deep_at = line_col(text, token.start)
            elif value in CLOSE:
                if stack:
                    stack.pop()
            elif value in _COUNTED or (value == "," and (not stack or stack[-1] != "(")):
                shape.operators += 1
        elif kind == "word":
            if lowered in _COUNTED_WORDS:
                shape.operators += 1
            elif lowered == "prefix" and i + 2 < len(tokens):
                name, iri = tokens[i + 1], tokens[i + 2]
                if name.kind == "word" and name.text.endswith(":") and iri.kind == "iri":
                    declared[name.text[:-1]] = _resolve(iri.text[1:-1], base)
            elif lowered == "base" and i + 1 < len(tokens) and tokens[i + 1].kind == "iri":
                base = _resolve(tokens[i + 1].text[1:-1], base)
            elif lowered == "service":
                shape.services.append(_service(text, tokens, i, declared, base))
    return shape


def _resolve(iri: str, base: str | None) -> str:
    return urljoin(base, iri) if base else iri


def _service(
    text: str, tokens: list[Token], i: int, prefixes: Mapping[str, str], base: str | None
) -> Service:
    line, column = line_col(text, tokens[i].start)
    j = i + 1
    silent = j < len(tokens) and tokens[j].kind == "word" and tokens[j].text.lower() == "silent"
    if silent:
        j += 1
    target = tokens[j] if j < len(tokens) else None
    endpoint: str | None = None
    shown = "SERVICE"
    if target is not None:
        shown = f"SERVICE {'SILENT ' if silent else ''}{target.text}"
        if target.kind == "iri":
            iri = target.text[1:-1]
            endpoint = _resolve(iri, base) if (base or urlsplit(iri).scheme) else None
        elif target.kind == "word" and ":" in target.text:
            prefix, _, local = target.text.partition(":")
            if prefix in prefixes:
                endpoint = prefixes[prefix] + local.replace("\\", "")
    return Service(endpoint, shown, line, column, silent)


def _host_port(entry: str) -> tuple[str, int | None]:
    """An ``--allow-service`` entry: ``host`` (any port) or ``host:port``."""
    parts = urlsplit("//" + entry.strip())
    try:
        port = parts.port
    except ValueError:
        port = None
    return (parts.hostname or entry.strip().lower().strip("[]")), port


def service_host(endpoint: str | None) -> str | None:
    """The host name of an ``http``/``https`` endpoint (lower case), else None."""
    if not endpoint:
        return None
    parts = urlsplit(endpoint)
    if parts.scheme.lower() not in ("http", "https"):
        return None
    return (parts.hostname or "").lower() or None


def check_query(
    text: str,
    *,
    allow_service: Collection[str] = (),
    prefixes: Mapping[str, str] | None = None,
    max_nesting: int = MAX_NESTING,
    max_operators: int = MAX_OPERATORS,
) -> Shape:
    """Refuse a query that federates without leave or is shaped to crash the engine.

    Args:
        text: The query text.
        allow_service: Host names (``query.wikidata.org``) a ``SERVICE`` clause may call;
            empty (the default) refuses every ``SERVICE``. A variable endpoint is always
            refused, since it cannot be checked before the query runs.
        prefixes: Prefixes predeclared for the query, to expand prefixed endpoints.
        max_nesting: Deepest nesting of brackets accepted.
        max_operators: Most operators and pattern separators accepted.

    Returns:
        The query's :class:`Shape`, when it passes.

    Raises:
        QueryTooComplex: past either bound.
        ServiceRefused: for a ``SERVICE`` clause that is not allowed.
    """
    shape = scan(text, prefixes, max_nesting)
    if shape.too_deep_at is not None:
        line, column = shape.too_deep_at
        raise QueryTooComplex(
            f"the query nests brackets {shape.depth} deep (level {max_nesting + 1} at "
            f"{line}:{column}); at most "
            f"{max_nesting} levels are accepted, since deeper queries crash the SPARQL engine; "
            "flatten the query or close the open brackets",
            line=line,
            column=column,
        )
    if shape.operators > max_operators:
        raise QueryTooComplex(
            f"the query chains {shape.operators:,} operators and patterns; at most "
            f"{max_operators:,} are accepted, since longer chains crash the SPARQL engine; "
            "split it into several queries or use VALUES for long lists"
        )
    allowed = {_host_port(h) for h in allow_service if h.strip()}
    for service in shape.services:
        host = service_host(service.endpoint)
        where = f"{service.text} at {service.line}:{service.column}"
        if not allowed:
            raise ServiceRefused(
                f"{where} asks for a federated query to "
                f"{host or service.endpoint or 'an endpoint chosen at run time'}; federated "
                "queries are off (paper-kg makes no outgoing requests): remove the SERVICE "
                "clause, or allow its host explicitly (--allow-service HOST)",
                line=service.line,
                column=service.column,
            )
        port = urlsplit(service.endpoint).port if host else None
        if host is None or not ({(host, None), (host, port)} & allowed):
            what = f"host {host}" if host else "an endpoint that is not a fixed http(s) IRI"
            hint = f"; allow it with --allow-service {host}{f':{port}' if port else ''}"
            raise ServiceRefused(
                f"{where} asks for {what}, which is not among the allowed SERVICE hosts "
                f"({', '.join(sorted(h + (f':{p}' if p else '') for h, p in allowed))})"
                + (hint if host else ""),
                line=service.line,
                column=service.column,
            )
    return shape


__all__ = [
    "MAX_NESTING",
    "MAX_OPERATORS",
    "QueryTooComplex",
    "Service",
    "ServiceRefused",
    "Shape",
    "UnsafeQueryError",
    "check_query",
    "scan",
    "service_host",
]
