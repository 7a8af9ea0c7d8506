"""Running one query on a store and writing its result document: what a query worker does.

:func:`execute` is the whole job of a worker process (:mod:`graph.serve.worker`); the static
site (:mod:`graph.serve.site`) and the notebook API call it in-process. It imports nothing but
pyoxigraph and the pure protocol and guard helpers, so a worker starts quickly.
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph.query.hints import explain_syntax_error
from graph.sparql_guard import UnsafeQueryError, check_query
from graph.sparql_protocol import (
    BOOLEAN,
    GRAPH,
    READ_ONLY,
    SOLUTIONS,
    ProtocolError,
    ResultFormat,
    choose_formats,
    looks_like_update,
)

DEFAULT_MAX_RESULTS = 10_000
#: Largest result document kept before writing it out (more is cut, as past max_results).
MAX_RESULT_BYTES = 64 * 1024 * 1024

#: Characters XML 1.0 cannot carry at all, not even as character references.
_NOT_XML = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")
_XML_FORMATS = (ox.QueryResultsFormat.XML, ox.RdfFormat.RDF_XML)


@dataclass
class Job:
    """One query for a worker: the text, how to answer it, and the result cap.

    ``bindings`` substitute values for variables before the query runs (SEP-0007, never
    spliced into the text): ``{"this": ("iri", "https://...")}`` or ``("literal", "text")``.
    """

    query: str
    accept: str | None = None
    formats: list[str] = field(default_factory=list)
    default_graph_uris: list[str] = field(default_factory=list)
    named_graph_uris: list[str] = field(default_factory=list)
    max_results: int = DEFAULT_MAX_RESULTS
    bindings: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass
class Reply:
    """An HTTP answer: status, Content-Type, body and extra headers."""

    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def error_reply(status: int, message: str) -> Reply:
    """A plain-text error answer."""
    return Reply(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode("utf-8"))


class _Full(Exception):
    """Raised by :class:`_LineCap` to stop a serializer once the cap is passed."""


class _LineCap(io.RawIOBase):
    """A write-only buffer that stops its writer past ``limit`` lines or ``max_bytes`` bytes.

    TSV results and N-Triples hold one solution or triple per line (newlines inside literals
    are escaped), so lines count results; the byte cap bounds memory when rows are huge.
    """

    def __init__(self, limit: int, max_bytes: int = MAX_RESULT_BYTES):
        super().__init__()
        self.limit = limit
        self.max_bytes = max_bytes
        self.data = bytearray()
        self.lines = 0
        self.truncated = False

    def writable(self) -> bool:
        return True

    def write(self, b: bytes) -> int:  # type: ignore[override]
        chunk = bytes(b)
        self.data += chunk
        self.lines += chunk.count(b"\n")
        if self.lines > self.limit or len(self.data) > self.max_bytes:
            self.truncated = True
            raise _Full
        return len(chunk)

    def kept(self) -> bytes:
        """Whole lines only: at most ``limit`` of them and ``max_bytes`` bytes."""
        if not self.truncated:
            return bytes(self.data)
        end = -1
        for _ in range(self.limit):
            found = self.data.find(b"\n", end + 1, self.max_bytes)
            if found < 0:
                break
            end = found
        return bytes(self.data[: end + 1])


def _capped(write: Callable[[io.RawIOBase], object], limit: int) -> tuple[bytes, bool]:
    sink = _LineCap(limit)
    with contextlib.suppress(_Full):
        write(sink)
    return sink.kept(), sink.truncated


def _substitutions(bindings: dict[str, tuple[str, str]]) -> dict[ox.Variable, object]:
    terms: dict[ox.Variable, object] = {}
    for name, (kind, value) in bindings.items():
        terms[ox.Variable(name)] = ox.NamedNode(value) if kind == "iri" else ox.Literal(value)
    return terms


def _write(
    result: object,
    kind: str,
    fmt: ResultFormat,
    tsv_or_nt: bytes,
    prefixes: dict[str, str] | None,
) -> bytes:
    """Write a capped TSV (solutions) or N-Triples (graph) result in the chosen format."""
    if kind == BOOLEAN:
        return result.serialize(format=fmt.format)  # type: ignore[attr-defined]
    if kind == SOLUTIONS:
        tsv = ox.QueryResultsFormat.TSV
        if fmt.format == tsv:
            return tsv_or_nt
        return ox.parse_query_results(tsv_or_nt, format=tsv).serialize(format=fmt.format)
    nt = ox.RdfFormat.N_TRIPLES
    if fmt.format == nt:
        return tsv_or_nt
    return ox.serialize(
        ox.parse(tsv_or_nt, format=nt),
        format=fmt.format,
        prefixes=prefixes if fmt.format == ox.RdfFormat.TURTLE else None,
    )


@functools.lru_cache(maxsize=256)
def _check(
    query: str, allow_service: tuple[str, ...], prefixes: tuple[tuple[str, str], ...]
) -> None:
    # Pages run the same few queries again and again: check each text once.
    check_query(query, allow_service=allow_service, prefixes=dict(prefixes))


def execute(
    store: ox.Store,
    job: Job,
    prefixes: dict[str, str] | None = None,
    *,
    allow_service: Collection[str] = (),
) -> Reply:
    """Run one query on ``store`` and write its result as the request asked.

    The query is first checked by :func:`graph.sparql_guard.check_query` (no ``SERVICE``
    beyond ``allow_service``, bounded nesting), so no query reaches the engine that would make
    it send a request or crash. SELECT results and CONSTRUCT/DESCRIBE triples are streamed
    into a line-counting buffer (TSV, N-Triples) that stops the query after
    ``job.max_results``; what was kept is parsed back and written in the negotiated format by
    pyoxigraph. A result XML 1.0 cannot carry (a control character in a literal) is written
    in the client's next acceptable format instead, or refused with a 406.

    Returns:
        A 200 reply, or a 400 (refused or unparsable query), 406 (no acceptable format) or
        500 reply.
    """
    try:
        _check(job.query, tuple(allow_service), tuple(sorted((prefixes or {}).items())))
    except UnsafeQueryError as exc:
        return error_reply(400, f"query refused: {exc}")
    kwargs: dict[str, object] = {}
    try:
        if job.default_graph_uris:
            kwargs["default_graph"] = [ox.NamedNode(u) for u in job.default_graph_uris]
        if job.named_graph_uris:
            kwargs["named_graphs"] = [ox.NamedNode(u) for u in job.named_graph_uris]
    except ValueError as exc:
        return error_reply(400, f"invalid graph IRI in default-graph-uri/named-graph-uri: {exc}")
    try:
        if job.bindings:
            kwargs["substitutions"] = _substitutions(job.bindings)
    except ValueError as exc:
        return error_reply(400, f"invalid value to bind: {exc}")
    try:
        result = store.query(job.query, prefixes=prefixes, **kwargs)
    except SyntaxError as exc:
        detail = str(exc).replace("\n", " ")
        if looks_like_update(job.query):
            return error_reply(400, f"{READ_ONLY} (as a query it does not parse: {detail})")
        # The same one line `kg query` gives: where, what was expected, a hint.
        return error_reply(400, explain_syntax_error(detail, job.query))
    except (OSError, RuntimeError, ValueError) as exc:
        return error_reply(500, f"query failed: {exc}")

    if isinstance(result, ox.QueryBoolean):
        kind = BOOLEAN
    elif isinstance(result, ox.QuerySolutions):
        kind = SOLUTIONS
    else:
        kind = GRAPH
    try:
        candidates = choose_formats(job.accept, job.formats, kind)
    except ProtocolError as exc:
        return error_reply(exc.status, exc.message)

    truncated = False
    raw = b""
    try:
        if kind == SOLUTIONS:
            tsv = ox.QueryResultsFormat.TSV
            raw, truncated = _capped(
                lambda out: result.serialize(out, format=tsv), job.max_results + 1
            )
        elif kind == GRAPH:
            nt = ox.RdfFormat.N_TRIPLES
            raw, truncated = _capped(
                lambda out: ox.serialize(result, out, format=nt), job.max_results
            )
        chosen, body = None, b""
        for fmt in candidates:
            body = _write(result, kind, fmt, raw, prefixes)
            if fmt.format not in _XML_FORMATS or not _NOT_XML.search(body):
                chosen = fmt
                break
    except (OSError, RuntimeError, ValueError, SyntaxError) as exc:
        return error_reply(500, f"query failed while its results were read: {exc}")
    if chosen is None:
        return error_reply(
            406,
            "the result holds characters XML 1.0 cannot carry (control characters); ask for "
            "application/sparql-results+json, text/csv, text/turtle or application/n-triples",
        )
    headers = {"X-KG-Truncated": "true" if truncated else "false"}
    if kind != BOOLEAN:
        headers["X-KG-Result-Limit"] = str(job.max_results)
    return Reply(200, chosen.content_type, body or b"", headers)
