"""kg serve: the SPARQL 1.1 Protocol endpoint, its refusals and limits, and its security.

Real clients against a real server (uvicorn on 127.0.0.1, an ephemeral port, started here and
stopped after; one per module where the options allow): SPARQLWrapper for SELECT, ASK,
CONSTRUCT and a refused UPDATE; raw urllib/http.client/socket requests for content
negotiation, errors and the hostile-input cases of the red-team issue. Nothing leaves
127.0.0.1. The pages are tested in tests/test_pages.py.
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.serve.results import Job, _capped, _LineCap, execute
from graph.serve.server import exposure_warning, is_loopback, make_server
from graph.sparql_protocol import (
    BOOLEAN,
    GRAPH,
    SOLUTIONS,
    ProtocolError,
    choose_format,
    leading_comment,
    looks_like_update,
    negotiate,
    parse_accept,
    parse_query_request,
)

KG = "https://w3id.org/paper-kg/"
PREFIXES = f"PREFIX kg: <{KG}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
SELECT_MODELS = PREFIXES + "SELECT ?m ?label WHERE { ?m a kg:Model ; rdfs:label ?label } LIMIT 5"
ASK_MODEL = PREFIXES + "ASK { ?m a kg:Model }"
CONSTRUCT_MODELS = (
    PREFIXES + "CONSTRUCT { ?m rdfs:label ?l } WHERE { ?m a kg:Model ; rdfs:label ?l } LIMIT 7"
)
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
INSERT = PREFIXES + 'INSERT DATA { <urn:x:intruder> rdfs:label "intruder" }'
PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def serve_build(tmp_path_factory) -> Path:
    """The bundled sample built once (with GraphML, from which / draws the graph view)."""
    from graph.pipeline import build

    out = tmp_path_factory.mktemp("serve-build")
    build(None, out, formats=["ttl", "graphml"])
    return out


class Running:
    """A server running in a background thread, with request helpers."""

    def __init__(self, server):
        self.server = server.start()
        self.url = server.url
        self.endpoint = server.url + "sparql"
        self.host, self.port = server.address

    def stop(self) -> None:
        self.server.stop()

    def request(
        self,
        path: str,
        *,
        method: str = "GET",
        accept: str | None = None,
        data: bytes | None = None,
        content_type: str | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 30,
    ) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(self.url.rstrip("/") + path, data=data, method=method)
        if accept is not None:
            request.add_header("Accept", accept)
        if content_type is not None:
            request.add_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, exc.read()

    def get_query(self, query: str, accept: str | None = None, **params: str):
        qs = urllib.parse.urlencode({"query": query, **params})
        return self.request(f"/sparql?{qs}", accept=accept)

    def raw(self, data: bytes, timeout: float = 10) -> bytes:
        """Send raw bytes on a fresh connection; everything the server sends back until it
        closes the connection (or ``timeout`` passes)."""
        with socket.create_connection((self.host, self.port), timeout=timeout) as sock:
            sock.sendall(data)
            chunks = []
            try:
                while chunk := sock.recv(65536):
                    chunks.append(chunk)
            except TimeoutError:
                pass
        return b"".join(chunks)


def _start(graph, **options) -> Running:
    options.setdefault("quiet", True)
    return Running(make_server(graph, "127.0.0.1", 0, **options))


@pytest.fixture(scope="module")
def server(serve_build) -> Iterator[Running]:
    running = _start(serve_build, timeout=60, workers=2)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def tight_server(serve_build) -> Iterator[Running]:
    """One worker, a 1 s time limit and a 5-result cap."""
    running = _start(serve_build, timeout=1, max_results=5, workers=1)
    yield running
    running.stop()


def store_triples(build: Path) -> int:
    return len(ox.Store.read_only(str(build / "store")))


# ------------------------------------------------------------------ pure protocol helpers


def test_parse_accept_q_values():
    assert parse_accept("text/csv;q=0.5, application/json") == [
        ("text/csv", 0.5),
        ("application/json", 1.0),
    ]
    assert parse_accept(None) == [("*/*", 1.0)]
    assert parse_accept("text/csv;q=abc") == [("text/csv", 0.0)]


@pytest.mark.parametrize(
    ("accept", "kind", "media"),
    [
        (None, SOLUTIONS, "application/sparql-results+json"),
        ("*/*", GRAPH, "text/turtle"),
        ("text/csv", SOLUTIONS, "text/csv"),
        ("text/tab-separated-values", SOLUTIONS, "text/tab-separated-values"),
        ("application/sparql-results+xml", BOOLEAN, "application/sparql-results+xml"),
        (
            "text/csv;q=0.5, application/sparql-results+xml",
            SOLUTIONS,
            "application/sparql-results+xml",
        ),
        ("application/sparql-results+json;q=0, */*", SOLUTIONS, "application/sparql-results+xml"),
        ("text/csv, application/json", SOLUTIONS, "text/csv"),  # a tie goes to the client's order
        ("text/*;q=0.9, application/n-triples;q=0.8", GRAPH, "text/turtle"),
        ("application/n-triples", GRAPH, "application/n-triples"),
        ("application/ld+json", GRAPH, "application/ld+json"),
        ("application/json", GRAPH, "application/ld+json"),
        ("application/rdf+xml", GRAPH, "application/rdf+xml"),
        # what browsers send
        (
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            SOLUTIONS,
            "application/sparql-results+xml",
        ),
    ],
)
def test_negotiate(accept, kind, media):
    chosen = negotiate(accept, kind)
    assert chosen is not None and chosen.media_type == media


def test_negotiate_nothing_acceptable():
    assert negotiate("image/png", SOLUTIONS) is None
    assert negotiate("text/turtle", SOLUTIONS) is None
    assert negotiate("text/csv", GRAPH) is None
    with pytest.raises(ProtocolError) as exc:
        choose_format("image/png", [], SOLUTIONS)
    assert exc.value.status == 406


def test_format_parameter_overrides_accept():
    assert choose_format("text/csv", ["json"], SOLUTIONS).media_type.endswith("+json")
    assert choose_format(None, ["xml"], GRAPH).media_type == "application/rdf+xml"
    assert choose_format(None, ["turtle"], GRAPH).media_type == "text/turtle"
    assert choose_format(None, ["tsv", "text/tab-separated-values"], SOLUTIONS).media_type == (
        "text/tab-separated-values"
    )
    with pytest.raises(ProtocolError) as exc:
        choose_format(None, ["csv"], GRAPH)
    assert exc.value.status == 406


def test_parse_query_request_forms():
    get = parse_query_request("GET", "query=ASK%7B%7D&default-graph-uri=urn%3Ag", None, b"")
    assert get.query == "ASK{}" and get.default_graph_uris == ["urn:g"]
    form = parse_query_request(
        "POST", "", "application/x-www-form-urlencoded; charset=utf-8", b"query=ASK+%7B%7D"
    )
    assert form.query == "ASK {}"
    direct = parse_query_request("POST", "format=json", "application/sparql-query", b"ASK {}")
    assert direct.query == "ASK {}" and direct.formats == ["json"]


@pytest.mark.parametrize(
    ("method", "query_string", "content_type", "body", "status"),
    [
        ("POST", "", "application/sparql-update", b"INSERT DATA {}", 403),
        ("POST", "", "application/x-www-form-urlencoded", b"update=INSERT+DATA+%7B%7D", 403),
        ("GET", "update=INSERT+DATA+%7B%7D", None, b"", 403),
        ("POST", "", "text/plain", b"ASK {}", 415),
        ("GET", "", None, b"", 400),
        ("GET", "query=ASK%7B%7D&query=ASK%7B%7D", None, b"", 400),
        ("GET", "query=+", None, b"", 400),
        ("POST", "", "application/sparql-query", b"\xff\xfe", 400),
    ],
)
def test_parse_query_request_refusals(method, query_string, content_type, body, status):
    with pytest.raises(ProtocolError) as exc:
        parse_query_request(method, query_string, content_type, body)
    assert exc.value.status == status
    assert exc.value.message


def test_looks_like_update():
    assert looks_like_update("PREFIX a: <urn:a#>\n# note\nINSERT DATA { }")
    assert looks_like_update("drop all")
    assert not looks_like_update("SELECT * WHERE { ?s ?p ?o }")
    assert not looks_like_update("PREFIX insert: <urn:x> ASK {}")


def test_leading_comment():
    assert leading_comment("# One line\n#\n# More.\nSELECT") == ("One line", "One line\n\nMore.")
    assert leading_comment("SELECT * {}") == ("", "")


def test_is_loopback():
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4")


def test_execute_caps_results_and_keeps_types():
    store = ox.Store()
    for i in range(20):
        store.add(
            ox.Quad(
                ox.NamedNode(f"urn:s:{i}"),
                ox.NamedNode("urn:p"),
                ox.Literal(f"line one\nline\ttwo {i}", language="en"),
            )
        )
    reply = execute(store, Job("SELECT * WHERE { ?s ?p ?o }", max_results=7))
    assert reply.status == 200
    assert reply.headers["X-KG-Truncated"] == "true"
    data = json.loads(reply.body)
    assert len(data["results"]["bindings"]) == 7
    literal = data["results"]["bindings"][0]["o"]
    assert literal["xml:lang"] == "en" and "\n" in literal["value"]

    reply = execute(store, Job("CONSTRUCT WHERE { ?s ?p ?o }", max_results=3))
    assert reply.headers["X-KG-Truncated"] == "true"
    assert len(list(ox.parse(reply.body, format=ox.RdfFormat.TURTLE))) == 3

    reply = execute(store, Job("SELECT * WHERE { ?s ?p ?o }", max_results=20))
    assert reply.headers["X-KG-Truncated"] == "false"
    assert len(json.loads(reply.body)["results"]["bindings"]) == 20


def test_line_cap_keeps_whole_lines_within_both_caps():
    def write(out):
        for i in range(100):
            out.write(f"row {i}\n".encode())

    assert _capped(write, 3) == (b"row 0\nrow 1\nrow 2\n", True)
    assert _capped(write, 1000)[1] is False
    sink = _LineCap(1000, max_bytes=20)
    with pytest.raises(Exception):  # noqa: B017 - the private _Full stops the writer
        write(sink)
    assert sink.truncated and sink.kept() == b"row 0\nrow 1\nrow 2\n"


def test_execute_errors():
    store = ox.Store()
    assert execute(store, Job("SELEKT *")).status == 400
    reply = execute(store, Job("INSERT DATA { <urn:a> <urn:b> <urn:c> }"))
    assert reply.status == 400 and b"read-only" in reply.body
    assert len(store) == 0
    assert execute(store, Job("ASK {}", accept="image/png")).status == 406
    assert execute(store, Job("ASK {}", default_graph_uris=["not an iri"])).status == 400


# ------------------------------------------------------------------ SPARQLWrapper, live


@pytest.mark.server
def test_sparqlwrapper_select_json(server):
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(server.endpoint)
    client.setQuery(SELECT_MODELS)
    client.setReturnFormat(JSON)
    results = client.query().convert()
    assert results["head"]["vars"] == ["m", "label"]
    bindings = results["results"]["bindings"]
    assert len(bindings) == 5
    assert all(b["m"]["value"].startswith(KG + "id/model/") for b in bindings)


@pytest.mark.server
def test_sparqlwrapper_select_post_and_xml(server):
    from SPARQLWrapper import POST, POSTDIRECTLY, XML, SPARQLWrapper

    client = SPARQLWrapper(server.endpoint)
    client.setQuery(SELECT_MODELS)
    client.setMethod(POST)
    client.setRequestMethod(POSTDIRECTLY)
    client.setReturnFormat(XML)
    document = client.query().convert()  # an xml.dom.minidom Document
    assert len(document.getElementsByTagName("result")) == 5


@pytest.mark.server
def test_sparqlwrapper_ask(server):
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(server.endpoint)
    client.setQuery(ASK_MODEL)
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True
    client.setQuery(PREFIXES + "ASK { <urn:x:nothing> a kg:Model }")
    assert client.query().convert()["boolean"] is False


@pytest.mark.server
def test_sparqlwrapper_construct_turtle(server):
    import rdflib
    from SPARQLWrapper import TURTLE, SPARQLWrapper

    client = SPARQLWrapper(server.endpoint)
    client.setQuery(CONSTRUCT_MODELS)
    client.setReturnFormat(TURTLE)
    data = client.query().convert()
    graph = rdflib.Graph().parse(data=data, format="turtle")
    assert len(graph) == 7
    assert all(str(s).startswith(KG + "id/model/") for s in graph.subjects())


@pytest.mark.server
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_sparqlwrapper_construct_rdfxml(server):
    import rdflib
    from SPARQLWrapper import XML, SPARQLWrapper

    client = SPARQLWrapper(server.endpoint)
    client.setQuery(CONSTRUCT_MODELS)
    client.setReturnFormat(XML)
    graph = client.query().convert()
    assert isinstance(graph, rdflib.Graph) and len(graph) == 7


@pytest.mark.server
@pytest.mark.parametrize("direct", [False, True], ids=["form", "sparql-update-body"])
def test_sparqlwrapper_update_is_refused(server, serve_build, direct):
    from SPARQLWrapper import POST, POSTDIRECTLY, SPARQLWrapper

    before = store_triples(serve_build)
    client = SPARQLWrapper(server.endpoint)
    client.setQuery(INSERT)
    client.setMethod(POST)
    if direct:
        client.setRequestMethod(POSTDIRECTLY)
    with pytest.raises(urllib.error.HTTPError) as exc:
        client.query()
    assert exc.value.code == 403
    assert b"read-only" in exc.value.read()
    assert store_triples(serve_build) == before
    status, _, body = server.get_query(PREFIXES + "ASK { <urn:x:intruder> ?p ?o }")
    assert status == 200 and json.loads(body)["boolean"] is False


# ------------------------------------------------------------------ raw requests, live


@pytest.mark.server
@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv; charset=utf-8"),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
        (None, "application/sparql-results+json"),
    ],
)
def test_select_formats(server, accept, content_type):
    status, headers, body = server.get_query(SELECT_MODELS, accept)
    assert status == 200
    assert headers["Content-Type"] == content_type
    assert headers["Vary"] == "Accept"
    if "csv" in content_type:
        table = list(csv.reader(io.StringIO(body.decode("utf-8"))))
        assert table[0] == ["m", "label"] and len(table) == 6
        return
    fmt = ox.QueryResultsFormat.from_media_type(content_type)
    solutions = ox.parse_query_results(body, format=fmt)
    assert [v.value for v in solutions.variables] == ["m", "label"]
    assert len(list(solutions)) == 5


@pytest.mark.server
@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
        ("*/*", ox.RdfFormat.TURTLE),
    ],
)
def test_construct_formats(server, accept, fmt):
    status, headers, body = server.get_query(CONSTRUCT_MODELS, accept)
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == fmt.media_type
    assert len(list(ox.parse(body, format=fmt))) == 7


@pytest.mark.server
def test_describe(server):
    status, _, body = server.get_query(f"DESCRIBE <{KG}id/model/bert>", "application/n-triples")
    assert status == 200
    triples = list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
    assert triples and all(t.subject.value == f"{KG}id/model/bert" for t in triples)


@pytest.mark.server
@pytest.mark.parametrize(
    "accept",
    [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ],
)
def test_ask_formats(server, accept):
    status, headers, body = server.get_query(ASK_MODEL, accept)
    assert status == 200 and headers["Content-Type"].startswith(accept)
    assert b"true" in body


@pytest.mark.server
def test_q_values_and_format_parameter(server):
    _, headers, _ = server.get_query(
        SELECT_MODELS, "text/csv;q=0.4, application/sparql-results+xml"
    )
    assert headers["Content-Type"] == "application/sparql-results+xml"
    _, headers, _ = server.get_query(SELECT_MODELS, "text/csv", format="json")
    assert headers["Content-Type"] == "application/sparql-results+json"


@pytest.mark.server
def test_post_form_and_direct_body(server):
    status, _, body = server.request(
        "/sparql",
        method="POST",
        data=urllib.parse.urlencode({"query": ASK_MODEL}).encode(),
        content_type="application/x-www-form-urlencoded",
    )
    assert status == 200 and json.loads(body)["boolean"] is True
    status, _, body = server.request(
        "/sparql",
        method="POST",
        data=SELECT_MODELS.encode(),
        content_type="application/sparql-query",
        accept="text/csv",
    )
    assert status == 200 and body.startswith(b"m,label")


@pytest.mark.server
def test_project_prefixes_are_predeclared(server):
    status, _, body = server.get_query(
        "SELECT (COUNT(*) AS ?n) WHERE { ?m a kg:Model }", "text/csv"
    )
    assert status == 200 and int(body.split()[1]) > 0


@pytest.mark.server
def test_example_query_runs_over_http(server):
    from graph.query import example_query

    status, _, body = server.get_query(example_query("most-used-models"))
    assert status == 200 and json.loads(body)["results"]["bindings"]


@pytest.mark.server
@pytest.mark.parametrize(
    ("query", "needle"),
    [
        # The one line `kg query` gives, hint included, not Oxigraph's list of expectations.
        ("SELEKT ?x WHERE { ?x ?y ?z }", b"did you mean SELECT?"),
        ("SELECT ?x WHERE { ?x ?y }", b"invalid SPARQL at 1:"),
        ("SELECT ?x WHERE { ?x undeclared:p ?z }", b"unknown prefix 'undeclared:'"),
        (INSERT, b"read-only"),  # an update sent as query= does not parse as a query
    ],
)
def test_malformed_query_is_400(server, query, needle):
    status, headers, body = server.get_query(query)
    assert status == 400
    assert headers["Content-Type"].startswith("text/plain")
    assert needle in body and b"Traceback" not in body


@pytest.mark.server
def test_refusals(server, serve_build):
    before = store_triples(serve_build)
    qs = urllib.parse.urlencode({"update": INSERT})
    assert server.request(f"/sparql?{qs}")[0] == 403
    status, _, body = server.request(
        "/sparql", method="POST", data=INSERT.encode(), content_type="application/sparql-update"
    )
    assert status == 403 and b"read-only" in body
    for method in ("PUT", "DELETE", "PATCH"):
        status, headers, _ = server.request("/sparql", method=method, data=b"<a> <b> <c> .")
        assert status == 405 and "POST" in headers["Allow"]
    assert server.request("/sparql")[0] == 400  # no query at all
    status, _, _ = server.request(
        "/sparql", method="POST", data=b"ASK {}", content_type="text/plain"
    )
    assert status == 415
    assert server.get_query(ASK_MODEL, "image/png")[0] == 406
    assert server.request("/", method="POST", data=b"x", content_type="text/plain")[0] == 405
    assert store_triples(serve_build) == before


@pytest.mark.server
def test_oversized_body_is_413(server):
    big = b"ASK {} #" + b"x" * (1024 * 1024 + 10)
    status, _, _ = server.request(
        "/sparql", method="POST", data=big, content_type="application/sparql-query"
    )
    assert status == 413


@pytest.mark.server
@pytest.mark.parametrize(
    "path",
    [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/sparql/../../../etc/passwd",
        "//etc/passwd",
        "/static/../../graph/serve.py",
        "/graph.ttl",
        "/store/CURRENT",
        "/favicon.ico",
    ],
)
def test_unknown_paths_and_traversal_are_404(server, path):
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    connection.putrequest("GET", path, skip_host=False, skip_accept_encoding=True)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    assert response.status == 404
    assert b"root:" not in body and b"import" not in body


@pytest.mark.server
def test_graph_view(server):
    status, headers, body = server.request("/view")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    page = body.decode("utf-8")
    assert "<html" in page.lower()
    try:
        import graph.export.html  # noqa: F401
    except ImportError:
        assert "query" in page
    else:  # the graph view, drawn from the build's GraphML
        assert "vis" in page.lower() and "graph-data" in page
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    status, headers, body = server.request("/view", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0


@pytest.mark.server
def test_view_given_as_html(serve_build):
    running = _start(serve_build, html="<!DOCTYPE html><html><body>VIEW-MARKER</body></html>")
    try:
        status, _, body = running.request("/view")
        assert status == 200 and b"VIEW-MARKER" in body
    finally:
        running.stop()


@pytest.mark.server
def test_query_page(server):
    from graph.ontology import example_queries

    status, headers, body = server.request("/query")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    page = body.decode("utf-8")
    assert "<textarea" in page and "Run</button>" in page
    for name in example_queries():
        assert name in page
    # self-contained: nothing loaded from elsewhere, data only ever set as text
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "innerHTML" not in page and "eval(" not in page
    csp = headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "connect-src 'self'" in csp
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    # the only executable script is the server's own file; no inline code at all
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    code = [(attrs, body) for attrs, body in scripts if "application/json" not in attrs]
    assert code == [(' src="static/query.js"', "")]
    status, headers, js = server.request("/static/query.js")
    assert status == 200 and b"textContent" in js and b"innerHTML" not in js
    # the examples travel as JSON no title can break out of; the text box gets the query
    # without its comment block (which is shown beside it instead)
    data = re.search(r'<script id="kg-examples" type="application/json">(.*?)</script>', page, re.S)
    examples = json.loads(data.group(1))
    assert {e["name"] for e in examples} == set(example_queries())
    assert all(e["title"] and e["query"] and e["description"] for e in examples)
    assert all(not e["body"].lstrip().startswith("#") and e["body"].strip() for e in examples)


@pytest.mark.server
def test_result_cap(tight_server):
    status, headers, body = tight_server.get_query("SELECT * WHERE { ?s ?p ?o }")
    assert status == 200 and headers["X-KG-Truncated"] == "true"
    assert headers["X-KG-Result-Limit"] == "5"
    assert len(json.loads(body)["results"]["bindings"]) == 5
    status, headers, body = tight_server.get_query(
        "CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples"
    )
    assert headers["X-KG-Truncated"] == "true" and len(body.splitlines()) == 5
    status, headers, body = tight_server.get_query("SELECT * WHERE { ?s ?p ?o } LIMIT 3")
    assert headers["X-KG-Truncated"] == "false"
    assert len(json.loads(body)["results"]["bindings"]) == 3


@pytest.mark.server
def test_pathological_query_times_out_and_server_recovers(tight_server):
    started = time.monotonic()
    status, headers, body = tight_server.get_query(PATHOLOGICAL)
    elapsed = time.monotonic() - started
    assert status == 503
    assert headers["Content-Type"].startswith("text/plain")
    assert b"exceeded the 1 s time limit" in body
    assert elapsed < 10
    # the stuck worker was killed and replaced: the server keeps answering
    for _ in range(2):
        status, _, body = tight_server.get_query(ASK_MODEL)
        assert status == 200 and json.loads(body)["boolean"] is True
    assert tight_server.server.pool.restarts >= 1


@pytest.mark.server
def test_serves_a_turtle_file(serve_build):
    running = _start(serve_build / "graph.ttl")
    try:
        status, _, body = running.get_query(COUNT_ALL, "text/csv")
        assert status == 200
        assert int(body.split()[1]) == store_triples(serve_build)
    finally:
        running.stop()


def test_no_graph_is_a_clear_error(tmp_path):
    from graph.errors import GraphNotFoundError

    with pytest.raises(GraphNotFoundError):
        make_server(tmp_path / "nothing", "127.0.0.1", 0)


@pytest.mark.server
def test_busy_port_is_a_clear_error(server, serve_build):
    from graph.errors import KGError

    with pytest.raises(KGError, match="cannot listen"):
        make_server(serve_build, "127.0.0.1", server.port)


def test_bad_options_are_clear_errors(serve_build):
    from graph.errors import KGError

    for options in ({"timeout": 0}, {"max_results": 0}, {"workers": 0}):
        with pytest.raises(KGError):
            make_server(serve_build, "127.0.0.1", 0, **options)


# ------------------------------------------------------------------ kg serve, the command


def _kg() -> str:
    found = shutil.which("kg", path=os.path.dirname(sys.executable))
    return found or "kg"


def _has_serve_command() -> bool:
    try:
        result = subprocess.run(
            [_kg(), "serve", "--help"], capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


@pytest.mark.server
def test_kg_serve_command(serve_build):
    """`kg serve` as users run it: a subprocess on an ephemeral port, stopped with SIGTERM."""
    if not _has_serve_command():
        pytest.skip("`kg serve` is not wired into the CLI yet")
    process = subprocess.Popen(
        [_kg(), "serve", "--graph", str(serve_build), "--port", "0", "--timeout", "5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and url is None:
            line = process.stdout.readline()
            if not line:
                break
            found = re.search(r"http://127\.0\.0\.1:\d+/", line)
            url = found.group(0) if found else None
        assert url, f"kg serve printed no URL: {process.stderr.read() if process.poll() else ''}"
        from SPARQLWrapper import JSON, SPARQLWrapper

        client = SPARQLWrapper(url + "sparql")
        client.setQuery(ASK_MODEL)
        client.setReturnFormat(JSON)
        assert client.query().convert()["boolean"] is True
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert process.returncode in (0, -15, 143)


# ------------------------------------------------------------------ the query page, in a browser


@pytest.fixture
def chromium_page(browser):
    """A page of the session's headless Debian Chromium (tests/conftest.py)."""
    context = browser.new_context(accept_downloads=True)
    yield context.new_page()
    context.close()


@pytest.mark.server
@pytest.mark.browser
def test_query_page_runs_examples_in_a_browser(server, chromium_page):
    page = chromium_page
    errors: list[str] = []
    requests: list[str] = []
    dialogs: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("request", lambda request: requests.append(request.url))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(server.url + "query")

    # an example from the list fills the text box and its description
    index = page.evaluate(
        """() => Array.from(document.querySelectorAll('#kg-example option'))
                 .findIndex(o => o.textContent.startsWith('most-used-models'))"""
    )
    assert index > 0
    page.select_option("#kg-example", index=index)
    assert "kg:mentionsModel" in page.input_value("#kg-query")
    assert page.text_content("#kg-description").startswith("Most-used models")
    page.click("#kg-run")
    page.wait_for_selector("#kg-results table tbody tr")
    headers = page.eval_on_selector_all("#kg-results th", "els => els.map(e => e.textContent)")
    assert headers == ["model", "label", "papers"]
    assert page.eval_on_selector_all("#kg-results tbody tr", "els => els.length") > 0
    assert "rows in" in page.text_content("#kg-status")
    # the query sits at the top of the text box, its comment block beside it
    assert not page.input_value("#kg-query").lstrip().startswith("#")
    # headers are never broken mid-word; IRIs are prefixed and link to their pages
    assert page.eval_on_selector_all(
        "#kg-results th", "els => els.every(e => getComputedStyle(e).whiteSpace === 'nowrap')"
    )
    first = page.locator("#kg-results tbody tr:first-child td:first-child a")
    assert first.text_content().startswith("model:")
    assert first.get_attribute("href") == "id/model/" + first.text_content()[6:] + ".html"
    # results download as CSV and as SPARQL JSON
    with page.expect_download() as download:
        page.click("#kg-csv")
    csv_text = Path(download.value.path()).read_text(encoding="utf-8")
    assert download.value.suggested_filename == "results.csv"
    assert csv_text.splitlines()[0] == "model,label,papers"
    with page.expect_download() as download:
        page.click("#kg-json")
    assert json.loads(Path(download.value.path()).read_text())["head"]["vars"] == headers

    # values are shown as text, never as markup
    payload = '<img src=x onerror="alert(1)">'
    page.fill("#kg-query", f"SELECT ?x WHERE {{ BIND('{payload}' AS ?x) }}")
    page.click("#kg-run")
    page.wait_for_function("() => document.querySelector('#kg-results td') !== null")
    assert page.text_content("#kg-results td") == payload
    assert page.query_selector("#kg-results img") is None

    # an error is shown, not thrown
    page.fill("#kg-query", "SELEKT nothing")
    page.click("#kg-run")
    page.wait_for_function("() => document.querySelector('#kg-status').textContent.includes('400')")
    assert "invalid SPARQL" in page.text_content("#kg-status")

    # ASK and CONSTRUCT results
    page.fill("#kg-query", "ASK { ?m a kg:Model }")
    page.click("#kg-run")
    page.wait_for_function("() => document.querySelector('#kg-results p') !== null")
    assert page.text_content("#kg-results p") == "ASK: true"
    page.fill("#kg-query", "CONSTRUCT WHERE { ?m a kg:Model } LIMIT 2")
    page.click("#kg-run")
    page.wait_for_selector("#kg-results pre")
    assert "kg:Model" in page.text_content("#kg-results pre")

    # the one failed load is the malformed query's deliberate 400
    assert [e for e in errors if "status of 400" not in e] == [], errors
    assert sum("status of 400" in e for e in errors) <= 1
    assert not dialogs, dialogs
    assert all(url.startswith(server.url) for url in requests), requests


# ------------------------------------------------------------------ hostile input (issue 13)


class Listener:
    """A TCP listener on 127.0.0.1 that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self.thread.join(5)
        self.sock.close()


@pytest.mark.server
def test_service_clauses_are_refused_and_nothing_leaves(server):
    listener = Listener()
    try:
        url = f"http://127.0.0.1:{listener.port}/sparql"
        queries = [
            f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ service silent <{url}> {{ ?s ?p ?o }} }}",
            f"PREFIX x: <http://127.0.0.1:{listener.port}/> SELECT * WHERE {{ SERVICE x:q {{ }} }}",
            f"SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
            f"ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        ]
        for query in queries:
            status, _, body = server.get_query(query)
            assert status == 400, (query, body)
            assert b"federated queries are off" in body
        # the same through a POSTed form, as an auto-submitted form on another site would
        status, _, body = server.request(
            "/sparql",
            method="POST",
            data=urllib.parse.urlencode({"query": queries[0]}).encode(),
            content_type="application/x-www-form-urlencoded",
        )
        assert status == 400
        time.sleep(0.3)
        assert listener.connections == 0
    finally:
        listener.close()


def test_workers_have_no_network(tmp_path):
    """Defence in depth: a worker that may not federate has no network at all (where the
    kernel lets it leave the host's network namespace)."""
    listener = Listener()
    try:
        code = (
            "import socket, sys\n"
            "from graph.serve.worker import isolate_network\n"
            "if not isolate_network(): sys.exit(3)\n"
            f"socket.create_connection(('127.0.0.1', {listener.port}), timeout=2)\n"
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if done.returncode == 3:
            pytest.skip("this kernel does not allow a network namespace here")
        assert done.returncode != 0 and "Error" in done.stderr
        time.sleep(0.3)
        assert listener.connections == 0
    finally:
        listener.close()


@pytest.mark.server
def test_cross_site_requests_are_refused(server):
    query = urllib.parse.urlencode({"query": ASK_MODEL})
    for headers in (
        {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"},
        {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"},  # a link to /sparql
        {"Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "cors"},
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
    ):
        assert server.request(f"/sparql?{query}", headers=headers)[0] == 403, headers
    status, _, _ = server.request(
        "/sparql",
        method="POST",
        data=urllib.parse.urlencode({"query": ASK_MODEL}).encode(),
        content_type="application/x-www-form-urlencoded",
        headers={"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"},
    )
    assert status == 403
    # this server's own page, and a plain link from elsewhere to a page, are fine
    own = {"Origin": server.url.rstrip("/"), "Sec-Fetch-Site": "same-origin"}
    assert server.request(f"/sparql?{query}", headers=own)[0] == 200
    link = {
        "Sec-Fetch-Site": "cross-site",
        "Sec-Fetch-Mode": "navigate",
        "Sec-Fetch-Dest": "document",
    }
    assert server.request("/models.html", headers=link)[0] == 200


@pytest.mark.server
def test_host_header_must_name_this_server(server):
    for host in ("evil.example", f"evil.example:{server.port}", "127.0.0.1.nip.io"):
        status, _, body = server.request("/", headers={"Host": host})
        assert status == 400 and b"DNS rebinding" in body, host
    for host in (f"127.0.0.1:{server.port}", f"localhost:{server.port}", "localhost"):
        assert server.request("/", headers={"Host": host})[0] == 200


@pytest.mark.server
def test_deep_nesting_is_refused_before_parsing(server):
    restarts = server.server.pool.restarts
    for query in (
        "SELECT * WHERE " + "{" * 3000 + "?s ?p ?o" + "}" * 3000,
        "SELECT * WHERE " + "{" * 3000,  # unbalanced
        "SELECT * WHERE { BIND(" + "CONCAT(" * 1500 + '"a"' + ")" * 1500 + " AS ?x) }",
        "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 20000) + " }",
    ):
        status, _, body = server.request(
            "/sparql", method="POST", data=query.encode(), content_type="application/sparql-query"
        )
        assert status == 400 and b"query refused" in body, body[:200]
    assert server.server.pool.restarts == restarts  # no worker died
    assert server.get_query(ASK_MODEL)[0] == 200


@pytest.mark.server
def test_listen_backlog_and_a_burst_of_clients(server):
    if shutil.which("ss"):
        out = subprocess.run(
            ["ss", "-ltnH", f"sport = :{server.port}"], capture_output=True, text=True
        ).stdout.split()
        assert int(out[2]) >= 1024, out  # Send-Q of a listening socket is its backlog
    results: list[int] = []

    def fetch() -> None:
        results.append(server.request("/static/kg.css", timeout=60)[0])

    threads = [threading.Thread(target=fetch) for _ in range(100)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    assert results == [200] * 100


@pytest.mark.server
def test_conflicting_length_headers_are_400(server):
    smuggle = (
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query"
        b"\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
        b"GET /index.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    answer = server.raw(smuggle)
    assert answer.startswith(b"HTTP/1.1 400")
    assert answer.count(b"HTTP/1.1 ") == 1  # the smuggled second request was never answered
    for lengths in (b"Content-Length: 3\r\nContent-Length: 4", b"Content-Length: 3, 4"):
        answer = server.raw(
            b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n" + lengths + b"\r\n\r\nASK{}"
        )
        assert answer.startswith(b"HTTP/1.1 400"), answer[:100]


@pytest.mark.server
@pytest.mark.parametrize("path", ["/", "/view", "/query", "/sparql?query=ASK%7B%7D", "/nope"])
def test_security_headers(server, path):
    _, headers, _ = server.request(path)
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"


@pytest.mark.server
def test_xml_results_never_carry_control_characters(server):
    query = 'SELECT ?x WHERE { BIND("a\\u0001b\\uFFFF" AS ?x) }'
    status, _, body = server.get_query(query, "application/sparql-results+xml")
    assert status == 406 and b"XML 1.0 cannot carry" in body
    status, headers, body = server.get_query(
        query, "application/sparql-results+xml, application/sparql-results+json;q=0.5"
    )
    assert status == 200 and headers["Content-Type"] == "application/sparql-results+json"
    assert json.loads(body)["results"]["bindings"][0]["x"]["value"] == "a\u0001b\uffff"
    status, headers, body = server.get_query(
        'CONSTRUCT { <urn:a> <urn:b> ?x } WHERE { BIND("a\\u0001" AS ?x) }',
        "application/rdf+xml, text/turtle;q=0.1",
    )
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    # clean results are still XML
    status, headers, body = server.get_query(SELECT_MODELS, "application/sparql-results+xml")
    import xml.etree.ElementTree as ET

    assert status == 200 and ET.fromstring(body).tag.endswith("sparql")


def test_exposure_warning_says_what_is_exposed():
    assert exposure_warning("127.0.0.1", 7878) is None
    warning = exposure_warning("0.0.0.0", 7878)
    assert "every network interface" in warning and "port 7878" in warning
    assert "/sparql" in warning and "read-only" in warning and "abstract" in warning
    assert "port 0" not in exposure_warning("0.0.0.0", 0)  # --port 0: any free port


def test_bad_port_and_host_are_one_line_errors(serve_build, monkeypatch):
    """Issue 15, snag 1: `--port 99999` (or -1) printed a traceback; `--host
    nosuchhost.invalid` blamed the port."""
    from typer.testing import CliRunner

    from graph.cli import app

    runner = CliRunner()
    for port in ("99999", "-1", "65536"):
        result = runner.invoke(app, ["serve", "--graph", str(serve_build), "--port", port])
        assert result.exit_code == 2, result.output  # a bad option value, as the README says
        assert "Invalid value for '--port'" in result.output and "0 to 65535" in result.output
        assert "Traceback" not in result.output

    def no_such_host(*args, **kwargs):  # no DNS lookup leaves this machine in a test
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    result = runner.invoke(
        app, ["serve", "--graph", str(serve_build), "--host", "nosuchhost.invalid"]
    )
    assert result.exit_code == 1
    assert "cannot resolve --host nosuchhost.invalid" in result.output
    assert "port" not in result.output.split("(")[0] and "Traceback" not in result.output


@pytest.mark.server
def test_idle_and_slow_connections_are_closed(serve_build):
    running = _start(serve_build, request_timeout=1.0, workers=1, reserve=0)
    try:
        started = time.monotonic()
        # a connection that sends nothing
        with socket.create_connection((running.host, running.port), timeout=15) as sock:
            assert sock.recv(100) == b""  # closed by the server
        # a slow-loris: a header line every 0.3 s, never the end of the request
        with socket.create_connection((running.host, running.port), timeout=15) as sock:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            closed = False
            for i in range(40):
                try:
                    sock.sendall(f"X-Slow-{i}: 1\r\n".encode())
                except OSError:
                    closed = True
                    break
                sock.settimeout(0.3)
                try:
                    if sock.recv(100) == b"":
                        closed = True
                        break
                except TimeoutError:
                    pass
            assert closed, "the server kept a slow-loris connection open"
        assert time.monotonic() - started < 30
        assert running.request("/static/kg.css")[0] == 200  # and still serves
    finally:
        running.stop()


@pytest.mark.server
def test_slow_queries_do_not_starve_short_ones(serve_build):
    running = _start(serve_build, timeout=6, workers=2)
    try:
        slow: list[int] = []

        def run_slow() -> None:
            slow.append(running.get_query(PATHOLOGICAL, timeout=60)[0])

        threads = [threading.Thread(target=run_slow) for _ in range(2)]
        for t in threads:
            t.start()
        pool = running.server.pool
        deadline = time.monotonic() + 20
        while pool._current.idle and time.monotonic() < deadline:  # both long workers taken
            time.sleep(0.02)
        assert not pool._current.idle
        status, _, body = running.get_query(ASK_MODEL)
        assert status == 200 and json.loads(body)["boolean"] is True
        assert all(t.is_alive() for t in threads), "answered only after the slow queries ended"
        for t in threads:
            t.join(60)
        assert slow == [503, 503]
    finally:
        running.stop()


@pytest.mark.server
def test_answers_never_alternate_between_old_and_new_graph(tmp_path, fixtures):
    """A rebuild into the served directory: the server switches to the new graph once, for
    every worker, even when a worker is replaced meanwhile (a timed-out query)."""
    from graph.pipeline import build

    out = tmp_path / "out"
    build([str(fixtures / "pages" / "papers.jsonl")], out, formats=["ttl"], jobs=1)
    count = "SELECT (COUNT(?p) AS ?n) WHERE { ?p a kg:Paper }"
    running = _start(out, timeout=1, workers=2)
    try:

        def papers() -> int:
            status, _, body = running.get_query(count, "text/csv")
            assert status == 200, body
            return int(body.split()[1])

        old = papers()
        build([str(fixtures / "non_ml.jsonl")], out, formats=["ttl"], jobs=1)
        assert running.get_query(PATHOLOGICAL)[0] == 503  # one worker is killed and replaced
        seen: list[int] = []
        lock = threading.Lock()

        def poll() -> None:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                n = papers()
                with lock:
                    seen.append(n)
                if n != old and seen.count(n) > 20:
                    return
                time.sleep(0.01)

        threads = [threading.Thread(target=poll) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        new = new_count(out)
        assert new != old and set(seen) <= {old, new}
        assert seen[-1] == new
        first_new = next(i for i, n in enumerate(seen) if n != old)
        assert all(n != old for n in seen[first_new:]), seen
    finally:
        running.stop()


def new_count(out: Path) -> int:
    store = ox.Store.read_only(str(out / "store"))
    result = store.query(f"SELECT (COUNT(?p) AS ?n) WHERE {{ ?p a <{KG}Paper> }}")
    return int(next(iter(result))[0].value)


@pytest.mark.server
def test_readme_curl_example_is_current(server):
    """The README's curl example shows what the server answers for the sample build."""
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = re.search(
        r"\$ curl -H 'Accept: text/csv' --data-urlencode 'query=(.*?)' \S+/sparql\n(.*?)```",
        readme,
        re.S,
    )
    assert block, "the README's curl example is missing"
    status, _, body = server.get_query(block.group(1), "text/csv")
    assert status == 200
    assert body.decode("utf-8").replace("\r\n", "\n") == block.group(2)
