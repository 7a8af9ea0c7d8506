"""Query: run SPARQL over a built graph and format the results."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.errors import QueryError
from graph.ontology import PREFIXES, example_queries


@dataclass
class Result:
    """A query's outcome: rows for SELECT, a boolean for ASK, RDF text for CONSTRUCT/DESCRIBE."""

    variables: list[str]
    rows: list[list[str | None]]
    boolean: bool | None = None
    graph: str | None = None


def prologue() -> str:
    """PREFIX declarations of the project's prefixes, prepended to every query."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def load_query(query_or_file: str) -> str:
    """Return the query text of an argument: a ``.rq`` file, an example's name, or the text.

    Raises:
        QueryError: for a file name that does not exist.
    """
    path = Path(query_or_file)
    if query_or_file.endswith((".rq", ".sparql")):
        if not path.is_file():
            raise QueryError(f"{path}: no such query file")
        return path.read_text(encoding="utf-8")
    return query_or_file


def example_query(name: str) -> str:
    """Return the text of the example query ``name`` (ontology/queries/NAME.rq).

    Raises:
        QueryError: when there is no such example.
    """
    examples = example_queries()
    if name not in examples:
        raise QueryError(f"no example query {name!r}; choose from {', '.join(examples)}")
    return examples[name].read_text(encoding="utf-8")


def _term(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> str | None:
    if term is None:
        return None
    return term.value


def run_query(store: ox.Store, query: str) -> Result:
    """Run a SPARQL SELECT, ASK, CONSTRUCT or DESCRIBE query (the project's prefixes predeclared).

    Raises:
        QueryError: if the query does not parse, or is an update.
    """
    text = prologue() + query
    try:
        result = store.query(text)
    except SyntaxError as exc:
        raise QueryError(f"invalid SPARQL: {exc}".replace("\n", " ")) from exc
    except OSError as exc:
        raise QueryError(f"query failed: {exc}") from exc
    if isinstance(result, ox.QueryBoolean):
        return Result([], [], boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = [[_term(solution[v]) for v in variables] for solution in result]
        return Result(variables, rows)
    data = ox.serialize(result, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return Result([], [], graph=data.decode("utf-8"))


def format_result(result: Result, fmt: str) -> str:
    """Format a result as ``csv``, ``json`` or plain ``table`` text (the CLI renders tables)."""
    if result.boolean is not None:
        return (
            json.dumps({"boolean": result.boolean})
            if fmt == "json"
            else str(result.boolean).lower()
        )
    if result.graph is not None:
        return result.graph
    if fmt == "json":
        return json.dumps(
            [dict(zip(result.variables, row, strict=True)) for row in result.rows],
            ensure_ascii=False,
            indent=2,
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.variables)
    writer.writerows([["" if v is None else v for v in row] for row in result.rows])
    return buffer.getvalue()


def short(value: str | None) -> str:
    """A value for display: IRIs under a known prefix become prefixed names."""
    if value is None:
        return ""
    for prefix, ns in PREFIXES.items():
        if value.startswith(ns) and "/" not in value[len(ns) :]:
            return f"{prefix}:{value[len(ns) :]}"
    return value
