"""Writing query results: for people (a table, or one record per row when a table is too wide),
for spreadsheets (CSV), for programs (SPARQL 1.1 JSON and TSV, typed JSON, JSON Lines) and, for
CONSTRUCT and DESCRIBE, as RDF (Turtle, N-Triples, JSON-LD).

Two kinds of hostile value are defused here:

- **Terminal escapes.** Titles come from the open web; an ``ESC [ …`` sequence in one could
  recolour, clear or retitle the terminal. Everything shown as a table or as records passes
  through :func:`display`, which drops escape sequences and control characters.
- **Formula injection.** A CSV cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return runs as a formula when the file is opened in a spreadsheet
  (``=HYPERLINK(…)``). As OWASP recommends, :func:`csv_cell` prefixes such a cell with ``'``
  (numbers, which cannot be formulas, are left as they are).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable

import pyoxigraph as ox
from rich.table import Table
from rich.text import Text

from graph.errors import QueryError
from graph.ontology import PREFIXES
from graph.query import Result, Term, short

#: ``--to`` formats for SELECT and ASK results, and for CONSTRUCT and DESCRIBE results.
TABLE_FORMATS = ("table", "records", "csv", "tsv", "json", "jsonl", "sparql-json")
GRAPH_FORMATS = ("ttl", "nt", "jsonld")
FORMATS = TABLE_FORMATS + GRAPH_FORMATS

#: What each format is, for ``kg query --help``.
FORMAT_HELP = {
    "table": "a table for the terminal (records when too wide)",
    "records": "one block per row: column, value",
    "csv": "values, spreadsheet-safe",
    "tsv": 'SPARQL 1.1 TSV: terms as in Turtle (<IRI>, "text", 5)',
    "json": "an array of objects, numbers and booleans typed",
    "jsonl": "one such object per line",
    "sparql-json": "SPARQL 1.1 Query Results JSON (IRI or literal, datatype, language)",
    "ttl": "Turtle (CONSTRUCT/DESCRIBE)",
    "nt": "N-Triples (CONSTRUCT/DESCRIBE)",
    "jsonld": "JSON-LD with the paper-kg context (CONSTRUCT/DESCRIBE)",
}

#: The narrowest a column may be wrapped to (when its values are longer) and still read well.
COLUMN_MIN = 16

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {
    _XSD + t
    for t in re.findall(
        r"\w+",
        "integer long int short byte nonNegativeInteger positiveInteger negativeInteger "
        "nonPositiveInteger unsignedLong unsignedInt unsignedShort unsignedByte",
    )
}
_FLOATS = {_XSD + "decimal", _XSD + "double", _XSD + "float"}
_PLAIN = {_XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")

#: Terminal escape sequences (CSI, OSC, DCS/SOS/PM/APC strings, two-character escapes, 8-bit
#: CSI) and, after them, every other control character.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x1b[ -~]?"
    r"|\x9b[0-?]*[ -/]*[@-~]"
)
_CONTROLS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_SPACES = re.compile(r"[\t\n\r]+")


def display(value: str | None) -> str:
    """A value made safe for a terminal: no escape sequences, no control characters.

    Tabs and line breaks become one space; bidirectional overrides (which reorder what follows
    on the line) and lone surrogates are dropped; IRIs under a known prefix become prefixed
    names.
    """
    if value is None:
        return ""
    text = _ESCAPES.sub("", short(value))
    return _CONTROLS.sub("", _SPACES.sub(" ", text))


def _is_number(term: Term | None) -> bool:
    return (
        isinstance(term, ox.Literal)
        and term.datatype.value in _INTEGERS | _FLOATS
        and _NUMBER.fullmatch(term.value) is not None
    )


def csv_cell(value: str | None, term: Term | None = None) -> str:
    """A CSV cell that no spreadsheet runs as a formula (OWASP's CSV injection advice).

    A value starting with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or a line feed
    gets a leading ``'``, unless it is a number (``-0.5`` as an ``xsd:decimal``).
    """
    if value is None:
        return ""
    if value[:1] in ("=", "+", "-", "@", "\t", "\r", "\n") and not _is_number(term):
        return "'" + value
    return value


def typed(term: Term | None) -> object:
    """A term as a JSON value: numbers and booleans typed, everything else a string."""
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        try:
            if datatype in _INTEGERS and _NUMBER.fullmatch(term.value):
                return int(term.value)
            if datatype in _FLOATS and _NUMBER.fullmatch(term.value):
                number = float(term.value)
                return number if math.isfinite(number) else term.value
        except ValueError:  # more digits than int() converts
            return term.value
        if datatype == _XSD + "boolean" and term.value in ("true", "false", "1", "0"):
            return term.value in ("true", "1")
    return term.value


def sparql_term(term: Term) -> dict:
    """A term as in SPARQL 1.1 Query Results JSON."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": sparql_term(term.subject),
                "predicate": sparql_term(term.predicate),
                "object": sparql_term(term.object),
            },
        }
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value not in _PLAIN:
        out["datatype"] = term.datatype.value
    return out


def _rows_as_objects(result: Result) -> Iterable[dict[str, object]]:
    for row in result.terms:
        yield {v: typed(t) for v, t in zip(result.variables, row, strict=True)}


def _graph_text(triples: list[ox.Triple], fmt: str) -> str:
    if fmt == "nt":
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    if fmt == "jsonld":
        from graph.export import jsonld

        store = ox.Store()
        store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
        return jsonld(store)
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES).decode("utf-8")


def check_format(result: Result, fmt: str) -> str:
    """The format to write ``result`` in, given ``--to FMT``.

    ``json`` of a CONSTRUCT result is JSON-LD, and ``table`` or ``records`` of one is Turtle.

    Raises:
        QueryError: for a format the result cannot take (a table as Turtle, triples as CSV).
    """
    if fmt not in FORMATS and fmt != "json":
        raise QueryError(f"unknown --to {fmt!r}; choose from {', '.join(FORMATS)}")
    if result.triples is not None:
        if fmt in ("table", "records"):
            return "ttl"
        if fmt == "json":
            return "jsonld"
        if fmt not in GRAPH_FORMATS:
            raise QueryError(
                f"CONSTRUCT and DESCRIBE give RDF, not a table: use --to ttl, nt or jsonld "
                f"(not {fmt})"
            )
        return fmt
    if fmt in GRAPH_FORMATS:
        raise QueryError(
            f"SELECT and ASK give a table, not RDF: use --to {', '.join(TABLE_FORMATS)} "
            f"(or a CONSTRUCT query for {fmt})"
        )
    return fmt


def format_result(result: Result, fmt: str) -> str:
    """The text of ``result`` in ``fmt`` (one of :data:`FORMATS`; ``table`` gives CSV-like
    plain text; the CLI draws real tables with :func:`table`).

    Raises:
        QueryError: for a format the result cannot take.
    """
    fmt = check_format(result, fmt)
    if result.triples is not None:
        return _graph_text(result.triples, fmt)
    if result.boolean is not None:
        if fmt in ("json", "jsonl", "sparql-json"):
            return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
        return "true\n" if result.boolean else "false\n"
    if fmt == "sparql-json":
        bindings = [
            {v: sparql_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
            for row in result.terms
        ]
        document = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
        return json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    if fmt == "json":
        return json.dumps(list(_rows_as_objects(result)), ensure_ascii=False, indent=2) + "\n"
    if fmt == "jsonl":
        return "".join(
            json.dumps(obj, ensure_ascii=False) + "\n" for obj in _rows_as_objects(result)
        )
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in result.variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in result.terms]
        return "\n".join(lines) + "\n"
    if fmt == "records":
        return records(result)
    lines = [_csv_row(csv_cell(v) for v in result.variables)]
    for values, terms in zip(result.rows, result.terms, strict=True):
        lines.append(_csv_row(csv_cell(v, t) for v, t in zip(values, terms, strict=True)))
    return "".join(lines)


def _csv_row(cells: Iterable[str]) -> str:
    """One CSV record, quoted as RFC 4180 says: a cell holding a comma, a quote, a line feed or
    a carriage return is quoted (Python's csv module leaves a lone CR unquoted, which splits
    the record for every reader)."""
    return (
        ",".join(
            '"' + c.replace('"', '""') + '"' if any(x in c for x in ',"\r\n') else c for c in cells
        )
        + "\n"
    )


def fits(result: Result, width: int) -> bool:
    """Whether ``result`` reads as a table ``width`` characters wide: whether every column fits
    with long ones wrapped to :data:`COLUMN_MIN` characters; if not, :func:`records` reads
    better (an 11-column table in 100 characters is a column of letters)."""
    if not result.variables:
        return True
    total = 1 + 3 * len(result.variables)
    for i, name in enumerate(result.variables):
        longest = max((len(display(row[i])) for row in result.rows), default=0)
        total += min(max(longest, len(name)), COLUMN_MIN)
    return total <= width


def table(result: Result) -> Table:
    """A rich Table of a SELECT result; every cell is plain text (never console markup), and a
    value too long for its column wraps rather than losing its end to an ellipsis."""
    grid = Table(show_lines=False)
    for name in result.variables:
        grid.add_column(Text(display(name)), overflow="fold")  # wrap long IRIs, never cut them
    for row in result.rows:
        grid.add_row(*(Text(display(v)) for v in row))
    return grid


def records(result: Result) -> str:
    """One block per row, one ``column  value`` line per bound variable (like psql's ``\\x``)."""
    names = [display(v) for v in result.variables]
    pad = max((len(n) for n in names), default=0)
    out = []
    for number, row in enumerate(result.rows, 1):
        out.append(f"-[ {number} ]" + "-" * max(0, pad + 10 - len(str(number))))
        out += [f"{n:<{pad}}  {display(v)}" for n, v in zip(names, row, strict=True)]
    return "\n".join(out) + ("\n" if out else "")
