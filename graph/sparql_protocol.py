"""Pure helpers of the SPARQL 1.1 Protocol: reading a request, choosing a result format.

Nothing here touches a socket or a store; :mod:`graph.serve` calls these functions, and the
tests call them directly. :func:`rank` is the one content-negotiation routine, used for query
results and for the representations of a dereferenced IRI alike. Result documents themselves
are always written by pyoxigraph's serializers, never by hand.

See https://www.w3.org/TR/sparql11-protocol/ (query operation: GET with ``query=``, POST with a
form or an ``application/sparql-query`` body) and RFC 9110 section 12.5.1 (Accept, q-values).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import parse_qs

import pyoxigraph as ox

T = TypeVar("T")

#: The result kinds of the four query forms.
SOLUTIONS = "solutions"  # SELECT
BOOLEAN = "boolean"  # ASK
GRAPH = "graph"  # CONSTRUCT, DESCRIBE

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"


@dataclass(frozen=True)
class ResultFormat:
    """One way to write a result: the Content-Type sent and the pyoxigraph format that writes it."""

    media_type: str
    content_type: str
    format: ox.QueryResultsFormat | ox.RdfFormat


def _results(media: str, fmt: ox.QueryResultsFormat, charset: bool = False) -> ResultFormat:
    return ResultFormat(media, media + ("; charset=utf-8" if charset else ""), fmt)


_JSON = _results("application/sparql-results+json", ox.QueryResultsFormat.JSON)
_XML = _results("application/sparql-results+xml", ox.QueryResultsFormat.XML)
_CSV = _results("text/csv", ox.QueryResultsFormat.CSV, charset=True)
_TSV = _results("text/tab-separated-values", ox.QueryResultsFormat.TSV, charset=True)
_TURTLE = ResultFormat("text/turtle", "text/turtle; charset=utf-8", ox.RdfFormat.TURTLE)
_NTRIPLES = ResultFormat(
    "application/n-triples", "application/n-triples; charset=utf-8", ox.RdfFormat.N_TRIPLES
)
_JSONLD = ResultFormat("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD)
_RDFXML = ResultFormat("application/rdf+xml", "application/rdf+xml", ox.RdfFormat.RDF_XML)
_N3 = ResultFormat("text/n3", "text/n3; charset=utf-8", ox.RdfFormat.N3)

_TABULAR: list[tuple[str, ResultFormat]] = [
    # (accepted media type, format), in the server's order of preference
    ("application/sparql-results+json", _JSON),
    ("application/json", _JSON),
    ("application/sparql-results+xml", _XML),
    ("application/xml", _XML),
    ("text/xml", _XML),
    ("text/csv", _CSV),
    ("text/tab-separated-values", _TSV),
    # what SPARQLWrapper also lists for JSON
    ("text/javascript", _JSON),
    ("application/javascript", _JSON),
]
_RDF: list[tuple[str, ResultFormat]] = [
    ("text/turtle", _TURTLE),
    ("application/x-turtle", _TURTLE),
    ("application/turtle", _TURTLE),
    ("application/n-triples", _NTRIPLES),
    ("application/ld+json", _JSONLD),
    ("application/json", _JSONLD),
    ("application/rdf+xml", _RDFXML),
    ("application/xml", _RDFXML),
    ("text/xml", _RDFXML),
    ("text/n3", _N3),
    ("text/rdf+n3", _N3),
]
#: Media types each result kind can be written as, the server's preferred one first.
OFFERS: dict[str, list[tuple[str, ResultFormat]]] = {
    SOLUTIONS: _TABULAR,
    BOOLEAN: _TABULAR,
    GRAPH: _RDF,
}
#: Values of the ``format`` parameter (also sent by SPARQLWrapper as ``format=json`` ...).
FORMAT_NAMES: dict[str, dict[str, ResultFormat]] = {
    SOLUTIONS: {"json": _JSON, "srj": _JSON, "xml": _XML, "srx": _XML, "csv": _CSV, "tsv": _TSV},
    GRAPH: {
        "turtle": _TURTLE,
        "ttl": _TURTLE,
        "nt": _NTRIPLES,
        "ntriples": _NTRIPLES,
        "n-triples": _NTRIPLES,
        "jsonld": _JSONLD,
        "json-ld": _JSONLD,
        "json": _JSONLD,
        "xml": _RDFXML,
        "rdf": _RDFXML,
        "rdfxml": _RDFXML,
        "rdf+xml": _RDFXML,
        "n3": _N3,
    },
}
FORMAT_NAMES[BOOLEAN] = FORMAT_NAMES[SOLUTIONS]

_UPDATE_START = re.compile(
    r"^\s*(?:(?:BASE\s*<[^>]*>|PREFIX\s*[\w.-]*:\s*<[^>]*>)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.IGNORECASE,
)
_COMMENT = re.compile(r"(?m)^\s*#.*$")


class ProtocolError(Exception):
    """A request the endpoint refuses, with the HTTP status to answer."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class QueryRequest:
    """A SPARQL query operation as the protocol request carried it."""

    query: str
    default_graph_uris: list[str] = field(default_factory=list)
    named_graph_uris: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Parse an Accept header into ``(media range, q)`` pairs, in the header's order.

    Parameters other than ``q`` are dropped; a malformed q counts as 0 (not acceptable).
    An absent or empty header means ``*/*``.

    >>> parse_accept("text/csv;q=0.5, application/json")
    [('text/csv', 0.5), ('application/json', 1.0)]
    """
    if not header or not header.strip():
        return [("*/*", 1.0)]
    ranges = []
    for part in header.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        if not media:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append((media.lower(), q))
    return ranges


def _match(media_range: str, media_type: str) -> int:
    """How specifically ``media_range`` matches ``media_type``: 3 exact, 2 type/*, 1 */*, 0 no."""
    if media_range == media_type:
        return 3
    if media_range == "*/*" or media_range == "*":
        return 1
    major, _, minor = media_range.partition("/")
    if minor == "*" and media_type.startswith(major + "/"):
        return 2
    return 0


def rank(
    accept: str | None, offers: list[tuple[str, T]], primary: set[str] | None = None
) -> list[T]:
    """Every offer an Accept header admits, best first (each offer, a hashable value, once).

    Each offered type gets the q of the most specific range matching it; types not in
    ``primary`` (aliases such as ``application/json`` for SPARQL JSON) count only when named
    outright, never through a wildcard. Higher q first; ties go to the more specific match,
    then to the range the client listed first, then to the order of ``offers``.
    """
    ranges = parse_accept(accept)
    scored: dict[T, tuple[tuple[float, int, int, int], T]] = {}
    for server_rank, (media_type, offer) in enumerate(offers):
        hit: tuple[int, float, int] | None = None  # (specificity, q, client position)
        for position, (media_range, q) in enumerate(ranges):
            specificity = _match(media_range, media_type)
            if specificity < 3 and primary is not None and media_type not in primary:
                continue
            if specificity and (hit is None or specificity > hit[0]):
                hit = (specificity, q, position)
        if hit is None or hit[1] <= 0:
            continue
        key = (hit[1], hit[0], -hit[2], -server_rank)
        if offer not in scored or key > scored[offer][0]:
            scored[offer] = (key, offer)
    return [offer for _, offer in sorted(scored.values(), key=lambda kv: kv[0], reverse=True)]


def _primary(kind: str) -> set[str]:
    return {fmt.media_type for _, fmt in OFFERS[kind]}


def negotiate_all(accept: str | None, kind: str) -> list[ResultFormat]:
    """Every format a ``kind`` result may be written in for an Accept header, best first."""
    return rank(accept, OFFERS[kind], _primary(kind))


def negotiate(accept: str | None, kind: str) -> ResultFormat | None:
    """Choose how to write a result of ``kind`` for an Accept header, or None if nothing fits.

    The highest q wins; ties go to the more specific match, then to the range the client
    listed first, then to the server's preference (SPARQL JSON for tables, Turtle for graphs).
    """
    ranked = negotiate_all(accept, kind)
    return ranked[0] if ranked else None


def acceptable_at_all(accept: str | None) -> bool:
    """Whether some result of some query form could satisfy the Accept header."""
    return any(negotiate(accept, kind) for kind in OFFERS)


def choose_format(accept: str | None, formats: list[str], kind: str) -> ResultFormat:
    """The format to write a ``kind`` result in: the ``format`` parameter if given, else Accept.

    Raises:
        ProtocolError: 406 when neither names a format this kind of result can be written as.
    """
    return choose_formats(accept, formats, kind)[0]


def choose_formats(accept: str | None, formats: list[str], kind: str) -> list[ResultFormat]:
    """The formats a ``kind`` result may be written in, best first: the one the ``format``
    parameter names, else every format the Accept header admits.

    Raises:
        ProtocolError: 406 when neither names a format this kind of result can be written as.
    """
    if formats:
        names = FORMAT_NAMES[kind]
        for value in formats:
            value = value.strip().lower()
            if value in names:
                return [names[value]]
            by_type = negotiate(value, kind) if "/" in value and "*" not in value else None
            if by_type is not None:
                return [by_type]
        raise ProtocolError(
            406,
            f"format={formats[0]} cannot express a {describe_kind(kind)}; use one of "
            f"{', '.join(sorted(set(FORMAT_NAMES[kind])))}",
        )
    chosen = negotiate_all(accept, kind)
    if not chosen:
        offered = ", ".join(dict.fromkeys(fmt.media_type for _, fmt in OFFERS[kind]))
        raise ProtocolError(
            406, f"cannot write a {describe_kind(kind)} as {accept!r}; acceptable: {offered}"
        )
    return chosen


def describe_kind(kind: str) -> str:
    """Name a result kind for messages."""
    return {
        SOLUTIONS: "SELECT result",
        BOOLEAN: "ASK result",
        GRAPH: "CONSTRUCT/DESCRIBE result",
    }[kind]


def looks_like_update(text: str) -> bool:
    """Whether a text starts like a SPARQL Update operation (INSERT, DELETE, LOAD, DROP ...).

    Only used to explain a refusal; the query parser decides what is a query.
    """
    return bool(_UPDATE_START.match(_COMMENT.sub("", text)))


def _form(text: str) -> dict[str, list[str]]:
    try:
        return parse_qs(text, keep_blank_values=True, strict_parsing=False, errors="strict")
    except UnicodeDecodeError as exc:  # pragma: no cover - parse_qs decodes %-escapes lazily
        raise ProtocolError(400, f"parameters are not UTF-8 ({exc})") from exc


def _decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"{what} is not UTF-8 ({exc})") from exc


READ_ONLY = (
    "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP ...) is "
    "refused and nothing was changed; send a SELECT, ASK, CONSTRUCT or DESCRIBE query"
)


def parse_query_request(
    method: str, query_string: str, content_type: str | None, body: bytes
) -> QueryRequest:
    """Read a SPARQL Protocol query operation from an HTTP request.

    Args:
        method: ``GET`` or ``POST``.
        query_string: The URL's query string (after ``?``), not yet decoded.
        content_type: The request's Content-Type header (POST).
        body: The request body (POST).

    Raises:
        ProtocolError: 403 for any update operation (the endpoint is read-only), 415 for a body
            of another type, 400 for a missing or repeated ``query``.
    """
    params = _form(query_string)
    media = (content_type or "").split(";")[0].strip().lower()
    if method == "POST":
        if media == SPARQL_UPDATE:
            raise ProtocolError(403, READ_ONLY)
        if media == FORM:
            for name, values in _form(_decode(body, "the form")).items():
                params.setdefault(name, []).extend(values)
        elif media == SPARQL_QUERY:
            if "query" in params:
                raise ProtocolError(400, "give the query either in the body or as query=, not both")
            params["query"] = [_decode(body, "the query")]
        else:
            raise ProtocolError(
                415,
                f"unsupported Content-Type {media or '(none)'!r}; POST a query as "
                f"{SPARQL_QUERY} or as a {FORM} form with query=",
            )
    elif method != "GET":
        raise ProtocolError(405, f"{method} is not allowed here; use GET or POST")
    if "update" in params or "using-graph-uri" in params or "using-named-graph-uri" in params:
        raise ProtocolError(403, READ_ONLY)
    queries = params.get("query", [])
    if not queries:
        raise ProtocolError(
            400,
            "missing query parameter: send ?query=SELECT... (GET), a form with query= or an "
            f"{SPARQL_QUERY} body (POST); /query has a page to write one",
        )
    if len(queries) > 1:
        raise ProtocolError(400, "more than one query parameter; send exactly one")
    if not queries[0].strip():
        raise ProtocolError(400, "the query is empty")
    return QueryRequest(
        query=queries[0],
        default_graph_uris=params.get("default-graph-uri", []),
        named_graph_uris=params.get("named-graph-uri", []),
        formats=[v for v in params.get("format", []) if v.strip()],
    )


def leading_comment(text: str) -> tuple[str, str]:
    """The first ``#`` line of a query file (its one-line description) and the whole comment.

    >>> leading_comment("# Most used models\\n# Counts papers.\\nSELECT ...")
    ('Most used models', 'Most used models\\nCounts papers.')
    """
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            if stripped:
                break
            continue
        lines.append(stripped[1:].strip())
    return (lines[0] if lines else ""), "\n".join(lines).strip()
