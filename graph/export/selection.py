"""Choosing what the HTML view shows: the most-linked entities and their papers, or the
neighbourhood of one entity (:func:`find_entity` finds it by name), always capped.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph.errors import KGError
from graph.export.layout import PAPER
from graph.export.layout import node_kind as _kind
from graph.export.styles import _kinds_in_order


@dataclass(frozen=True)
class View:
    """A subgraph chosen for display, and what was left out.

    Attributes:
        graph: The nodes and edges to show (a subgraph copy of the input, same attributes).
        total: Nodes per kind in the whole graph.
        shown: Nodes per kind in :attr:`graph`.
        focus: IRI of the entity the view is centred on, or None for the overview.
        depth: Radius of the focus neighbourhood (None for the overview).
        top: How many most-linked entities the overview asked for (None: all nodes).
        max_nodes: The cap applied.
        capped: Nodes per kind removed by the ``max_nodes`` cap (empty when nothing was).
        family_total: Family-only entities (named by no paper; see :meth:`note`) per kind in
            the whole graph; the other entities are linked.
        family_shown: Family-only entities per kind in :attr:`graph`.
    """

    graph: nx.DiGraph
    total: Mapping[str, int]
    shown: Mapping[str, int]
    focus: str | None = None
    depth: int | None = None
    top: int | None = None
    max_nodes: int = 1500
    capped: Mapping[str, int] = field(default_factory=dict)
    family_total: Mapping[str, int] = field(default_factory=dict)
    family_shown: Mapping[str, int] = field(default_factory=dict)

    @property
    def node_count(self) -> int:
        """Number of nodes shown."""
        return self.graph.number_of_nodes()

    @property
    def edge_count(self) -> int:
        """Number of edges shown."""
        return self.graph.number_of_edges()

    @property
    def omitted(self) -> dict[str, int]:
        """Nodes per kind that are in the graph but not in the view (kinds with none left out
        are not listed)."""
        return {
            kind: self.total[kind] - self.shown.get(kind, 0)
            for kind in _kinds_in_order(self.total)
            if self.total[kind] - self.shown.get(kind, 0) > 0
        }

    @property
    def entity_totals(self) -> tuple[int, int]:
        """Linked and family-only entities in the whole graph."""
        return self._split(self.total, self.family_total)

    @property
    def entity_shown(self) -> tuple[int, int]:
        """Linked and family-only entities in the view."""
        return self._split(self.shown, self.family_shown)

    @staticmethod
    def _split(nodes: Mapping[str, int], family: Mapping[str, int]) -> tuple[int, int]:
        entities = sum(n for k, n in nodes.items() if k != PAPER)
        family_only = sum(family.values())
        return entities - family_only, family_only

    @property
    def focus_label(self) -> str | None:
        """Label of the focus entity."""
        if self.focus is None:
            return None
        return str(self.graph.nodes[self.focus].get("label") or self.focus)

    def note(self) -> str:
        """One line saying what the view shows and what it leaves out.

        Entities are counted as everywhere in kg (build summary, ``kg stats``): *linked*
        entities are named by at least one paper; *family-only* ones are named by none and are
        in the graph as the family (``kg:variantOf``) of linked ones.
        """
        linked_total, family_total = self.entity_totals
        linked_shown, family_shown = self.entity_shown
        pap_total = self.total.get(PAPER, 0)
        pap_shown = self.shown.get(PAPER, 0)

        def part(shown: int, total: int, one: str, many: str) -> str:
            noun = one if total == 1 else many
            if shown == total:
                return f"{total} {noun}" if total == 1 else f"all {total} {noun}"
            return f"{shown} of {total} {noun}"

        parts = [part(linked_shown, linked_total, "linked entity", "linked entities")]
        if family_total:
            parts.append(
                part(family_shown, family_total, "family-only entity", "family-only entities")
            )
        parts.append(part(pap_shown, pap_total, "paper", "papers"))
        counts = ", ".join(parts[:-1]) + " and " + parts[-1]
        if self.focus is not None:
            text = f"showing the neighbourhood of {self.focus_label} (depth {self.depth}): {counts}"
        else:
            text = f"showing {counts}"
        if self.capped:
            text += f"; capped at {self.max_nodes} nodes (use kg view --max-nodes N to change)"
        if self.omitted and self.focus is None:
            text += "; use kg view --focus NAME to see one entity's neighbourhood"
        elif self.omitted:
            text += "; use --depth or --max-nodes to see more"
        return text


def _label(graph: nx.DiGraph, node: str) -> str:
    data = graph.nodes[node]
    return str(data.get("label") or data.get("title") or node)


def _aliases(data: Mapping[str, Any]) -> list[str]:
    raw = data.get("aliases") or ""
    if isinstance(raw, (list, tuple)):
        return [str(a) for a in raw if str(a).strip()]
    return [a.strip() for a in str(raw).split(" | ") if a.strip()]


def _papers_of(graph: nx.DiGraph, node: str) -> int:
    """An entity's number of papers: its ``papers`` attribute, else its linked papers."""
    value = graph.nodes[node].get("papers")
    try:
        if value is not None and value != "":
            return int(value)
    except (TypeError, ValueError):
        pass
    return sum(1 for other in nx.all_neighbors(graph, node) if _kind(graph, other) == PAPER)


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def find_entity(graph: nx.DiGraph, name: str) -> str:
    """The IRI of the entity called ``name``.

    Matches, case-insensitively, an IRI, then labels, then aliases; among several matches the
    entity with the most papers wins (then the smallest IRI).

    Raises:
        KGError: when no entity has that name (the message suggests close names).
    """
    if name in graph and _kind(graph, name) != PAPER:
        return name
    wanted = _fold(name)
    entities = sorted(n for n in graph if _kind(graph, n) != PAPER)

    def best(candidates: list[str]) -> str | None:
        if not candidates:
            return None
        return min(candidates, key=lambda n: (-_papers_of(graph, n), n))

    by_label = best([n for n in entities if _fold(_label(graph, n)) == wanted])
    if by_label is not None:
        return by_label
    by_alias = best([n for n in entities if wanted in {_fold(a) for a in _aliases(graph.nodes[n])}])
    if by_alias is not None:
        return by_alias
    labels = sorted({_label(graph, n) for n in entities})
    close = difflib.get_close_matches(name, labels, n=3, cutoff=0.6)
    hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
    raise KGError(f"no entity named {name!r} in the graph{hint}; try `kg stats` for names")


def select_view(
    graph: nx.DiGraph,
    *,
    top: int | None = 150,
    focus: str | None = None,
    depth: int = 2,
    max_nodes: int = 1500,
) -> View:
    """Choose the part of ``graph`` to show.

    Without ``focus``: the ``top`` entities with the most papers (entities with neither papers
    nor links are never in the overview), their papers, and every edge among those nodes;
    ``top=None`` takes the whole graph. With ``focus`` (a label, alias or IRI; see
    :func:`find_entity`): every node within ``depth`` hops of that entity, edges taken both
    ways. Either way at most ``max_nodes`` nodes are kept: papers with the fewest links in the
    view go first, then the entities with the fewest papers; around a focus the farthest ring
    goes first (so what stays is still connected to the focus), and the focus always stays.

    Args:
        graph: The NetworkX projection (see :func:`graph.build.to_networkx`).
        top: Entities in the overview; None for the whole graph.
        focus: Name of the entity to centre on.
        depth: Radius of the focus neighbourhood.
        max_nodes: Most nodes any view holds.

    Returns:
        The :class:`View`; it records how many nodes of each kind were left out.

    Raises:
        KGError: when ``focus`` names no entity, or an argument is out of range.
    """
    if max_nodes < 1:
        raise KGError(f"--max-nodes must be at least 1 (got {max_nodes})")
    if depth < 0:
        raise KGError(f"--depth must be 0 or more (got {depth})")
    if top is not None and top < 0:
        raise KGError(f"--top must be 0 or more (got {top})")

    total = Counter(_kind(graph, n) for n in graph)
    distance: dict[str, int] = {}
    center: str | None = None
    if focus is not None:
        center = find_entity(graph, focus)
        distance = nx.single_source_shortest_path_length(
            graph.to_undirected(as_view=True), center, cutoff=depth
        )
        keep = set(distance)
    elif top is None:
        keep = set(graph)
    else:
        entities = [
            n
            for n in graph
            if _kind(graph, n) != PAPER and (_papers_of(graph, n) or graph.degree(n))
        ]
        entities.sort(
            key=lambda n: (-_papers_of(graph, n), -graph.degree(n), _fold(_label(graph, n)), n)
        )
        chosen = entities[:top]
        keep = set(chosen)
        for entity in chosen:
            keep.update(p for p in nx.all_neighbors(graph, entity) if _kind(graph, p) == PAPER)

    capped: Counter[str] = Counter()
    if len(keep) > max_nodes:
        sub = graph.subgraph(keep)
        far = max(distance.values(), default=0) + 1

        def dist(n: str) -> int:
            return distance.get(n, far) if distance else 0

        def drop_order(n: str) -> tuple:
            is_entity = _kind(graph, n) != PAPER
            links = _papers_of(graph, n) if is_entity else sub.degree(n)
            return (-dist(n), is_entity, links, sub.degree(n), n)

        order = sorted((n for n in keep if n != center), key=drop_order)
        for node in order[: len(keep) - max_nodes]:
            keep.discard(node)
            capped[_kind(graph, node)] += 1

    view_graph = nx.DiGraph(graph.subgraph(keep))
    shown = Counter(_kind(graph, n) for n in keep)

    def family_only(nodes: Iterable[str]) -> dict[str, int]:
        found = Counter(
            _kind(graph, n) for n in nodes if _kind(graph, n) != PAPER and not _papers_of(graph, n)
        )
        return dict(found)

    return View(
        graph=view_graph,
        total=dict(total),
        shown=dict(shown),
        focus=center,
        depth=depth if center is not None else None,
        top=top if center is None else None,
        max_nodes=max_nodes,
        capped=dict(capped),
        family_total=family_only(graph),
        family_shown=family_only(keep),
    )
