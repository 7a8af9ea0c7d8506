"""Query: check, parameterise and run SPARQL over a built graph.

The text of a query goes through three steps before Oxigraph sees it:

1. :func:`check_query_safety` (:mod:`graph.query.safety`) refuses what would break the promises
   of ``kg query``: a ``SERVICE`` clause (everything runs offline unless the user allows hosts
   by name) and nesting deep enough to overflow Oxigraph's parser.
2. :func:`bind_parameters` (:mod:`graph.query.params`) binds ``--param NAME=VALUE`` to the
   query's ``VALUES ?NAME { … }`` block, as RDF terms, never as spliced text.
3. :func:`run_query` runs it with the project's prefixes predeclared through Oxigraph's
   ``prefixes=`` (so error positions are those of the text the user wrote), in a thread with a
   large stack, and explains syntax errors in one line (:mod:`graph.query.hints`).

:mod:`graph.query.formats` writes the results (table, CSV, TSV, JSON, SPARQL JSON, RDF).
All of them read query text through the lexer the server's guard uses
(:mod:`graph.sparql_lexer`).
"""

from __future__ import annotations

import difflib
import sys
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from graph.errors import QueryError
from graph.ontology import PREFIXES, example_queries
from graph.query.hints import explain_syntax_error
from graph.query.params import Parameter, bind_parameters, parse_params, query_parameters
from graph.query.safety import MAX_NESTING, MAX_OPERATORS, MAX_QUERY_CHARS, check_query_safety
from graph.sparql_lexer import QUERY_FORMS, code_tokens, tokens

__all__ = [
    "MAX_NESTING",
    "MAX_OPERATORS",
    "MAX_QUERY_CHARS",
    "Parameter",
    "Result",
    "bind_parameters",
    "check_query_safety",
    "example_query",
    "explain_syntax_error",
    "load_query",
    "parse_params",
    "prologue",
    "query_parameters",
    "run_query",
    "run_with_stack",
    "short",
    "tokens",
]

#: Stack of the thread queries run in. Long flat queries (thousands of OPTIONALs or triple
#: patterns) recurse in Oxigraph too; a large stack (reserved, only touched pages cost memory)
#: keeps every query under MAX_QUERY_CHARS well inside it.
QUERY_STACK_BYTES = 512 * 1024 * 1024


def prologue() -> str:
    """PREFIX declarations of the project's prefixes (for endpoints that do not predeclare)."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def load_query(query_or_file: str) -> str:
    """Return the query text of an argument: ``-`` (stdin), a ``.rq`` file, or the text itself.

    Raises:
        QueryError: for a query file that does not exist or cannot be read.
    """
    if query_or_file == "-":
        try:
            return sys.stdin.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"cannot read the query from standard input ({exc})") from exc
    path = Path(query_or_file)
    looks_like_file = query_or_file.endswith((".rq", ".sparql")) and "\n" not in query_or_file
    try:
        is_file = (looks_like_file or "{" not in query_or_file) and path.is_file()
    except (OSError, ValueError):  # too long for a file name, or a NUL: it is query text
        is_file = False
    if is_file:
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"{path}: cannot read the query file ({exc})") from exc
    if looks_like_file:
        raise QueryError(f"{path}: no such query file")
    return query_or_file


def example_query(name: str) -> str:
    """Return the text of the example query ``name`` (ontology/queries/NAME.rq).

    Raises:
        QueryError: when there is no such example.
    """
    examples = example_queries()
    if name not in examples:
        close = difflib.get_close_matches(name, examples, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise QueryError(
            f"no example query {name!r}{hint}; choose from {', '.join(examples)} "
            "(kg query --list describes them)"
        )
    return examples[name].read_text(encoding="utf-8")


Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


@dataclass
class Result:
    """A query's outcome: rows for SELECT, a boolean for ASK, triples for CONSTRUCT/DESCRIBE.

    Attributes:
        variables: The SELECT's columns, in the query's order (for ``SELECT *``, the order in
            which the variables first appear in the query).
        rows: Each row's values as plain strings (None where unbound).
        boolean: The ASK answer.
        terms: Each row as RDF terms (what typed formats need: IRI or literal, datatype).
        triples: The CONSTRUCT/DESCRIBE result.
    """

    variables: list[str]
    rows: list[list[str | None]]
    boolean: bool | None = None
    terms: list[list[Term | None]] = field(default_factory=list)
    triples: list[ox.Triple] | None = None

    @property
    def graph(self) -> str | None:
        """A CONSTRUCT/DESCRIBE result as Turtle (None for SELECT and ASK)."""
        if self.triples is None:
            return None
        return ox.serialize(self.triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES).decode()


def _select_star_order(text: str, variables: list[str]) -> list[str]:
    """For ``SELECT *``, the variables in the order they first appear in the query."""
    code = code_tokens(text)
    forms = (i for i, t in enumerate(code) if t.kind == "word" and t.text.upper() in QUERY_FORMS)
    form = next(forms, None)
    if form is None or code[form].text.upper() != "SELECT":
        return variables
    rest = code[form + 1 :]
    while rest and rest[0].kind == "word" and rest[0].text.upper() in ("DISTINCT", "REDUCED"):
        rest = rest[1:]
    if not rest or rest[0].text != "*":
        return variables
    first: dict[str, int] = {}
    for t in rest:
        if t.kind == "var":
            first.setdefault(t.text[1:], len(first))
    return sorted(variables, key=lambda v: (first.get(v, len(first)), v))


T = TypeVar("T")


def run_with_stack(function: Callable[[], T], stack_bytes: int = QUERY_STACK_BYTES) -> T:
    """Run ``function`` in a thread with a large stack and return (or raise) what it does."""
    outcome: list = []

    def target() -> None:
        try:
            outcome.append((True, function()))
        except BaseException as exc:  # handed to the caller's thread
            outcome.append((False, exc))

    old = threading.stack_size()
    try:
        threading.stack_size(stack_bytes)
        thread = threading.Thread(target=target, name="kg-query", daemon=True)
        thread.start()
    except (ValueError, RuntimeError):  # a platform that refuses the size: run it here
        return function()
    finally:
        threading.stack_size(old)
    thread.join()
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


def run_query(
    store: ox.Store,
    query: str,
    *,
    params: Mapping[str, Sequence[str]] | None = None,
    allow_service: Iterable[str] = (),
) -> Result:
    """Run a SPARQL SELECT, ASK, CONSTRUCT or DESCRIBE query (the project's prefixes predeclared).

    Args:
        store: The graph (see :func:`graph.store.open_graph`).
        query: The query text.
        params: Values for the query's ``VALUES`` parameters (see :func:`bind_parameters`).
        allow_service: Hosts SERVICE clauses may reach (see :func:`check_query_safety`).

    Raises:
        QueryError: if the query is refused, does not parse (with the line and column in the
            user's text and a hint), is an update, or fails.
    """
    text = bind_parameters(query, params or {})
    check_query_safety(text, allow_service=allow_service)

    def execute() -> Result:
        result = store.query(text, prefixes=PREFIXES)
        if isinstance(result, ox.QueryBoolean):
            return Result([], [], boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            terms = [[solution[v] for v in variables] for solution in result]
            order = _select_star_order(text, variables)
            if order != variables:
                at = [variables.index(v) for v in order]
                terms = [[row[i] for i in at] for row in terms]
                variables = order
            rows = [[None if t is None else _value(t) for t in row] for row in terms]
            return Result(variables, rows, terms=terms)
        return Result([], [], triples=list(result))

    try:
        return run_with_stack(execute)
    except SyntaxError as exc:
        raise QueryError(explain_syntax_error(str(exc), text)) from exc
    except OSError as exc:
        raise QueryError(f"the query failed: {exc}") from exc


def _value(term: Term) -> str:
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def short(value: str | None) -> str:
    """A value for display: IRIs under a known prefix become prefixed names."""
    if value is None:
        return ""
    for prefix, ns in PREFIXES.items():
        if value.startswith(ns) and "/" not in value[len(ns) :]:
            return f"{prefix}:{value[len(ns) :]}"
    return value
