"""Summary statistics of a built graph, computed with SPARQL over the store.

Entities are counted the same way everywhere in kg (the build summary, ``kg stats``, the view's
note), in two kinds:

- **linked** entities: named by at least one paper (``kg:mentionsModel``, ``kg:usesDataset``,
  ``kg:usesMethod``, ``kg:mentionsLanguage`` or ``kg:proposes``);
- **family-only** entities: named by no paper, in the graph because an entity that is named is
  one of their variants (``kg:variantOf``: a paper names "Llama 2", so its family "LLaMA" is
  there too).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph.errors import KGError
from graph.records import ENTITY_TYPES, RELATION_TYPES

#: What the two kinds of entity are, in one line each (for help texts and notes).
LINKED = "linked: named by at least one paper"
FAMILY_ONLY = "family-only: named by no paper, present as the family of one that is"

_LINK = "kg:mentionsModel|kg:usesDataset|kg:usesMethod|kg:mentionsLanguage|kg:proposes"
_COUNTS = f"""
SELECT ?type (COUNT(DISTINCT ?e) AS ?entities) (COUNT(DISTINCT ?linked) AS ?named)
       (COUNT(DISTINCT ?p) AS ?papers) (COUNT(?p) AS ?links)
WHERE {{
  VALUES ?type {{ kg:Model kg:Dataset kg:Method kg:Language }}
  ?e a ?type .
  OPTIONAL {{ ?p {_LINK} ?e . BIND(?e AS ?linked) }}
}}
GROUP BY ?type
"""
_PAPERS = f"""
SELECT (COUNT(DISTINCT ?p) AS ?papers) (COUNT(DISTINCT ?linked) AS ?named) WHERE {{
  ?p a kg:Paper .
  OPTIONAL {{ ?p {_LINK} ?e . BIND(?p AS ?linked) }}
}}
"""
_PROPOSALS = "SELECT (COUNT(*) AS ?n) WHERE { ?p kg:proposes ?e . ?p a kg:Paper }"
_TOP = f"""
SELECT ?label (COUNT(DISTINCT ?p) AS ?n) (GROUP_CONCAT(DISTINCT ?alt; separator=", ") AS ?aliases)
WHERE {{
  ?e a kg:%s ; rdfs:label ?label .
  ?p {_LINK} ?e .
  OPTIONAL {{ ?e skos:altLabel ?alt }}
}}
GROUP BY ?e ?label ORDER BY DESC(?n) ?label LIMIT %d
"""


@dataclass(frozen=True)
class TypeCounts:
    """The entities of one type.

    Attributes:
        type: Model, Dataset, Method or Language.
        linked: Entities at least one paper names.
        family_only: Entities no paper names (families of linked ones).
        papers: Distinct papers naming an entity of this type.
        links: Paper-entity links to entities of this type.
    """

    type: str
    linked: int
    family_only: int
    papers: int
    links: int


@dataclass
class GraphStats:
    """Counts of a built graph, and its most-linked entities per type.

    Attributes:
        papers: Papers in the graph.
        linked_papers: Papers that name at least one entity.
        proposals: ``kg:proposes`` links.
        types: Counts per entity type, in :data:`graph.records.ENTITY_TYPES` order.
        top: Per type, (label, papers, aliases) of the most-linked entities.
    """

    papers: int
    linked_papers: int
    proposals: int
    types: list[TypeCounts]
    top: dict[str, list[tuple[str, int, str]]] = field(default_factory=dict)

    @property
    def links(self) -> int:
        """All paper-entity links."""
        return sum(t.links for t in self.types)

    def linked(self) -> dict[str, int]:
        """Linked entities per type."""
        return {t.type: t.linked for t in self.types}

    def family_only(self) -> int:
        """Family-only entities of every type."""
        return sum(t.family_only for t in self.types)


def counted(n: int, word: str, plural: str | None = None) -> str:
    """``n`` and ``word``, plural unless ``n`` is 1: ``counted(1, "paper") == "1 paper"``."""
    return f"{n} {word if n == 1 else plural or word + 's'}"


def describe_entities(linked: Mapping[str, int], family_only: int) -> str:
    """The entity counts in the words every command uses, e.g. "717 linked entities (195
    models, 122 datasets, 363 methods, 37 languages) and 27 family-only entities"."""
    per_type = ", ".join(f"{n} {t.lower()}{'' if n == 1 else 's'}" for t, n in linked.items())
    total = sum(linked.values())
    text = f"{total} linked {'entity' if total == 1 else 'entities'} ({per_type})"
    if family_only:
        text += f" and {family_only} family-only {'entity' if family_only == 1 else 'entities'}"
    return text


def graph_stats(store: ox.Store, top: int = 5) -> GraphStats:
    """Count papers and entities of ``store`` and list its ``top`` most-linked entities per type.

    Raises:
        KGError: if ``top`` is negative.
    """
    from graph.query import run_query

    if top < 0:
        raise KGError(f"--top must be 0 or more (got {top})")
    papers, named = (int(v or 0) for v in run_query(store, _PAPERS).rows[0])
    proposals = int(run_query(store, _PROPOSALS).rows[0][0] or 0)
    by_type = {row[0].rsplit("/", 1)[-1]: row for row in run_query(store, _COUNTS).rows}
    types = []
    for t in ENTITY_TYPES:
        _, entities, linked, linking, links = by_type.get(t, [t, 0, 0, 0, 0])
        entities, linked = int(entities), int(linked)
        types.append(TypeCounts(t, linked, entities - linked, int(linking), int(links)))
    tops: dict[str, list[tuple[str, int, str]]] = {}
    for t in ENTITY_TYPES:
        rows = run_query(store, _TOP % (t, top)).rows if top else []
        tops[t] = [(r[0] or "", int(r[1] or 0), (r[2] or "")[:60]) for r in rows]
    return GraphStats(papers, named, proposals, types, tops)


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


def relation_stats(store: ox.Store) -> list[tuple[str, int, int, int]]:
    """Return per relation type: statements, papers stating one, distinct (subject, object) pairs.

    Every type of :data:`graph.records.RELATION_TYPES` has a row, in that order, then a total.
    """
    from graph.query import run_query as run

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
