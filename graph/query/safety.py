"""Safety checks run on every query before Oxigraph parses it.

Two promises of ``kg query`` would break without them:

- **Offline.** Oxigraph runs ``SERVICE <http://…> { … }`` as a real outgoing HTTP request. A
  SERVICE clause is refused unless its host was allowed by name (``--allow-service HOST``).
- **No crash.** Oxigraph's parser overflows the C stack (a segfault, exit 139, nothing printed)
  on about 3,000 nested brackets, valid or not, or on about 10,000 chained operators. Nesting
  and chains are bounded here, with a one-line error saying where.

The server's guard (:mod:`graph.sparql_guard`, in the serve rewrite) applies the same rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from graph.errors import QueryError
from graph.query.lexer import CLOSE, OPEN, OPERATORS, Token, code_tokens, line_col

#: Brackets ``( { [`` open at once, at most. Real queries nest a dozen deep; Oxigraph's parser
#: overflows its stack at about 3,000 (a segfault, not an error).
MAX_NESTING = 64
#: Operators chained in one expression, at most (``1+1+…``, ``!!!…`` overflow past ~10,000).
MAX_OPERATORS = 500
#: The longest query text accepted (characters).
MAX_QUERY_CHARS = 1_000_000


def check_query_safety(text: str, *, allow_service: Iterable[str] = ()) -> None:
    """Refuse a query that would reach the network or overflow the SPARQL parser.

    Args:
        text: The query as the user wrote it.
        allow_service: Hosts (``host`` or ``host:port``) a ``SERVICE <IRI>`` clause may name;
            by default none, so every SERVICE clause is refused.

    Raises:
        QueryError: for a SERVICE clause to a host not allowed (or to a variable endpoint),
            brackets nested more than :data:`MAX_NESTING` deep (or never closed), more than
            :data:`MAX_OPERATORS` chained operators, or a text over :data:`MAX_QUERY_CHARS`.
    """
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"the query is {len(text):,} characters long; the limit is {MAX_QUERY_CHARS:,}"
        )
    allowed = {h.strip().lower() for h in allow_service if h.strip()}
    code = code_tokens(text)
    open_brackets: list[int] = []  # operators seen so far at each open bracket's level
    chained = 0
    for i, tok in enumerate(code):
        if tok.kind == "punct" and tok.text in OPEN:
            open_brackets.append(0)
            if len(open_brackets) > MAX_NESTING:
                line, col = line_col(text, tok.start)
                raise QueryError(
                    f"the query nests brackets more than {MAX_NESTING} deep (at {line}:{col}); "
                    "check that every ( { [ is closed, or simplify the query"
                )
        elif tok.kind == "punct" and tok.text in CLOSE:
            if open_brackets:
                chained -= open_brackets.pop()
        elif tok.kind == "punct" and tok.text in OPERATORS:
            chained += 1
            if open_brackets:
                open_brackets[-1] += 1
            if chained > MAX_OPERATORS:
                line, col = line_col(text, tok.start)
                raise QueryError(
                    f"the query chains more than {MAX_OPERATORS} operators in one expression "
                    f"(at {line}:{col}); split it up"
                )
        elif tok.kind == "word" and tok.text.upper() == "SERVICE":
            _check_service(text, code, i, allowed)


def _check_service(text: str, code: list[Token], i: int, allowed: set[str]) -> None:
    line, col = line_col(text, code[i].start)
    j = i + 1
    if j < len(code) and code[j].kind == "word" and code[j].text.upper() == "SILENT":
        j += 1
    endpoint = code[j] if j < len(code) else None
    if endpoint is None or endpoint.kind != "iri":
        raise QueryError(
            f"SERVICE at {line}:{col} names no endpoint IRI; kg query runs offline and only "
            "allows SERVICE <http://HOST/...> to hosts given with --allow-service HOST"
        )
    parts = urlsplit(endpoint.text[1:-1])
    host = (parts.hostname or "").lower()
    netloc = f"{host}:{parts.port}" if parts.port else host
    if parts.scheme not in ("http", "https") or not host or {host, netloc}.isdisjoint(allowed):
        raise QueryError(
            f"SERVICE {endpoint.text} at {line}:{col} would send part of the query to another "
            "server; kg query runs offline. If you mean it, allow that host with "
            f"--allow-service {netloc or 'HOST'}"
        )
