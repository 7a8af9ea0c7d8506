"""Serve: a read-only SPARQL 1.1 Protocol endpoint over a built graph, with its HTML views.

``/sparql``  the SPARQL 1.1 Protocol query operation: GET ``?query=``, POST a form or an
             ``application/sparql-query`` body. SELECT/ASK results as SPARQL JSON, XML, CSV or
             TSV, CONSTRUCT/DESCRIBE as Turtle, N-Triples, JSON-LD, RDF/XML or N3, chosen by the
             Accept header (q-values honoured) or a ``format=`` parameter. The project's
             prefixes (kg:, paper:, model: ... see ``kg query --help``) are predeclared.
``/``        the interactive graph view: the build's ``graph.html`` (``kg build --formats
             html``), else one drawn from its ``graph.graphml``.
``/query``   a small query page: a text box, the example queries, a results table.

Read-only twice over: update requests are refused (403) before anything runs, and the store is
opened with :meth:`pyoxigraph.Store.read_only`, which cannot write.

pyoxigraph cannot cancel a running query, so queries run in a small pool of worker processes,
each holding the same read-only store; a query past the time limit has its worker killed (and
replaced) and the client gets a 503 saying so. Results past the cap are cut and flagged with
``X-KG-Truncated: true``. Everything here is the standard library plus pyoxigraph, whose
serializers write every result document.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import html as html_lib
import io
import ipaddress
import json
import os
import queue
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph as ox

from graph import __version__
from graph.errors import KGError
from graph.sparql_protocol import (
    BOOLEAN,
    GRAPH,
    READ_ONLY,
    SOLUTIONS,
    ProtocolError,
    acceptable_at_all,
    choose_format,
    leading_comment,
    looks_like_update,
    parse_query_request,
)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_RESULTS = 10_000
DEFAULT_WORKERS = 2
#: Largest request body accepted (a query text or a form), in bytes.
MAX_BODY = 1024 * 1024
#: Largest result document kept before writing it out (more is cut, as past --max-results).
MAX_RESULT_BYTES = 64 * 1024 * 1024
_WORKER_START_TIMEOUT = 120.0
_WORKER_CODE = "import sys; from graph.serve import _worker_main; _worker_main(int(sys.argv[1]))"


# --------------------------------------------------------------------------- query execution


@dataclass
class Job:
    """One query for a worker: the text, how to answer it, and the result cap."""

    query: str
    accept: str | None = None
    formats: list[str] = field(default_factory=list)
    default_graph_uris: list[str] = field(default_factory=list)
    named_graph_uris: list[str] = field(default_factory=list)
    max_results: int = DEFAULT_MAX_RESULTS


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


def execute(store: ox.Store, job: Job, prefixes: dict[str, str] | None = None) -> Reply:
    """Run one query on ``store`` and write its result as the request asked.

    SELECT results and CONSTRUCT/DESCRIBE triples are streamed into a line-counting buffer
    (TSV, N-Triples) that stops the query after ``job.max_results``; what was kept is parsed
    back and written in the negotiated format by pyoxigraph.

    Returns:
        A 200 reply, or a 400 (query does not parse), 406 (no acceptable format) or 500 reply.
    """
    kwargs: dict[str, object] = {}
    try:
        if job.default_graph_uris:
            kwargs["default_graph"] = [ox.NamedNode(u) for u in job.default_graph_uris]
        if job.named_graph_uris:
            kwargs["named_graphs"] = [ox.NamedNode(u) for u in job.named_graph_uris]
    except ValueError as exc:
        return error_reply(400, f"invalid graph IRI in default-graph-uri/named-graph-uri: {exc}")
    try:
        result = store.query(job.query, prefixes=prefixes, **kwargs)
    except SyntaxError as exc:
        detail = str(exc).replace("\n", " ")
        if looks_like_update(job.query):
            return error_reply(400, f"{READ_ONLY} (as a query it does not parse: {detail})")
        return error_reply(400, f"invalid SPARQL query: {detail}")
    except (OSError, RuntimeError, ValueError) as exc:
        return error_reply(500, f"query failed: {exc}")

    if isinstance(result, ox.QueryBoolean):
        kind = BOOLEAN
    elif isinstance(result, ox.QuerySolutions):
        kind = SOLUTIONS
    else:
        kind = GRAPH
    try:
        fmt = choose_format(job.accept, job.formats, kind)
    except ProtocolError as exc:
        return error_reply(exc.status, exc.message)

    truncated = False
    try:
        if kind == BOOLEAN:
            body = result.serialize(format=fmt.format)
        elif kind == SOLUTIONS:
            tsv = ox.QueryResultsFormat.TSV
            body, truncated = _capped(
                lambda out: result.serialize(out, format=tsv), job.max_results + 1
            )
            if fmt.format != tsv:
                body = ox.parse_query_results(body, format=tsv).serialize(format=fmt.format)
        else:
            nt = ox.RdfFormat.N_TRIPLES
            body, truncated = _capped(
                lambda out: ox.serialize(result, out, format=nt), job.max_results
            )
            if fmt.format != nt:
                body = ox.serialize(
                    ox.parse(body, format=nt),
                    format=fmt.format,
                    prefixes=prefixes if fmt.format == ox.RdfFormat.TURTLE else None,
                )
    except (OSError, RuntimeError, ValueError, SyntaxError) as exc:
        return error_reply(500, f"query failed while its results were read: {exc}")
    headers = {"X-KG-Truncated": "true" if truncated else "false"}
    if kind != BOOLEAN:
        headers["X-KG-Result-Limit"] = str(job.max_results)
    return Reply(200, fmt.content_type, body or b"", headers)


def _worker_main(fd: int) -> None:  # pragma: no cover - runs in the worker process
    """A query worker: read the store path and prefixes, open the store read-only, then answer
    jobs until told to stop or the server goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's business
    _die_with_parent()
    conn = Connection(fd)
    try:
        store_path, prefixes = conn.recv()
        store = ox.Store.read_only(store_path)
    except (EOFError, OSError) as exc:
        with contextlib.suppress(OSError):
            conn.send(("error", f"cannot open the store ({exc})"))
        return
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            reply = execute(store, job, prefixes)
        except Exception as exc:
            reply = error_reply(500, f"query failed: {exc}")
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


def _die_with_parent() -> None:  # pragma: no cover - runs in the worker process
    """On Linux, have the kernel kill this worker when the server process dies."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


@dataclass
class _Worker:
    process: subprocess.Popen
    conn: Connection


class QueryPool:
    """Worker processes answering queries on one read-only store, killed past the time limit.

    Args:
        store_path: An on-disk Oxigraph store.
        prefixes: Prefixes predeclared for every query.
        size: Number of worker processes (queries answered at once).
        timeout: Seconds a query may run; also how long a request waits for a free worker.

    Raises:
        KGError: if a worker cannot open the store.
    """

    def __init__(self, store_path: str | Path, prefixes: dict[str, str], size: int, timeout: float):
        self.store_path = str(store_path)
        self.prefixes = dict(prefixes)
        self.timeout = timeout
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._workers: set[int] = set()
        self._all: list[_Worker] = []
        self._closed = False
        self.restarts = 0
        # Workers are started by one long-lived thread: on Linux each worker asks the kernel
        # to kill it when the thread that started it ends (PR_SET_PDEATHSIG follows threads).
        self._spawn_requests: queue.Queue[queue.Queue | None] = queue.Queue()
        self._spawner = threading.Thread(
            target=self._spawn_loop, name="kg-serve-spawner", daemon=True
        )
        self._spawner.start()
        started = [self._start() for _ in range(size)]
        try:
            for worker in started:
                self._await_ready(worker)
                self._idle.put(worker)
        except BaseException:
            self.close()
            raise

    def _spawn_loop(self) -> None:
        while True:
            box = self._spawn_requests.get()
            if box is None:
                return
            try:
                box.put(self._spawn())
            except BaseException as exc:  # handed to the caller of _start
                box.put(exc)

    def _start(self) -> _Worker:
        if self._closed:
            raise KGError("query worker: the server is shutting down")
        box: queue.Queue = queue.Queue(maxsize=1)
        self._spawn_requests.put(box)
        try:
            result = box.get(timeout=_WORKER_START_TIMEOUT)
        except queue.Empty:
            raise KGError("query worker: did not start in time") from None
        if isinstance(result, BaseException):
            raise result
        return result

    def _spawn(self) -> _Worker:
        """Start a worker: a fresh interpreter (not a fork of this threaded server, and no
        re-import of the caller's main module) talking over a socket pair."""
        parent, child = socket.socketpair()
        env = dict(os.environ)
        package_root = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
        try:
            process = subprocess.Popen(
                [sys.executable, "-c", _WORKER_CODE, str(child.fileno())],
                pass_fds=[child.fileno()],
                stdin=subprocess.DEVNULL,
                env=env,
                close_fds=True,
            )
        finally:
            child.close()
        conn = Connection(parent.detach())
        worker = _Worker(process, conn)
        with self._lock:
            self._all.append(worker)
        with contextlib.suppress(OSError):  # if it died already, _await_ready reports it
            conn.send((self.store_path, self.prefixes))
        return worker

    def _await_ready(self, worker: _Worker) -> None:
        conn = worker.conn
        message: tuple[str, str | None] = ("error", "did not start in time")
        try:
            if conn.poll(_WORKER_START_TIMEOUT):
                message = conn.recv()
        except (EOFError, OSError):
            message = ("error", "exited while starting")
        if message[0] != "ready":
            self._kill(worker)
            raise KGError(f"query worker: {message[1]}")

    def _kill(self, worker: _Worker) -> None:
        if worker.process.poll() is None:
            worker.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            worker.process.wait(5)
        with contextlib.suppress(OSError):
            worker.conn.close()
        with self._lock, contextlib.suppress(ValueError):
            self._all.remove(worker)

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and start another in the background."""
        self._kill(worker)
        self.restarts += 1

        def restart() -> None:
            if self._closed:
                return
            try:
                new = self._start()
                self._await_ready(new)
            except KGError as exc:  # pragma: no cover - shutting down, or the store vanished
                if not self._closed:
                    print(f"kg serve: cannot restart a query worker: {exc}", file=sys.stderr)
                return
            if self._closed:
                self._kill(new)
            else:
                self._idle.put(new)

        threading.Thread(target=restart, name="kg-serve-restart", daemon=True).start()

    def run(self, job: Job) -> Reply:
        """Run a job on a free worker; a 503 reply if none frees up or the query runs too long."""
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            return error_reply(
                503,
                f"all query workers stayed busy for {_seconds(self.timeout)} s; try again later",
            )
        try:
            worker.conn.send(job)
            if worker.conn.poll(self.timeout):
                reply = worker.conn.recv()
                self._idle.put(worker)
                return reply
        except (EOFError, OSError, ValueError):
            self._replace(worker)
            return error_reply(
                500,
                "the query worker stopped unexpectedly (out of memory?); "
                "narrow the query or try again",
            )
        self._replace(worker)
        return error_reply(
            503,
            f"query exceeded the {_seconds(self.timeout)} s time limit and was stopped; add a "
            "LIMIT or narrow the patterns, or start kg serve with a longer --timeout",
        )

    def close(self) -> None:
        """Stop every worker (idle ones are asked to quit; busy ones are killed)."""
        self._closed = True
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            with contextlib.suppress(OSError, ValueError):
                worker.conn.send(None)
        deadline = time.monotonic() + 2
        for worker in workers:
            with contextlib.suppress(subprocess.TimeoutExpired):
                worker.process.wait(max(0.0, deadline - time.monotonic()))
            self._kill(worker)
        self._spawn_requests.put(None)


def _seconds(value: float) -> str:
    return f"{value:g}"


# --------------------------------------------------------------------------- pages


def example_list() -> list[dict[str, str]]:
    """The example queries of ontology/queries: name, one-line title, comment and text."""
    from graph.ontology import example_queries

    examples = []
    for name, path in example_queries().items():
        text = path.read_text(encoding="utf-8")
        title, comment = leading_comment(text)
        examples.append({"name": name, "title": title, "description": comment, "query": text})
    return examples


def _script_json(data: object) -> str:
    """JSON safe to put inside a <script type="application/json"> element."""
    return (
        json.dumps(data, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


_QUERY_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>paper-kg · SPARQL query</title>
<link rel="icon" href="data:,">
<style nonce="@NONCE@">
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
       margin: 16px 24px; color: #222; }
h1 { font-size: 20px; margin: 0 0 8px; }
nav a { margin-right: 12px; }
label { display: block; margin: 10px 0 4px; font-weight: 600; }
select { font: inherit; max-width: 100%; }
textarea { width: 100%; box-sizing: border-box; height: 16em; font: 13px/1.4 ui-monospace,
           SFMono-Regular, Menlo, Consolas, monospace; padding: 6px; }
#kg-description { white-space: pre-wrap; color: #555; margin: 6px 0; }
#kg-controls { display: flex; gap: 12px; align-items: center; margin: 8px 0; }
button { font: inherit; padding: 4px 16px; }
#kg-status { color: #555; }
#kg-status.kg-error { color: #b00020; white-space: pre-wrap; }
table { border-collapse: collapse; margin-top: 8px; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top;
         max-width: 48em; overflow-wrap: anywhere; }
th { background: #f3f3f3; position: sticky; top: 0; }
tr:nth-child(even) td { background: #fafafa; }
pre { background: #f7f7f7; padding: 8px; overflow: auto; }
</style>
</head>
<body>
<h1>paper-kg · SPARQL query</h1>
<nav><a href="./">graph view</a><a href="sparql">endpoint: /sparql</a></nav>
<p>Prefixes kg:, paper:, model:, dataset:, method:, language:, mention:, rdf:, rdfs:, owl:,
xsd:, skos:, dcterms:, prov:, schema:, wd: and lexvo: are predeclared.
At most @MAX@ results; queries stop after @TIMEOUT@ s.</p>
<label for="kg-example">Example queries</label>
<select id="kg-example"><option value="">(choose an example)</option></select>
<div id="kg-description"></div>
<label for="kg-query">Query</label>
<textarea id="kg-query" spellcheck="false">SELECT ?model ?label (COUNT(DISTINCT ?paper) AS ?papers)
WHERE {
  ?paper kg:mentionsModel|kg:proposes ?model .
  ?model a kg:Model ; rdfs:label ?label .
}
GROUP BY ?model ?label
ORDER BY DESC(?papers)
LIMIT 20</textarea>
<div id="kg-controls"><button id="kg-run" type="button">Run</button>
<span id="kg-status" role="status" aria-live="polite">Ctrl+Enter runs the query.</span></div>
<div id="kg-results"></div>
<script id="kg-examples" type="application/json">@EXAMPLES@</script>
<script nonce="@NONCE@">
(function () {
  "use strict";
  var examples = JSON.parse(document.getElementById("kg-examples").textContent);
  var select = document.getElementById("kg-example");
  var text = document.getElementById("kg-query");
  var description = document.getElementById("kg-description");
  var statusLine = document.getElementById("kg-status");
  var results = document.getElementById("kg-results");
  var button = document.getElementById("kg-run");
  examples.forEach(function (ex, i) {
    var option = document.createElement("option");
    option.value = String(i);
    option.textContent = ex.name + " \\u2014 " + ex.title;
    select.appendChild(option);
  });
  select.addEventListener("change", function () {
    var ex = examples[Number(select.value)];
    if (!ex) { return; }
    text.value = ex.query;
    description.textContent = ex.description;
  });
  function setStatus(message, isError) {
    statusLine.textContent = message;
    statusLine.className = isError ? "kg-error" : "";
  }
  function cell(tag, value) {
    var el = document.createElement(tag);
    el.textContent = value;
    return el;
  }
  function show(term) {
    if (!term) { return ""; }
    var lang = term["xml:lang"];
    if (term.type === "literal" && lang) { return term.value + " @" + lang; }
    if (term.type === "bnode") { return "_:" + term.value; }
    return term.value;
  }
  function table(data) {
    var vars = data.head.vars || [];
    var rows = data.results.bindings;
    var t = document.createElement("table");
    var head = document.createElement("tr");
    vars.forEach(function (v) { head.appendChild(cell("th", v)); });
    var thead = document.createElement("thead");
    thead.appendChild(head);
    t.appendChild(thead);
    var body = document.createElement("tbody");
    rows.forEach(function (row) {
      var tr = document.createElement("tr");
      vars.forEach(function (v) { tr.appendChild(cell("td", show(row[v]))); });
      body.appendChild(tr);
    });
    t.appendChild(body);
    return t;
  }
  function run() {
    var started = performance.now();
    button.disabled = true;
    results.replaceChildren();
    setStatus("running\\u2026", false);
    fetch("sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/sparql-query",
        "Accept": "application/sparql-results+json, text/turtle;q=0.9"
      },
      body: text.value
    }).then(function (response) {
      var seconds = ((performance.now() - started) / 1000).toFixed(2) + " s";
      var truncated = response.headers.get("X-KG-Truncated") === "true";
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok) {
        return response.text().then(function (message) {
          setStatus("HTTP " + response.status + ": " + message, true);
        });
      }
      if (type.indexOf("json") === -1) {
        return response.text().then(function (rdf) {
          results.appendChild(cell("pre", rdf));
          setStatus("graph result in " + seconds + (truncated ? " (cut at the limit)" : ""), false);
        });
      }
      return response.json().then(function (data) {
        if (typeof data.boolean === "boolean") {
          results.appendChild(cell("p", "ASK: " + data.boolean));
          setStatus("answered in " + seconds, false);
          return;
        }
        results.appendChild(table(data));
        var n = data.results.bindings.length;
        setStatus(n + (n === 1 ? " row" : " rows") + " in " + seconds +
                  (truncated ? " (cut at the limit; add LIMIT or narrow the query)" : ""), false);
      });
    }).catch(function (error) {
      setStatus("request failed: " + error, true);
    }).then(function () { button.disabled = false; });
  }
  button.addEventListener("click", run);
  text.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    }
  });
})();
</script>
</body>
</html>
"""


def query_page(examples: list[dict[str, str]], *, timeout: float, max_results: int) -> str:
    """The /query page; ``@NONCE@`` is left for each response to fill."""
    return (
        _QUERY_PAGE.replace("@EXAMPLES@", _script_json(examples))
        .replace("@MAX@", f"{max_results:,}")
        .replace("@TIMEOUT@", _seconds(timeout))
    )


_FALLBACK_VIEW = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>paper-kg</title></head>
<body style="font: 14px/1.4 system-ui, sans-serif; margin: 24px">
<h1 style="font-size: 20px">paper-kg</h1>
<p>No interactive graph view is available for this graph: @WHY@</p>
<p>Run <code>kg build --formats ttl,html</code> to write one, or use the
<a href="query">query page</a> and the SPARQL endpoint at <a href="sparql">/sparql</a>.</p>
</body></html>
"""


def fallback_view(why: str) -> str:
    """A minimal page for / when there is no graph view."""
    return _FALLBACK_VIEW.replace("@WHY@", html_lib.escape(why))


def load_view(graph_path: Path) -> str:
    """The HTML graph view of a built graph.

    The build's own ``graph.html`` (``kg build --formats html``) if it sits beside the store or
    file; else one rendered by :mod:`graph.export.html` from the build's ``graph.graphml``;
    else a short page saying there is none.
    """
    build_dir = graph_path.parent
    page = build_dir / "graph.html"
    if page.is_file():
        return page.read_text(encoding="utf-8")
    graphml = build_dir / "graph.graphml"
    if not graphml.is_file():
        return fallback_view(
            f"{build_dir} holds neither graph.html nor graph.graphml to draw it from."
        )
    try:
        from graph.export.html import render_html, select_view
    except ImportError:
        return fallback_view("the HTML exporter (graph.export.html) is not available.")
    try:
        import networkx as nx

        return render_html(select_view(nx.read_graphml(str(graphml))))
    except Exception as exc:
        return fallback_view(f"drawing it from {graphml.name} failed ({exc}).")


# --------------------------------------------------------------------------- HTTP


_PAGE_CSP = (
    "default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
    "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    protocol_version = "HTTP/1.1"
    server_version = f"paper-kg/{__version__}"

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_HEAD(self) -> None:
        self._dispatch("HEAD")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def do_OPTIONS(self) -> None:
        self._dispatch("OPTIONS")

    # ---------------------------------------------------------------- plumbing

    def log_message(self, format: str, *args: object) -> None:
        if not self.server.quiet:
            super().log_message(format, *args)

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() not in ("", "identity"):
            self.close_connection = True
            raise ProtocolError(411, "send the body with a Content-Length, not chunked")
        length_header = self.headers.get("Content-Length")
        if not length_header:
            return b""
        try:
            length = int(length_header)
        except ValueError:
            self.close_connection = True
            raise ProtocolError(400, "invalid Content-Length") from None
        if length < 0:
            self.close_connection = True
            raise ProtocolError(400, "invalid Content-Length")
        if length > MAX_BODY:
            self.close_connection = True
            # Read (and drop) a body up to 8x the limit so the client, still sending, gets the
            # 413 instead of a broken pipe; anything bigger is cut off.
            remaining = length if length <= 8 * MAX_BODY else 0
            while remaining > 0:
                chunk = self.rfile.read(min(remaining, 1 << 16))
                if not chunk:
                    break
                remaining -= len(chunk)
            raise ProtocolError(413, f"request body over {MAX_BODY} bytes; send a shorter query")
        return self.rfile.read(length)

    def _send(self, reply: Reply, head_only: bool = False) -> None:
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "no-referrer")
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if not head_only:
                self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):  # the client went away
            self.close_connection = True

    def _dispatch(self, method: str) -> None:
        path = urlsplit(self.path).path
        head_only = method == "HEAD"
        try:
            body = self._read_body()
            reply = self._route(method, path, body)
        except ProtocolError as exc:
            reply = error_reply(exc.status, exc.message)
        except Exception:  # never leak a traceback to the client
            traceback.print_exc(file=sys.stderr)
            reply = error_reply(500, "internal error; see the server's log")
        self._send(reply, head_only)

    def _route(self, method: str, path: str, body: bytes) -> Reply:
        if path == "/sparql":
            return self._sparql(method, body)
        pages = {"/": self._view, "/index.html": self._view, "/query": self._query_page}
        if path not in pages:
            return error_reply(404, f"no such page {path!r}; try /, /query or /sparql")
        if method not in ("GET", "HEAD"):
            reply = error_reply(405, f"{method} is not allowed on {path}; use GET")
            reply.headers["Allow"] = "GET, HEAD"
            return reply
        return pages[path]()

    # ---------------------------------------------------------------- routes

    def _view(self) -> Reply:
        return Reply(200, "text/html; charset=utf-8", self.server.view_page())

    def _query_page(self) -> Reply:
        nonce = secrets.token_urlsafe(16)
        page = self.server.query_html.replace("@NONCE@", nonce)
        return Reply(
            200,
            "text/html; charset=utf-8",
            page.encode("utf-8"),
            {"Content-Security-Policy": _PAGE_CSP.format(nonce=nonce), "Cache-Control": "no-store"},
        )

    def _sparql(self, method: str, body: bytes) -> Reply:
        if method == "OPTIONS":
            reply = Reply(204, "text/plain", b"")
            reply.headers["Allow"] = "GET, HEAD, POST, OPTIONS"
            return reply
        if method in ("PUT", "DELETE", "PATCH"):
            reply = error_reply(405, READ_ONLY)
            reply.headers["Allow"] = "GET, HEAD, POST, OPTIONS"
            return reply
        request = parse_query_request(
            "GET" if method == "HEAD" else method,
            urlsplit(self.path).query,
            self.headers.get("Content-Type"),
            body,
        )
        accept = self.headers.get("Accept")
        if not request.formats and not acceptable_at_all(accept):
            raise ProtocolError(
                406,
                f"no result format matches Accept: {accept}; ask for "
                "application/sparql-results+json, application/sparql-results+xml, text/csv, "
                "text/tab-separated-values, text/turtle, application/n-triples or "
                "application/ld+json",
            )
        reply = self.server.pool.run(
            Job(
                query=request.query,
                accept=accept,
                formats=request.formats,
                default_graph_uris=request.default_graph_uris,
                named_graph_uris=request.named_graph_uris,
                max_results=self.server.max_results,
            )
        )
        reply.headers.setdefault("Vary", "Accept")
        reply.headers.setdefault("Cache-Control", "no-store")
        return reply


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server of ``kg serve``; :func:`make_server` builds one ready to serve."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        *,
        pool: QueryPool,
        view: str | Callable[[], str],
        query_html: str,
        max_results: int,
        quiet: bool = False,
        cleanup: Callable[[], None] | None = None,
    ):
        self.pool = pool
        self._view = view
        self._view_bytes: bytes | None = None
        self._view_lock = threading.Lock()
        self.query_html = query_html
        self.max_results = max_results
        self.quiet = quiet
        self._cleanup = cleanup
        super().__init__(address, _Handler)

    def view_page(self) -> bytes:
        """The page at ``/``, made on first request when it has to be drawn."""
        with self._view_lock:
            if self._view_bytes is None:
                view = self._view() if callable(self._view) else self._view
                self._view_bytes = view.encode("utf-8")
            return self._view_bytes

    @property
    def url(self) -> str:
        """The server's base URL, e.g. ``http://127.0.0.1:7878/``."""
        host, port = self.server_address[:2]
        if ":" in str(host):
            host = f"[{host}]"
        return f"http://{host}:{port}/"

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up mid-response is not an error worth a traceback."""
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()
        if self._cleanup is not None:
            self._cleanup()
            self._cleanup = None


class _SparqlServer6(SparqlServer):
    address_family = socket.AF_INET6


def is_loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _prepare_store(graph: str | Path | None) -> tuple[Path, Path, Callable[[], None] | None]:
    """An on-disk store the workers can open read-only, for a build directory, store or file.

    Returns:
        The store path, the resolved graph path, and a cleanup function when a temporary store
        had to be written (for an RDF file, loaded once here rather than in every worker).

    Raises:
        GraphNotFoundError: if there is no graph or the store cannot be opened.
        InputError: if an RDF file does not parse.
    """
    from graph.store import open_graph, resolve_graph_path

    path = resolve_graph_path(graph)
    store = open_graph(path)  # checks the store opens (read-only), or parses the file
    if path.is_dir():
        return path, path, None
    tmp = Path(tempfile.mkdtemp(prefix="kg-serve-"))
    try:
        disk = ox.Store(str(tmp / "store"))
        disk.bulk_extend(store)
        disk.flush()
        del disk
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return tmp / "store", path, lambda: shutil.rmtree(tmp, ignore_errors=True)


def make_server(
    graph: str | Path | None,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_results: int = DEFAULT_MAX_RESULTS,
    html: str | None = None,
    workers: int = DEFAULT_WORKERS,
    quiet: bool = False,
) -> SparqlServer:
    """Open a built graph and bind the endpoint, without serving yet.

    Call ``serve_forever()`` on the result (in a thread, in tests), then ``shutdown()`` and
    ``server_close()``. Port 0 picks a free port; ``server.url`` tells which.

    Args:
        graph: A build directory (default ``exports/``), its ``store/``, or an RDF file.
        host: The address to listen on; loopback unless told otherwise.
        port: The TCP port.
        timeout: Seconds a query may run before it is stopped (503).
        max_results: Most solutions (SELECT) or triples (CONSTRUCT/DESCRIBE) sent back.
        html: The page to serve at ``/``; default: the build's graph view.
        workers: Query worker processes (queries answered at the same time).
        quiet: Do not log each request to stderr.

    Raises:
        GraphNotFoundError: when there is no built graph.
        KGError: on a bad option, or when the address cannot be bound.
    """
    from graph.ontology import PREFIXES

    if not timeout > 0:
        raise KGError(f"--timeout must be a positive number of seconds, not {timeout}")
    if max_results < 1:
        raise KGError(f"--max-results must be at least 1, not {max_results}")
    if workers < 1:
        raise KGError(f"--workers must be at least 1, not {workers}")
    store_path, graph_path, cleanup = _prepare_store(graph)
    try:
        view: str | Callable[[], str] = (
            html if html is not None else functools.partial(load_view, graph_path)
        )
        page = query_page(example_list(), timeout=timeout, max_results=max_results)
        pool = QueryPool(store_path, PREFIXES, workers, timeout)
    except BaseException:
        if cleanup:
            cleanup()
        raise
    cls = _SparqlServer6 if ":" in host else SparqlServer
    try:
        return cls(
            (host.strip("[]"), port),
            pool=pool,
            view=view,
            query_html=page,
            max_results=max_results,
            quiet=quiet,
            cleanup=cleanup,
        )
    except OSError as exc:
        pool.close()
        if cleanup:
            cleanup()
        raise KGError(
            f"cannot listen on {host}:{port} ({exc.strerror or exc}); "
            "is another kg serve running there? choose another --port"
        ) from exc


def serve(
    graph: str | Path | None,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_results: int = DEFAULT_MAX_RESULTS,
    html: str | None = None,
    ready: Callable[[str], object] | None = None,
    workers: int = DEFAULT_WORKERS,
    quiet: bool = False,
) -> None:
    """Serve a built graph over HTTP until interrupted (Ctrl-C or SIGTERM).

    See :func:`make_server` for the arguments; ``ready`` is called with the base URL once the
    server listens (the CLI prints it).
    """
    server = make_server(
        graph,
        host,
        port,
        timeout=timeout,
        max_results=max_results,
        html=html,
        workers=workers,
        quiet=quiet,
    )
    previous = None
    if threading.current_thread() is threading.main_thread():

        def stop(signum: int, frame: object) -> None:
            raise KeyboardInterrupt

        previous = signal.signal(signal.SIGTERM, stop)
    try:
        if ready is not None:
            ready(server.url)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_MAX_RESULTS",
    "DEFAULT_PORT",
    "DEFAULT_TIMEOUT",
    "DEFAULT_WORKERS",
    "Job",
    "QueryPool",
    "Reply",
    "SparqlServer",
    "execute",
    "is_loopback",
    "make_server",
    "serve",
]
