"""The interactive HTML view: one self-contained page, readable at any corpus size.

:func:`select_view` chooses what to show (the most-linked entities and their papers, or the
neighbourhood of one entity, always capped), :func:`render_html` turns that into a page,
:func:`write_html` writes it, and :func:`screenshot` photographs it in headless Chromium.

The page inlines vis-network 9.1.2 (vendored from pyvis; see ``templates/README.md``) and
everything else it needs: it makes no network request at all, and works from ``file://`` as well
as over HTTP (``kg serve``). The graph travels as JSON inside
``<script type="application/json" id="graph-data">`` with ``<``, ``>`` and ``&`` written as
``\\u003c``, ``\\u003e`` and ``\\u0026``, so no title can close the tag; the page's code puts every
value on the page as text (``textContent``), never as markup. A Content-Security-Policy that
allows only the page's own two scripts (by hash) and no network access backs this up.

Node positions are computed here (deterministically), so the browser only tidies them with a
short, bounded physics run and then switches physics off: the page always comes to rest, sets
``<body data-stable="true">`` and exposes ``window.kgView`` for tests.
"""

from __future__ import annotations

import base64
import concurrent.futures
import difflib
import functools
import hashlib
import html
import json
import math
import os
import re
import shutil
import unicodedata
import zlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from itertools import combinations
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from graph.errors import KGError, OutputError
from graph.export import atomic_path

#: The vendored vis-network build (see templates/README.md).
VIS_FILE = "vis-network-9.1.2.min.js"

PAPER = "Paper"

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

#: Sizes (vis radius, px) of nodes: papers are small dots; entities grow with their papers.
PAPER_SIZE = 5
ENTITY_MIN_SIZE = 10
ENTITY_MAX_SIZE = 34

#: Views with more nodes than this skip the in-browser physics tidy-up and show the computed
#: layout as it is (vis-network's physics costs seconds per hundred steps at that size).
PHYSICS_MAX_NODES = 4000

#: Longest evidence sentence put in a tooltip (characters).
EVIDENCE_CHARS = 320

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
    """

    graph: nx.DiGraph
    total: Mapping[str, int]
    shown: Mapping[str, int]
    focus: str | None = None
    depth: int | None = None
    top: int | None = None
    max_nodes: int = 1500
    capped: Mapping[str, int] = field(default_factory=dict)

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
    def focus_label(self) -> str | None:
        """Label of the focus entity."""
        if self.focus is None:
            return None
        return str(self.graph.nodes[self.focus].get("label") or self.focus)

    def note(self) -> str:
        """One line saying what the view shows and what it leaves out."""
        ent_total = sum(n for k, n in self.total.items() if k != PAPER)
        ent_shown = sum(n for k, n in self.shown.items() if k != PAPER)
        pap_total = self.total.get(PAPER, 0)
        pap_shown = self.shown.get(PAPER, 0)

        def part(shown: int, total: int, one: str, many: str) -> str:
            noun = one if total == 1 else many
            return f"all {total} {noun}" if shown == total else f"{shown} of {total} {noun}"

        counts = (
            f"{part(ent_shown, ent_total, 'entity', 'entities')} and "
            f"{part(pap_shown, pap_total, 'paper', 'papers')}"
        )
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


def _kind(graph: nx.DiGraph, node: str) -> str:
    return str(graph.nodes[node].get("kind") or "Entity")


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
    return View(
        graph=view_graph,
        total=dict(total),
        shown=dict(shown),
        focus=center,
        depth=depth if center is not None else None,
        top=top if center is None else None,
        max_nodes=max_nodes,
        capped=dict(capped),
    )


# ---------------------------------------------------------------------------------------------
# Layout

#: Pixels between neighbouring papers on a spiral, between packed components, per entity.
PAPER_STEP = 11.0
COMPONENT_GAP = 30.0
ENTITY_SPACING = 55.0


def _force_layout(
    n: int,
    edges: list[tuple[int, int, float]],
    *,
    iterations: int = 100,
    seed: int = 7,
) -> np.ndarray:
    """Fruchterman-Reingold positions (in [-1, 1]², centred) of ``n`` linked nodes.

    Deterministic: a seeded start, and only element-wise NumPy arithmetic (no BLAS, whose
    summation order may depend on threads). Repulsion is exact, computed in blocks of rows so
    memory stays small for any ``n``.
    """
    if n <= 1:
        return np.zeros((n, 2))
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, n)
    y = rng.uniform(-1.0, 1.0, n)
    k = 2.0 / math.sqrt(n)
    src = np.array([e[0] for e in edges], dtype=np.int64)
    dst = np.array([e[1] for e in edges], dtype=np.int64)
    weight = np.array([e[2] for e in edges], dtype=float)
    temperature = 0.25
    cool = temperature / (iterations + 1)
    block = max(1, min(n, 2_000_000 // n))
    for _ in range(iterations):
        dx_all = np.empty(n)
        dy_all = np.empty(n)
        for start in range(0, n, block):
            stop = min(n, start + block)
            dx = x[start:stop, None] - x[None, :]
            dy = y[start:stop, None] - y[None, :]
            force = (k * k) / np.maximum(dx * dx + dy * dy, 1e-6)
            dx_all[start:stop] = (dx * force).sum(axis=1)
            dy_all[start:stop] = (dy * force).sum(axis=1)
        if len(src):
            ex = x[src] - x[dst]
            ey = y[src] - y[dst]
            pull = np.sqrt(ex * ex + ey * ey) * weight / k
            np.add.at(dx_all, src, -ex * pull)
            np.add.at(dx_all, dst, ex * pull)
            np.add.at(dy_all, src, -ey * pull)
            np.add.at(dy_all, dst, ey * pull)
        radius = np.sqrt(x * x + y * y)
        dx_all -= x * radius * (0.1 / k)  # gravity keeps loosely linked nodes near
        dy_all -= y * radius * (0.1 / k)
        length = np.maximum(np.sqrt(dx_all * dx_all + dy_all * dy_all), 1e-9)
        step = np.minimum(length, temperature) / length
        x += dx_all * step
        y += dy_all * step
        temperature -= cool
    pos = np.column_stack([x - x.mean(), y - y.mean()])
    extent = np.abs(pos).max()
    return pos / extent if extent > 0 else pos


def _stable_hash(text: str) -> int:
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


def _components(n: int, pairs: list[tuple[int, int]]) -> list[list[int]]:
    """Connected components of nodes 0..n-1, largest first, each sorted."""
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(root(i), []).append(i)
    return sorted(groups.values(), key=lambda c: (-len(c), c[0]))


def _sunflower(
    count: int, inner: float, turn: float, step: float = PAPER_STEP
) -> list[tuple[float, float]]:
    """``count`` offsets on a sunflower spiral (even spacing ``step``) outside radius ``inner``."""
    golden = math.pi * (3.0 - math.sqrt(5.0))
    out = []
    for j in range(count):
        radius = inner + step * math.sqrt(j + 0.5)
        angle = turn + j * golden
        out.append((radius * math.cos(angle), radius * math.sin(angle)))
    return out


#: Largest number of entities of one component placed by the force layout (O(n²) per step);
#: the others are placed around their most strongly linked neighbour.
FORCE_LIMIT = 600
ENTITY_STEP = 26.0


def _entity_positions(
    members: list[int], adjacency: dict[int, dict[int, float]], biggest: int
) -> dict[int, tuple[float, float]]:
    """Pixel positions of one component's entities (``biggest``: its largest paper group)."""
    if len(members) == 1:
        return {members[0]: (0.0, 0.0)}
    strength = {i: sum(adjacency[i].values()) for i in members}
    core = sorted(sorted(members, key=lambda i: (-strength[i], i))[:FORCE_LIMIT])
    local = {e: j for j, e in enumerate(core)}
    sub_edges = [
        (local[a], local[b], w)
        for a in core
        for b, w in sorted(adjacency[a].items())
        if b in local and a < b
    ]
    unit = _force_layout(len(core), sub_edges)
    scale = max(ENTITY_SPACING * math.sqrt(len(core)), 2.5 * PAPER_STEP * math.sqrt(biggest))
    at = {i: (float(unit[local[i], 0] * scale), float(unit[local[i], 1] * scale)) for i in core}
    pending = sorted(set(members) - set(core))
    while pending:  # breadth-first out of the core, each round around already placed nodes
        around: dict[int, list[int]] = {}
        for i in pending:
            placed = [(w, -b) for b, w in adjacency[i].items() if b in at]
            if placed:
                around.setdefault(-max(placed)[1], []).append(i)
        if not around:  # cannot happen inside a connected component; stay safe anyway
            around = {core[0]: pending}
        for anchor, ring in sorted(around.items()):
            ax, ay = at[anchor]
            turn = (anchor * 137) % 360 * math.pi / 180
            for i, (ox, oy) in zip(
                ring, _sunflower(len(ring), ENTITY_MAX_SIZE, turn, ENTITY_STEP), strict=True
            ):
                at[i] = (ax + ox, ay + oy)
        done = {i for ring in around.values() for i in ring}
        pending = [i for i in pending if i not in done]
    return at


def layout(view_graph: nx.DiGraph) -> dict[str, tuple[float, float]]:
    """Deterministic pixel positions for every node of a view.

    Entities linked by shared papers (or ``variantOf``) form components; each component is laid
    out by a force layout, each paper sits at the centre of its entities with the papers of the
    same entities spread on a sunflower spiral, and the components (largest first, then papers
    with no shown entity) are packed in rows into a roughly 3:2 rectangle.
    """
    g = view_graph
    entities = sorted(n for n in g if _kind(g, n) != PAPER)
    papers = sorted(n for n in g if _kind(g, n) == PAPER)
    index = {e: i for i, e in enumerate(entities)}
    weights: Counter[tuple[int, int]] = Counter()
    groups: dict[tuple[int, ...], list[str]] = {}
    loose: list[str] = []
    for p in papers:
        linked = tuple(sorted({index[e] for e in nx.all_neighbors(g, p) if e in index}))
        if not linked:
            loose.append(p)
            continue
        groups.setdefault(linked, []).append(p)
        for a, b in combinations(linked, 2):
            weights[(a, b)] += 1
    for u, v in g.edges:
        if u in index and v in index and u != v:
            a, b = sorted((index[u], index[v]))
            weights[(a, b)] += 3

    component_of: dict[int, int] = {}
    components = _components(len(entities), sorted(weights))
    for c, members in enumerate(components):
        for i in members:
            component_of[i] = c
    groups_of: dict[int, list[tuple[int, ...]]] = {}
    for linked in sorted(groups):
        groups_of.setdefault(component_of[linked[0]], []).append(linked)

    adjacency: dict[int, dict[int, float]] = {i: {} for i in range(len(entities))}
    for (a, b), w in weights.items():
        adjacency[a][b] = adjacency[b][a] = 1.0 + math.log(w)

    blocks: list[dict[str, tuple[float, float]]] = []
    for c, members in enumerate(components):
        biggest = max((len(groups[lk]) for lk in groups_of.get(c, [])), default=0)
        at = _entity_positions(members, adjacency, biggest)
        block = {entities[i]: at[i] for i in members}
        for linked in groups_of.get(c, []):
            cx = sum(at[i][0] for i in linked) / len(linked)
            cy = sum(at[i][1] for i in linked) / len(linked)
            inner = ENTITY_MAX_SIZE + 4.0 if len(linked) == 1 else 0.0
            turn = (_stable_hash("/".join(entities[i] for i in linked)) % 360) * math.pi / 180
            for p, (ox, oy) in zip(
                groups[linked], _sunflower(len(groups[linked]), inner, turn), strict=True
            ):
                block[p] = (cx + ox, cy + oy)
        blocks.append(block)
    if loose:
        per_row = max(1, math.ceil(math.sqrt(len(loose))))
        gap = 2.5 * PAPER_STEP
        blocks.append({p: ((j % per_row) * gap, (j // per_row) * gap) for j, p in enumerate(loose)})
    return _pack(blocks)


def _pack(blocks: list[dict[str, tuple[float, float]]]) -> dict[str, tuple[float, float]]:
    """Place blocks of positions in rows (in the given order), centred on the origin."""
    boxes = []
    for block in blocks:
        xs = [p[0] for p in block.values()]
        ys = [p[1] for p in block.values()]
        pad = 16.0
        boxes.append((min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad))
    area = sum((b[2] - b[0] + COMPONENT_GAP) * (b[3] - b[1] + COMPONENT_GAP) for b in boxes)
    widest = max((b[2] - b[0] for b in boxes), default=0.0)
    row_width = max(widest, math.sqrt(area * 1.5))
    out: dict[str, tuple[float, float]] = {}
    cursor_x = cursor_y = row_height = 0.0
    for block, (x0, y0, x1, y1) in zip(blocks, boxes, strict=True):
        w, h = x1 - x0, y1 - y0
        if cursor_x > 0 and cursor_x + w > row_width:
            cursor_x, cursor_y, row_height = 0.0, cursor_y + row_height + COMPONENT_GAP, 0.0
        for node, (x, y) in block.items():
            out[node] = (cursor_x + x - x0, cursor_y + y - y0)
        cursor_x += w + COMPONENT_GAP
        row_height = max(row_height, h)
    if out:
        cx = (min(p[0] for p in out.values()) + max(p[0] for p in out.values())) / 2
        cy = (min(p[1] for p in out.values()) + max(p[1] for p in out.values())) / 2
        out = {n: (round(x - cx, 1), round(y - cy, 1)) for n, (x, y) in out.items()}
    return out


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
            }
        )
    n = len(nodes)
    # A short, bounded tidy-up by vis physics from the computed positions, then physics off.
    iterations = 0 if n > PHYSICS_MAX_NODES else (150 if n <= 1000 else 80)
    return {
        "note": _clean(view.note()),
        "kinds": kinds,
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


# ---------------------------------------------------------------------------------------------
# Headless Chromium

#: Flags for Chromium in tests and screenshots: quiet, offline, no first-run work.
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str:
    """The Chromium to drive: ``$KG_CHROMIUM``, else /usr/bin/chromium, else one on PATH.

    Raises:
        KGError: when there is none (with an install hint).
    """
    candidates = [os.environ.get("KG_CHROMIUM"), "/usr/bin/chromium"]
    candidates += [shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")]
    for path in candidates:
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    raise KGError(
        "no Chromium found for the screenshot; install it (Debian/Ubuntu: "
        "`apt-get install chromium`) or set KG_CHROMIUM to its path"
    )


def screenshot(
    html_path: Path,
    png_path: Path,
    *,
    width: int = 1400,
    height: int = 900,
    timeout: float = 120.0,
) -> Path:
    """Open ``html_path`` in headless Chromium, wait until the graph is still, save a PNG.

    Args:
        html_path: A page written by :func:`write_html`.
        png_path: Where to write the PNG (directories are created).
        width: Viewport width in CSS pixels.
        height: Viewport height in CSS pixels.
        timeout: Seconds to wait for the page to come to rest.

    Returns:
        ``png_path``.

    Raises:
        KGError: when Playwright or Chromium is missing, or the page does not come to rest.
    """
    html_path = Path(html_path).resolve()
    if not html_path.is_file():
        raise KGError(f"{html_path}: no such HTML file; write one with kg view first")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import TimeoutError as PlaywrightTimeout
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise KGError(
            "screenshots need Playwright for Python: pip install playwright "
            "(and a Chromium: apt-get install chromium; no `playwright install` needed)"
        ) from exc
    png_path = Path(png_path)
    executable = chromium_path()

    def shoot() -> None:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=executable,
                headless=True,
                chromium_sandbox=False,
                args=CHROMIUM_ARGS,
            )
            try:
                page = browser.new_page(viewport={"width": width, "height": height})
                page.route(re.compile(r"^(?!file:|data:|about:)"), lambda route: route.abort())
                page.goto(html_path.as_uri())
                try:
                    page.wait_for_selector('body[data-stable="true"]', timeout=timeout * 1000)
                except PlaywrightTimeout as exc:
                    raise KGError(
                        f"{html_path}: the graph did not come to rest within {timeout:g} s"
                    ) from exc
                png_path.parent.mkdir(parents=True, exist_ok=True)
                with atomic_path(png_path) as tmp:
                    page.screenshot(path=str(tmp), type="png")
            finally:
                browser.close()

    # Playwright's sync API refuses to run where an asyncio loop is running (Jupyter, or another
    # sync_playwright): a thread of its own always works.
    try:
        with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="kg-screenshot") as pool:
            pool.submit(shoot).result()
    except PlaywrightError as exc:
        raise KGError(f"{html_path}: screenshot failed ({str(exc).splitlines()[0]})") from exc
    except OSError as exc:
        raise OutputError(f"{png_path}: cannot write ({exc})") from exc
    return png_path
