"""The graph's projection onto papers and entities as a NetworkX graph (for GraphML and
the HTML view), with the relations between entities.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import networkx as nx

from graph.iri import paper_iri
from graph.records import RELATION_TYPES, PaperRecord
from graph.resolve import Resolution


def to_networkx(records: Iterable[PaperRecord], resolution: Resolution) -> nx.DiGraph:
    """The graph's projection onto papers and entities, for GraphML and the HTML view.

    Nodes are keyed by IRI and carry ``kind`` (Paper, Model, Dataset, Method, Language),
    ``label``; papers also ``title``, ``date``, ``arxiv``, ``url``, ``abstract``; entities
    ``aliases`` (" | "-joined), ``papers``, ``evidence`` (a sentence) and ``relations`` (see
    :func:`_relation_projection`). Edges carry ``predicate`` (``mentionsModel`` ...
    ``proposes``, or ``variantOf`` or a relation type such as ``basedOn`` between entities), for
    paper links ``rule`` and ``confidence``, and for relations ``relations`` (every type between
    the pair), ``papers`` and ``sentence``. (GraphML leaves the abstracts out.)
    """
    g = nx.DiGraph()
    for record in records:
        p = record.paper
        g.add_node(
            paper_iri(record.key),
            kind="Paper",
            label=p.title,
            title=p.title,
            date=(record.listing_dates or [p.date or ""])[0],
            arxiv=p.arxiv_id or "",
            url=p.url or "",
            abstract=p.abstract,
        )
    evidence: dict[str, str] = {}
    for link in resolution.links:
        best = max(link.mentions, key=lambda m: m.confidence)
        evidence.setdefault(link.entity_iri, best.sentence)
        g.add_edge(
            paper_iri(link.paper_key),
            link.entity_iri,
            predicate=link.predicate,
            rule=best.rule,
            confidence=float(best.confidence),
        )
    for e in resolution.entities.values():
        g.add_node(
            e.iri,
            kind=e.type,
            label=e.label,
            aliases=" | ".join(e.alt_labels),
            papers=e.papers,
            evidence=evidence.get(e.iri, ""),
            group=e.group,
            codes=" ".join(f"{k}={v}" for k, v in sorted(e.codes.items())),
        )
        for broader in e.broader:
            g.add_edge(e.iri, broader, predicate="variantOf")
    _relation_projection(g, records, resolution)
    return g


#: Most relations listed per entity in the projection (the view's tooltips).
RELATIONS_PER_ENTITY = 8


def _relation_projection(
    g: nx.DiGraph, records: Iterable[PaperRecord], resolution: Resolution
) -> None:
    """Add the resolution's statements to the projection (see :func:`add_relation_edges`)."""
    if not resolution.statements:
        return
    papers = {r.key: r.paper for r in records}
    rows = []
    for st in resolution.statements:
        paper = papers.get(st.paper_key)
        ev = st.evidence
        sentence = title = ""
        if paper is not None:
            sentence = (paper.title if ev.field == "title" else paper.abstract)[ev.start : ev.end]
            title = paper.title
        rows.append((st.subject, st.predicate, st.object, st.paper_key, sentence, title))
    add_relation_edges(g, rows)


def add_relation_edges(
    g: nx.DiGraph, statements: Iterable[tuple[str, str, str, str, str, str]]
) -> None:
    """Add statements to a projection: an edge per related pair, a list per entity.

    Args:
        g: The projection (entities already in it).
        statements: ``(subject, predicate, object, paper, sentence, paper title)`` per
            statement; ``predicate`` is a relation type's local name (``basedOn`` ...).

    A pair's edge takes the first of its relation types (in :data:`RELATION_TYPES` order) as
    ``predicate``, all of them in ``relations``, how many papers state any of them and one
    evidence sentence; a pair already linked by ``variantOf`` keeps that edge. Each entity's
    ``relations`` attribute is JSON (GraphML holds only scalars): a list of ``[predicate,
    "out" | "in", other entity's label, papers, sentence, paper title]``, the most stated first.
    """
    rank = {name: i for i, name in enumerate(RELATION_TYPES)}
    grouped: dict[tuple[str, str, str], list[tuple[str, str, str]]] = {}
    for s, p, o, paper, sentence, title in statements:
        grouped.setdefault((s, p, o), []).append((paper, sentence, title))
    pairs: dict[tuple[str, str], dict] = {}
    listed: dict[str, list[tuple]] = {}
    for (s, p, o), sts in sorted(grouped.items(), key=lambda kv: (rank.get(kv[0][1], 99), kv[0])):
        if s not in g or o not in g:
            continue
        sts.sort()
        _, sentence, title = sts[0]
        count = len({paper for paper, _, _ in sts})
        pair = pairs.setdefault((s, o), {"relations": [], "papers": set(), "sentence": sentence})
        pair["relations"].append(p)
        pair["papers"].update(paper for paper, _, _ in sts)
        for node, direction, other in ((s, "out", o), (o, "in", s)):
            label = g.nodes[other].get("label", other)
            listed.setdefault(node, []).append((p, direction, label, count, sentence, title))
    for (s, o), pair in pairs.items():
        if g.has_edge(s, o) and g.edges[s, o].get("predicate") == "variantOf":
            continue
        g.add_edge(
            s,
            o,
            predicate=pair["relations"][0],
            relations=" ".join(pair["relations"]),
            papers=len(pair["papers"]),
            sentence=pair["sentence"],
        )
    for node, items in listed.items():
        items.sort(key=lambda x: (-x[3], rank.get(x[0], 99), x[1], x[2]))
        g.nodes[node]["relations"] = json.dumps(
            [list(x) for x in items[:RELATIONS_PER_ENTITY]], ensure_ascii=True
        )
