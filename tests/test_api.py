"""The notebook API: open_graph -> query, rdf (rdflib over Oxigraph), networkx, pyvis."""

from __future__ import annotations

import datetime

import networkx as nx
import pytest
import rdflib

from graph import open_graph
from graph.errors import GraphNotFoundError, QueryError
from graph.sparql_guard import ServiceRefused

KG = "https://w3id.org/paper-kg/"


@pytest.fixture(scope="module")
def kg(sample_build):
    return open_graph(sample_build)


def test_query_rows_are_plain_values(kg):
    result = kg.query(
        "SELECT ?m ?label ?n WHERE { ?m a kg:Model ; rdfs:label ?label ; kg:paperCount ?n }"
        " ORDER BY DESC(?n) ?label LIMIT 3"
    )
    assert result.variables == ["m", "label", "n"]
    assert len(result) == 3 and result.rows[0][:2] == (KG + "id/model/bert", "BERT")
    assert isinstance(result.rows[0][2], int)
    assert result.dicts()[0]["label"] == "BERT"
    assert "<table>" in result._repr_html_()
    assert kg.query("ASK { ?m a kg:Model }").boolean is True
    described = kg.query("DESCRIBE model:bert")
    assert len(described) > 3 and len(described.graph()) == len(described)


def test_query_binds_values_safely(kg):
    result = kg.query(
        "SELECT ?label ?m WHERE { ?m rdfs:label ?label }",
        m=rdflib.URIRef(KG + "id/model/llama-2"),
    )
    assert result.rows == [("Llama 2", KG + "id/model/llama-2")]
    hostile = 'x" } ; DROP ALL ; SELECT * { ?s ?p ?o'
    assert kg.query("SELECT ?label ?m WHERE { ?m rdfs:label ?label }", label=hostile).rows == []
    assert kg.query("SELECT ?d WHERE {}", d=datetime.date(2024, 1, 2).isoformat()).rows


def test_query_errors(kg):
    with pytest.raises(QueryError, match="invalid SPARQL"):
        kg.query("SELEKT *")
    with pytest.raises(ServiceRefused):
        kg.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }")
    with pytest.raises(GraphNotFoundError):
        open_graph("/nonexistent/graph")


def test_rdf_is_rdflib_over_the_store(kg):
    graph = kg.rdf
    assert isinstance(graph, rdflib.Graph)
    label = graph.value(rdflib.URIRef(KG + "id/model/llama-2"), rdflib.RDFS.label)
    assert str(label) == "Llama 2"
    rows = list(graph.query("SELECT (COUNT(*) AS ?n) WHERE { ?p a kg:Paper }"))
    assert int(rows[0][0]) == 314
    with pytest.raises(ServiceRefused):
        graph.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }")


def test_networkx_matches_the_build_projection(kg, sample_build):
    g = kg.networkx()
    built = nx.read_graphml(str(sample_build / "graph.graphml"))
    assert set(g.nodes) == set(built.nodes) and set(g.edges) == set(built.edges)
    for node in list(built.nodes)[:200]:
        for key in ("kind", "label", "aliases", "papers"):
            if key in built.nodes[node]:
                assert g.nodes[node][key] == built.nodes[node][key], (node, key)
    for edge in list(built.edges)[:200]:
        assert g.edges[edge]["predicate"] == built.edges[edge]["predicate"]


def test_pyvis_network(kg, tmp_path, monkeypatch):
    from pyvis.network import Network

    def quadratic(*args, **kwargs):
        raise AssertionError("add_edge scans every edge; the network is filled directly")

    monkeypatch.setattr(Network, "add_edge", quadratic)
    net = kg.pyvis(focus="LLaMA", depth=1, notebook=False)
    assert isinstance(net, Network)
    ids = set(net.node_ids)
    assert KG + "id/model/llama" in ids and len(ids) == len(net.nodes)
    assert all(e["from"] in ids and e["to"] in ids for e in net.edges)
    assert net.node_map[KG + "id/model/llama"]["label"] == "LLaMA"
    page = tmp_path / "llama.html"
    net.write_html(str(page))
    html = page.read_text(encoding="utf-8")
    assert "model/llama" in html and "vis-network" in html
    notebook = kg.pyvis(top=20)  # for Jupyter: show() returns an IFrame
    assert notebook.template is not None and len(notebook.nodes) > 20


def test_entity_lookup(kg):
    data = kg.entity("llama 2")
    assert data["label"] == "Llama 2" and data["family"]["broader"][0]["label"] == "LLaMA"
    with pytest.raises(QueryError):
        kg.entity("no such thing at all")


def test_readme_notebook_example_runs(sample_build, tmp_path, monkeypatch):
    """The README's notebook block runs as written (it used rdflib without importing it)."""
    import re
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = re.search(
        r"```python\n(import rdflib\nfrom graph import open_graph\n.*?)```", readme, re.S
    )
    assert block, "the README's notebook example is missing or does not import what it uses"
    code = block.group(1).replace("URIRef(...)", f"URIRef('{KG}id/model/bert')")
    code = code.replace('open_graph("exports")', f"open_graph({str(sample_build)!r})")
    monkeypatch.chdir(tmp_path)  # net.show writes llama.html here
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    assert namespace["kg"].query("ASK { ?m a kg:Model }").boolean
    assert (tmp_path / "llama.html").is_file()
