"""graph.sparql_guard: SERVICE refused unless allowed, nesting and chains bounded, and nothing
else refused (the keyword in a literal, an IRI, a comment, a prefixed name or a variable)."""

from __future__ import annotations

import contextlib
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.ontology import PREFIXES
from graph.sparql_guard import (
    MAX_NESTING,
    QueryTooComplex,
    ServiceRefused,
    UnsafeQueryError,
    check_query,
    scan,
)

ENDPOINT = "http://127.0.0.1:7900/sparql"


@pytest.mark.parametrize(
    "query",
    [
        f"SELECT * WHERE {{ SERVICE <{ENDPOINT}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{ENDPOINT}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ Service<{ENDPOINT}>{{}} }}",
        "PREFIX e: <http://127.0.0.1:7900/> SELECT * WHERE { SERVICE e:sparql { } }",
        "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE <relative> { } }",
        f"BASE <{ENDPOINT}> SELECT * WHERE {{ SERVICE <other> {{ }} }}",
        "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:7900/> { } }",  # codepoint escape
        "SELECT * WHERE { SERVICE <http://127.0.0.1\\u003A7900/x> { } }",
        f"ASK {{ OPTIONAL {{ SERVICE <{ENDPOINT}> {{ ?s ?p ?o }} }} }}",
    ],
)
def test_service_is_refused(query):
    with pytest.raises(ServiceRefused) as refused:
        check_query(query, prefixes=PREFIXES)
    assert "federated queries are off" in str(refused.value)
    assert refused.value.line == 1 and refused.value.column


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s ?p 'SERVICE <http://127.0.0.1:7900/>' }",
        'SELECT * WHERE { ?s ?p """multi\nSERVICE <http://x/>\n""" }',
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://127.0.0.1:7900/>",
        "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }",
        "PREFIX service: <http://example.org/> SELECT ?service WHERE { ?service service:x 1 }",
        'SELECT * WHERE { ?s ?p "x"@service }',
        "SELECT * WHERE { ?s ex:service ?o }",
        "SELECT * WHERE { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }",
    ],
)
def test_lookalikes_pass(query):
    assert check_query(query, prefixes=PREFIXES).services == []


def test_allowed_hosts():
    query = "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }"
    assert check_query(query, allow_service=["query.wikidata.org"]).services[0].endpoint
    with pytest.raises(ServiceRefused, match="not among the allowed"):
        check_query(query, allow_service=["example.org"])
    with pytest.raises(ServiceRefused, match="not a fixed"):
        check_query("SELECT * { SERVICE ?e {} }", allow_service=["query.wikidata.org"])


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE " + "{" * 3000 + "?s ?p ?o" + "}" * 3000,
        "SELECT * WHERE " + "{" * 3000,
        "SELECT * WHERE { FILTER(" + "(" * 200 + "1" + ")" * 200 + ") }",
        "SELECT * WHERE { ?s ?p " + "[ ?q " * 100 + "1" + " ]" * 100 + " }",
        "SELECT * WHERE { ?a<" + "(" * 500 + "?b>" + ")" * 500 + " }",  # not an IRI
        "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 3000) + " }",
        "SELECT * WHERE { FILTER(" + "+".join(["1"] * 3000) + ") }",
        "SELECT * WHERE { ?s <urn:p> " + ",".join(['"x"'] * 3000) + " }",
    ],
)
def test_deep_or_long_queries_are_refused(query):
    with pytest.raises(QueryTooComplex):
        check_query(query)


def test_bounds_leave_real_queries_alone():
    from graph.ontology import example_queries

    for path in example_queries().values():
        shape = check_query(path.read_text(encoding="utf-8"), prefixes=PREFIXES)
        assert shape.depth < MAX_NESTING // 4
    # long lists where the engine keeps a flat list are fine
    check_query("SELECT * WHERE { VALUES ?x { " + " ".join(['"a"'] * 20000) + " } }")
    check_query("SELECT * WHERE { ?s ?p ?o FILTER(?o IN (" + ",".join(["1"] * 20000) + ")) }")


def test_what_the_guard_prevents_is_real():
    """Oxigraph itself dies on the refused shape (in a subprocess): the bound is needed."""
    code = (
        "import pyoxigraph as ox\n"
        "q = 'SELECT * WHERE ' + '{' * 3000 + '?s ?p ?o' + '}' * 3000\n"
        "list(ox.Store().query(q))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert done.returncode != 0  # a segfault (-11) on this machine


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(), max_size=400))
def test_any_text_is_scanned_without_error(text):
    scan(text)
    with contextlib.suppress(UnsafeQueryError):
        check_query(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_characters="'\"\\\n\r"), max_size=60))
def test_service_in_a_literal_is_never_flagged(content):
    query = f"SELECT * WHERE {{ ?s ?p 'SERVICE <http://x/> {content}' }}"
    assert scan(query).services == []
