"""The view's layout: deterministic positions for every node, computed before the page opens.

Entities linked by shared papers (or ``variantOf``) form components; each is laid out by a
Fruchterman-Reingold force layout in NumPy (element-wise only, so the result does not depend on
BLAS threads), papers sit at the centre of their entities on sunflower spirals, and components
are packed in rows. The browser then only tidies the result (see :mod:`graph.export.html`).
"""

from __future__ import annotations

import math
import zlib
from collections import Counter
from itertools import combinations

import networkx as nx
import numpy as np

PAPER = "Paper"
#: Sizes (vis radius, px) of nodes: papers are small dots; entities grow with their papers
#: (the page draws them so, the layout spaces them by these).
PAPER_SIZE = 5
ENTITY_MIN_SIZE = 10
ENTITY_MAX_SIZE = 34


def node_kind(graph: nx.DiGraph, node: str) -> str:
    """A node's kind: Paper, Model, Dataset, Method, Language (or Entity when unknown)."""
    return str(graph.nodes[node].get("kind") or "Entity")


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
    entities = sorted(n for n in g if node_kind(g, n) != PAPER)
    papers = sorted(n for n in g if node_kind(g, n) == PAPER)
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
