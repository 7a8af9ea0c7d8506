"""Safety checks run on every query ``kg query`` hands to Oxigraph.

Two promises of ``kg query`` would break without them:

- **Offline.** Oxigraph runs ``SERVICE <http://…> { … }`` as a real outgoing HTTP request. A
  SERVICE clause is refused unless its host was allowed by name (``--allow-service HOST``).
- **No crash.** Oxigraph's parser overflows the C stack (a segfault, exit 139, nothing printed)
  on about 3,000 nested brackets, valid or not, or on long chains of operators.

The rules are those of the server, :func:`graph.sparql_guard.check_query`: one guard for every
way a query reaches the engine. Only the length bound is ``kg query``'s own.
"""

from __future__ import annotations

from collections.abc import Iterable

from graph.errors import QueryError
from graph.ontology import PREFIXES
from graph.sparql_guard import MAX_NESTING, MAX_OPERATORS, check_query

#: The longest query text accepted (characters).
MAX_QUERY_CHARS = 1_000_000

__all__ = ["MAX_NESTING", "MAX_OPERATORS", "MAX_QUERY_CHARS", "check_query_safety"]


def check_query_safety(text: str, *, allow_service: Iterable[str] = ()) -> None:
    """Refuse a query that would reach the network or overflow the SPARQL parser.

    Args:
        text: The query as the user wrote it.
        allow_service: Hosts a ``SERVICE <IRI>`` clause may name; by default none, so every
            SERVICE clause is refused.

    Raises:
        QueryError: for a text over :data:`MAX_QUERY_CHARS`, and the guard's
            :class:`~graph.sparql_guard.UnsafeQueryError` (a QueryError) for a SERVICE clause
            not allowed, or a query nested or chained past the engine's limits.
    """
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"the query is {len(text):,} characters long; the limit is {MAX_QUERY_CHARS:,}"
        )
    check_query(text, allow_service=list(allow_service), prefixes=PREFIXES)
