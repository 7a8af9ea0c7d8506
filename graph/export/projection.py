"""The NetworkX projection of a built graph, read back from its RDF (store or file).

``kg build`` makes the projection from its records (:func:`graph.build.to_networkx`); this makes
the same one from what any build leaves behind — the Oxigraph store, ``graph.ttl``,
``graph.nt`` or ``graph.jsonld`` — so ``kg view`` draws every graph the other commands read,
whether or not GraphML was exported. Node and edge attributes are those of
:func:`graph.build.to_networkx`.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx
import pyoxigraph as ox

from graph.build import add_relation_edges, parse_record
from graph.namespaces import BASE
from graph.records import ENTITY_TYPES

_PREFIXES = {
    "kg": BASE,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
}
_LINKS = ("mentionsModel", "usesDataset", "usesMethod", "mentionsLanguage", "proposes")

_PAPERS = """
SELECT ?p ?title ?abstract ?arxiv ?url ?date WHERE {
  ?p a kg:Paper ; dcterms:title ?title .
  OPTIONAL { ?p dcterms:abstract ?abstract }
  OPTIONAL { ?p kg:arxivId ?arxiv }
  OPTIONAL { ?p schema:url ?url }
  OPTIONAL { ?p dcterms:date ?date }
}"""
_LISTED = "SELECT ?p ?d WHERE { ?p a kg:Paper ; kg:listingDate ?d }"
_TYPES = " ".join(f"kg:{t}" for t in ENTITY_TYPES)
_ENTITIES = f"""
SELECT ?e ?type ?label WHERE {{
  VALUES ?type {{ {_TYPES} }}
  ?e a ?type ; rdfs:label ?label .
}}"""
_ALIASES = "SELECT ?e ?alias WHERE { ?e skos:altLabel ?alias }"
_GROUPS = "SELECT ?e WHERE { ?e a kg:LanguageGroup }"
_CODES = """
SELECT ?e ?code ?value WHERE {
  VALUES ?code { kg:iso639_1 kg:iso639_3 kg:iso639_5 }
  ?e ?code ?value .
}"""
_LINK_IRIS = " ".join(f"kg:{p}" for p in _LINKS)
_EDGES = f"""
SELECT ?p ?link ?e WHERE {{
  VALUES ?link {{ {_LINK_IRIS} }}
  ?p ?link ?e .
}}"""
_VARIANTS = "SELECT ?e ?family WHERE { ?e kg:variantOf ?family }"
_STATEMENTS = """
SELECT ?s ?p ?o ?paper ?record ?title WHERE {
  ?st a kg:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:inPaper ?paper .
  OPTIONAL { ?st kg:evidence ?evidence BIND(STR(?evidence) AS ?record) }
  OPTIONAL { ?paper dcterms:title ?title }
}
"""
#: Every evidence record of every paper (taken apart in Python: one pass, no regex per field).
_PAPER_EVIDENCE = """
SELECT ?p ?record WHERE { ?p a kg:Paper ; kg:evidence ?evidence BIND(STR(?evidence) AS ?record) }
"""


def _rows(store: ox.Store, query: str) -> list[list[str | None]]:
    solutions = store.query(query, prefixes=_PREFIXES)
    names = [v.value for v in solutions.variables]
    return [[None if s[n] is None else s[n].value for n in names] for s in solutions]


def networkx_from_store(store: ox.Store) -> nx.DiGraph:
    """The papers, entities and their links in ``store`` as the view's NetworkX graph.

    Papers carry ``kind`` ("Paper"), ``label`` and ``title``, ``date`` (the first listing
    date, else ``dcterms:date``), ``arxiv``, ``url`` and ``abstract``; entities ``kind``,
    ``label``, ``aliases`` (" | "-joined, sorted), ``papers`` (the papers linked to them),
    ``evidence``, ``group``, ``codes`` and ``relations``. Edges carry ``predicate``: the link's
    local name (with the ``rule`` and ``confidence`` of its most confident mention),
    ``variantOf`` from a variant to its family, or a relation type (see
    :func:`graph.build.add_relation_edges`).
    """
    g = nx.DiGraph()
    listed: dict[str, list[str]] = defaultdict(list)
    for p, d in _rows(store, _LISTED):
        listed[p].append(d)
    for p, title, abstract, arxiv, url, date in sorted(_rows(store, _PAPERS), key=_none_last):
        if p in g:
            continue  # a second title or abstract: the first (smallest) one is kept
        g.add_node(
            p,
            kind="Paper",
            label=title,
            title=title,
            date=min(listed[p]) if listed.get(p) else (date or ""),
            arxiv=arxiv or "",
            url=url or "",
            abstract=abstract or "",
        )
    aliases: dict[str, set[str]] = defaultdict(set)
    for e, alias in _rows(store, _ALIASES):
        aliases[e].add(alias)
    groups = {e for (e,) in _rows(store, _GROUPS)}
    codes: dict[str, dict[str, str]] = defaultdict(dict)
    for e, code, value in _rows(store, _CODES):
        codes[e][code.rsplit("/", 1)[-1]] = value
    scored, evidence = _evidence(g, _rows(store, _PAPER_EVIDENCE))
    links = sorted((p, link, e) for p, link, e in _rows(store, _EDGES) if p in g)
    papers: dict[str, set[str]] = defaultdict(set)
    for p, _, e in links:
        papers[e].add(p)
    for e, type_iri, label in sorted(_rows(store, _ENTITIES), key=_none_last):
        if e in g:
            continue
        g.add_node(
            e,
            kind=type_iri.rsplit("/", 1)[-1],
            label=label,
            aliases=" | ".join(sorted(aliases.get(e, set()) - {label})),
            papers=len(papers.get(e, ())),
            evidence=evidence.get(e, ""),
            group=e in groups,
            codes=" ".join(f"{k}={v}" for k, v in sorted(codes.get(e, {}).items())),
        )
    for p, link, e in links:
        if e in g:
            confidence, rule = scored.get((p, e), (None, None))
            g.add_edge(
                p,
                e,
                predicate=link.rsplit("/", 1)[-1],
                rule=rule or "",
                confidence=confidence or 0.0,
            )
    for e, family in sorted(_rows(store, _VARIANTS)):
        if e in g and family in g:
            g.add_edge(e, family, predicate="variantOf")
    statements = [
        (s, p.rsplit("/", 1)[-1], o, paper, _sentence(g, paper, record), title or "")
        for s, p, o, paper, record, title in _rows(store, _STATEMENTS)
    ]
    add_relation_edges(g, statements)
    return g


def _evidence(
    g: nx.DiGraph, rows: list[list[str | None]]
) -> tuple[dict[tuple[str, str], tuple[float, str]], dict[str, str]]:
    """From every paper's evidence records: per (paper, entity) the highest confidence and the
    least rule (by code point), and per entity the sentence of its most confident record (the
    least such sentence, for ties)."""
    best_link: dict[tuple[str, str], tuple[float, str]] = {}
    best_entity: dict[str, tuple[float, str]] = {}
    for p, text in rows:
        record = parse_record(text or "")
        e, c = record.entity, record.confidence
        if e is None:
            continue
        conf, rule = best_link.get((p, e), (c, record.rule))
        best_link[p, e] = (max(conf, c), min(rule, record.rule))
        paper = g.nodes[p] if p in g else {}
        sentence = record.sentence(paper.get("title", ""), paper.get("abstract", ""))
        if e not in best_entity or (-c, sentence) < (-best_entity[e][0], best_entity[e][1]):
            best_entity[e] = (c, sentence)
    return best_link, {e: sentence for e, (_, sentence) in best_entity.items()}


def _sentence(g: nx.DiGraph, paper: str | None, record: str | None) -> str:
    """The sentence a statement's evidence record points at ("" without one)."""
    if not record or paper not in g:
        return ""
    node = g.nodes[paper]
    return parse_record(record).sentence(node.get("title", ""), node.get("abstract", ""))


def _none_last(row: list[str | None]) -> tuple:
    return tuple((v is None, v or "") for v in row)
