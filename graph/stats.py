"""Summary statistics of a built graph, computed with SPARQL over the store."""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox

from graph.records import ENTITY_TYPES, RELATION_TYPES

_COUNTS = """
SELECT ?type (COUNT(DISTINCT ?e) AS ?nodes) (COUNT(DISTINCT ?p) AS ?papers)
       (COUNT(?p) AS ?links)
WHERE {
  VALUES ?type { kg:Model kg:Dataset kg:Method kg:Language }
  ?e a ?type .
  OPTIONAL { ?p kg:mentionsModel|kg:usesDataset|kg:usesMethod|kg:mentionsLanguage|kg:proposes ?e }
}
GROUP BY ?type
"""
_PAPERS = "SELECT (COUNT(?p) AS ?n) WHERE { ?p a kg:Paper }"
_LINKED = """
SELECT (COUNT(DISTINCT ?p) AS ?n)
WHERE {
  ?p a kg:Paper ;
     kg:mentionsModel|kg:usesDataset|kg:usesMethod|kg:mentionsLanguage|kg:proposes ?e
}
"""
_TOP = """
SELECT ?label (COUNT(DISTINCT ?p) AS ?n) (GROUP_CONCAT(DISTINCT ?alt; separator=", ") AS ?aliases)
WHERE {
  ?e a kg:%s ; rdfs:label ?label .
  ?p kg:mentionsModel|kg:usesDataset|kg:usesMethod|kg:mentionsLanguage|kg:proposes ?e .
  OPTIONAL { ?e skos:altLabel ?alt }
}
GROUP BY ?e ?label ORDER BY DESC(?n) ?label LIMIT %d
"""


def graph_stats(
    store: ox.Store, top: int, run: Callable
) -> tuple[list[tuple[str, int, int, int]], dict[str, list[tuple[str, int, str]]]]:
    """Return counts per type (type, nodes, linked papers, links) and the top entities per type.

    The first row counts papers.
    """
    papers = int(run(store, _PAPERS).rows[0][0])
    by_type = {row[0].rsplit("/", 1)[-1]: row for row in run(store, _COUNTS).rows}
    counts = []
    for t in ENTITY_TYPES:
        row = by_type.get(t)
        counts.append((t, int(row[1]), int(row[2]), int(row[3])) if row else (t, 0, 0, 0))
    # The paper row: papers, papers with at least one link, all paper -> entity links.
    linked = int(run(store, _LINKED).rows[0][0])
    counts.insert(0, ("Paper", papers, linked, sum(row[3] for row in counts)))
    tops = {}
    for t in ENTITY_TYPES:
        rows = run(store, _TOP % (t, top)).rows
        tops[t] = [(r[0], int(r[1]), (r[2] or "")[:60]) for r in rows]
    return counts, tops


_RELATIONS = """
SELECT ?p (COUNT(?st) AS ?statements) (COUNT(DISTINCT ?paper) AS ?papers)
       (COUNT(DISTINCT CONCAT(STR(?s), " ", STR(?o))) AS ?pairs)
WHERE {
  ?st a kg:Statement ;
      rdf:predicate ?p ;
      rdf:subject ?s ;
      rdf:object ?o ;
      kg:inPaper ?paper .
}
GROUP BY ?p
"""


def relation_stats(store: ox.Store, run: Callable) -> list[tuple[str, int, int, int]]:
    """Return per relation type: statements, papers stating one, distinct (subject, object) pairs.

    Every type of :data:`graph.records.RELATION_TYPES` has a row, in that order, then a total.
    """
    by_type = {row[0].rsplit("/", 1)[-1]: row for row in run(store, _RELATIONS).rows}
    counts = []
    for t in RELATION_TYPES:
        row = by_type.get(t)
        counts.append((t, int(row[1]), int(row[2]), int(row[3])) if row else (t, 0, 0, 0))
    papers = run(
        store,
        "SELECT (COUNT(DISTINCT ?paper) AS ?n) WHERE { ?st a kg:Statement ; kg:inPaper ?paper }",
    ).rows
    total = (
        "all",
        sum(c[1] for c in counts),
        int(papers[0][0]) if papers else 0,
        sum(c[3] for c in counts),
    )
    return [*counts, total]
