"""The interactive HTML view: one self-contained page, readable at any corpus size.

:func:`select_view` chooses what to show (the most-linked entities and their papers, or the
neighbourhood of one entity, always capped), :func:`render_html` turns that into a page,
:func:`write_html` writes it. Positions come from :mod:`graph.export.layout`, photographs from
:mod:`graph.export.screenshot` (both re-exported here).

The page inlines vis-network 9.1.2 (vendored from pyvis; see ``templates/README.md``) and
everything else it needs: it makes no network request at all, and works from ``file://`` as well
as over HTTP (``kg serve``). The graph travels as JSON inside
``<script type="application/json" id="graph-data">`` with ``<``, ``>`` and ``&`` written as
``\\u003c``, ``\\u003e`` and ``\\u0026``, so no title can close the tag; the page's code puts every
value on the page as text (``textContent``), never as markup. A Content-Security-Policy that
allows only the page's own two scripts (by hash) and no network access backs this up.

Node positions are computed beforehand (deterministically), so the browser only tidies them with a
short, bounded physics run and then switches physics off: the page always comes to rest, sets
``<body data-stable="true">`` and exposes ``window.kgView`` for tests.
"""

from __future__ import annotations

import base64
import difflib
import functools
import hashlib
import html
import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from graph.errors import KGError, OutputError
from graph.export import atomic_path
from graph.export.layout import ENTITY_MAX_SIZE, ENTITY_MIN_SIZE, PAPER, PAPER_SIZE, layout
from graph.export.layout import node_kind as _kind
from graph.export.screenshot import CHROMIUM_ARGS, chromium_path, screenshot

__all__ = [
    "CHROMIUM_ARGS",
    "View",
    "chromium_path",
    "find_entity",
    "layout",
    "page_data",
    "paper_link",
    "render_html",
    "screenshot",
    "select_view",
    "write_html",
]

#: The vendored vis-network build (see templates/README.md).
VIS_FILE = "vis-network-9.1.2.min.js"


#: Entity types in legend order, with their colour (Okabe-Ito, colour-blind safe) and vis shape.
KIND_STYLES: dict[str, tuple[str, str, str]] = {
    "Model": ("Models", "#0072B2", "dot"),
    "Dataset": ("Datasets", "#E69F00", "square"),
    "Method": ("Methods", "#009E73", "diamond"),
    "Language": ("Languages", "#CC79A7", "triangle"),
    PAPER: ("Papers", "#B4B4B4", "dot"),
}
_OTHER_STYLE = ("#7F7F7F", "hexagon")

#: Relation edges between entities, in legend order: label, colour, dash pattern (or None).
RELATION_STYLES: dict[str, tuple[str, str, list[int] | None]] = {
    "basedOn": ("based on", "#D55E00", None),
    "trainedOn": ("trained on", "#56B4E9", [8, 4]),
    "evaluatedOn": ("evaluated on", "#E69F00", [2, 4]),
    "outperforms": ("outperforms", "#CC0033", None),
    "uses": ("uses", "#009E73", [8, 4]),
    "forLanguage": ("for language", "#CC79A7", [2, 4]),
}
#: Most relations listed in an entity's tooltip.
TOOLTIP_RELATIONS = 5

#: Views with more nodes than this skip the in-browser physics tidy-up and show the computed
#: layout as it is (vis-network's physics costs seconds per hundred steps at that size).
PHYSICS_MAX_NODES = 4000

#: Longest evidence sentence put in a tooltip (characters).
EVIDENCE_CHARS = 320
#: Longest abstract put on the page (characters); the tooltip shows less, the details panel this.
ABSTRACT_CHARS = 1500

#: Edge kinds in legend order: how each is drawn (view.js draws them so) and what it means.
EDGE_LEGEND: tuple[tuple[str, str], ...] = (
    ("link", "a paper names the entity (mentions or uses it): a thin line"),
    ("proposes", "a paper proposes the entity (its new model, method…): a thicker line"),
    ("variantOf", "a variant points to its family (Llama 2 → LLaMA): a dashed arrow"),
)
_ARXIV_ID = re.compile(r"(\d{4}\.\d{4,5}|[a-z][a-z.-]*(?:\.[A-Z]{2})?/\d{7})(v\d+)?")

_MARKER = re.compile(r"@@([A-Z_]+)@@")
_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_JSON_UNSAFE = re.compile("[<>&\u2028\u2029]")


# ---------------------------------------------------------------------------------------------
# Choosing what to show


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


def _kinds_in_order(kinds: Mapping[str, int] | set[str]) -> list[str]:
    known = [k for k in KIND_STYLES if k in kinds]
    return known + sorted(k for k in kinds if k not in KIND_STYLES)


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


# ---------------------------------------------------------------------------------------------
# The page


@functools.cache
def _template(name: str) -> str:
    return resources.files("graph.export").joinpath("templates", name).read_text(encoding="utf-8")


def _script_json(value: Any) -> str:
    """JSON that is safe between ``<script>`` tags: no ``<``, ``>`` or ``&`` survives."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return _JSON_UNSAFE.sub(lambda m: _JSON_ESCAPES[m.group(0)], text)


def _clean(text: Any) -> str:
    """A value as text that can be encoded (lone surrogates replaced)."""
    s = "" if text is None else str(text)
    return s.encode("utf-8", "replace").decode("utf-8")


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _relations(attrs: Mapping[str, Any]) -> list[dict[str, Any]]:
    """An entity's relations for its tooltip, from the projection's JSON ``relations``."""
    try:
        items = json.loads(attrs.get("relations") or "[]")
    except (TypeError, ValueError):
        return []
    out = []
    for item in items[:TOOLTIP_RELATIONS] if isinstance(items, list) else []:
        try:
            predicate, direction, other, papers, sentence, title = item
        except (TypeError, ValueError):
            continue
        out.append(
            {
                "predicate": _clean(predicate),
                "label": _clean(RELATION_STYLES.get(str(predicate), (predicate,))[0]),
                "out": direction == "out",
                "other": _clean(other),
                "papers": int(papers) if str(papers).isdigit() else 0,
                "sentence": _clean(_truncate(str(sentence), EVIDENCE_CHARS)),
                "title": _clean(_truncate(str(title), 120)),
            }
        )
    return out


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def paper_link(attrs: Mapping[str, Any]) -> str:
    """A paper's page: its arXiv abstract page when the id is known, else its ``url`` if that
    is http(s); empty when there is neither (never a ``javascript:`` or other scheme)."""
    arxiv = str(attrs.get("arxiv") or "").strip()
    if arxiv and _ARXIV_ID.fullmatch(arxiv):
        return f"https://arxiv.org/abs/{arxiv}"
    url = _clean(attrs.get("url") or "").strip()
    if re.match(r"https?://[^\s<>\"]+$", url, re.IGNORECASE):
        return url
    return ""


def page_data(view: View) -> dict[str, Any]:
    """The JSON the page embeds: nodes with positions and tooltip fields, edges, legend, note."""
    g = view.graph
    order = sorted(g, key=lambda n: (_kind(g, n) != PAPER, n))  # papers drawn first, below
    ids = {n: i for i, n in enumerate(order)}
    positions = layout(g)
    most = max((_papers_of(g, n) for n in order if _kind(g, n) != PAPER), default=1) or 1
    nodes = []
    for n in order:
        attrs = g.nodes[n]
        kind = _kind(g, n)
        x, y = positions[n]
        item: dict[str, Any] = {
            "id": ids[n],
            "kind": kind,
            "label": _clean(_label(g, n)),
            "iri": _clean(n),
            "x": x,
            "y": y,
        }
        if kind == PAPER:
            item.update(
                size=PAPER_SIZE,
                date=_clean(attrs.get("date") or ""),
                arxiv=_clean(attrs.get("arxiv") or ""),
                url=paper_link(attrs),
                abstract=_clean(_truncate(str(attrs.get("abstract") or ""), ABSTRACT_CHARS)),
            )
        else:
            count = _papers_of(g, n)
            size = ENTITY_MIN_SIZE + (ENTITY_MAX_SIZE - ENTITY_MIN_SIZE) * math.sqrt(
                max(count, 0) / most
            )
            item.update(
                size=round(size, 1),
                font=round(9 + 45 * (max(count, 0) / most) ** 0.7),
                papers=count,
                aliases=[_clean(a) for a in _aliases(attrs)],
                evidence=_clean(_truncate(str(attrs.get("evidence") or ""), EVIDENCE_CHARS)),
                codes=_clean(attrs.get("codes") or ""),
                group=str(attrs.get("group")).lower() in {"true", "1"},
                relations=_relations(attrs),
            )
        if n == view.focus:
            item["focus"] = True
        nodes.append(item)
    edges = sorted(
        [ids[u], ids[v], _clean(d.get("predicate") or "")] for u, v, d in g.edges(data=True)
    )
    shown_relations = {e[2] for e in edges}
    relations = [
        {"predicate": name, "label": label, "color": color, "dashes": dashes or False}
        for name, (label, color, dashes) in RELATION_STYLES.items()
        if name in shown_relations
    ]
    kinds = []
    for kind in _kinds_in_order(set(view.total) | set(view.shown)):
        label, color, shape = KIND_STYLES.get(kind, (kind, *_OTHER_STYLE))
        kinds.append(
            {
                "kind": _clean(kind),
                "label": _clean(label),
                "color": color,
                "shape": shape,
                "shown": view.shown.get(kind, 0),
                "total": view.total.get(kind, 0),
                "familyShown": view.family_shown.get(kind, 0),
                "familyTotal": view.family_total.get(kind, 0),
            }
        )
    present = Counter(e[2] if e[2] in ("proposes", "variantOf") else "link" for e in edges)
    edge_legend = [
        {"kind": kind, "label": text, "shown": present.get(kind, 0)}
        for kind, text in EDGE_LEGEND
        if present.get(kind, 0)
    ]
    n = len(nodes)
    # A short, bounded tidy-up by vis physics from the computed positions, then physics off.
    iterations = 0 if n > PHYSICS_MAX_NODES else (150 if n <= 1000 else 80)
    return {
        "note": _clean(view.note()),
        "focus": ids[view.focus] if view.focus is not None else None,
        "kinds": kinds,
        "edgeKinds": edge_legend,
        "relations": relations,
        "nodes": nodes,
        "edges": edges,
        "physics": {
            "iterations": iterations,
            "barnesHut": {
                "gravitationalConstant": -1500,
                "centralGravity": 0.05,
                "springLength": 70,
                "springConstant": 0.02,
                "damping": 0.4,
                "avoidOverlap": 0.2,
            },
        },
    }


def render_html(view: View, *, title: str = "paper-kg") -> str:
    """The whole page for ``view``: one self-contained HTML document (deterministic).

    Args:
        view: What to show (from :func:`select_view`).
        title: The page title (text; it is escaped).

    Returns:
        The page as a string; write it as UTF-8.
    """
    vis_js = _template(VIS_FILE)
    app_js = _template("view.js")
    parts = {
        "TITLE": html.escape(_clean(title), quote=True),
        "CSS": _template("view.css"),
        "DATA": _script_json(page_data(view)),
        "VIS": vis_js,
        "APP": app_js,
        "SCRIPT_HASHES": f"{_csp_hash(vis_js)} {_csp_hash(app_js)}",
    }
    # One pass: text put in is never searched for markers again.
    return _MARKER.sub(lambda m: parts[m.group(1)], _template("view.html"))


def write_html(
    graph: nx.DiGraph,
    target: Path,
    *,
    top: int | None = 150,
    focus: str | None = None,
    depth: int = 2,
    max_nodes: int = 1500,
    title: str = "paper-kg",
) -> View:
    """Choose a view of ``graph`` (see :func:`select_view`) and write it to ``target`` as HTML.

    The file is written beside ``target`` and renamed into place.

    Returns:
        The :class:`View` written (for a summary of what was left out).

    Raises:
        KGError: when ``focus`` names no entity.
        OutputError: when ``target`` cannot be written.
    """
    view = select_view(graph, top=top, focus=focus, depth=depth, max_nodes=max_nodes)
    page = render_html(view, title=title)
    try:
        with atomic_path(Path(target)) as tmp:
            tmp.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"{target}: cannot write ({exc})") from exc
    return view
