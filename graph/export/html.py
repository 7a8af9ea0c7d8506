"""The interactive HTML view: one self-contained page, readable at any corpus size.

:func:`select_view` chooses what to show (the most-linked entities and their papers, or the
neighbourhood of one entity, always capped), :func:`render_html` turns that into a page,
:func:`write_html` writes it. The choosing is in :mod:`graph.export.selection`, the legend (each
kind's colour and shape) in :mod:`graph.export.styles`, positions in :mod:`graph.export.layout`,
photographs in :mod:`graph.export.screenshot` (their public names are re-exported here).

The page inlines vis-network 9.1.2 (vendored from pyvis; see ``templates/README.md``) and
everything else it needs: it makes no network request at all, and works from ``file://`` as well
as over HTTP (``kg serve``). The graph travels as JSON inside
``<script type="application/json" id="graph-data">`` with ``<``, ``>`` and ``&`` written as
``\u003c``, ``\u003e`` and ``\u0026``, so no title can close the tag; the page's code puts every
value on the page as text (``textContent``), never as markup. A Content-Security-Policy that
allows only the page's own two scripts (by hash) and no network access backs this up.

Node positions are computed beforehand (deterministically), so the browser only tidies them with a
short, bounded physics run and then switches physics off: the page always comes to rest, sets
``<body data-stable="true">`` and exposes ``window.kgView`` for tests.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
import math
import re
from collections import Counter
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from graph.errors import OutputError
from graph.export import atomic_path
from graph.export.layout import ENTITY_MAX_SIZE, ENTITY_MIN_SIZE, PAPER, PAPER_SIZE, layout
from graph.export.layout import node_kind as _kind
from graph.export.screenshot import CHROMIUM_ARGS, chromium_path, screenshot
from graph.export.selection import View, _aliases, _label, _papers_of, select_view
from graph.export.selection import find_entity as find_entity
from graph.export.styles import (
    _OTHER_STYLE,
    EDGE_LEGEND,
    KIND_STYLES,
    RELATION_STYLES,
    _kinds_in_order,
)

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
#: Most relations listed in an entity's tooltip.
TOOLTIP_RELATIONS = 5

#: Views with more nodes than this skip the in-browser physics tidy-up and show the computed
#: layout as it is (vis-network's physics costs seconds per hundred steps at that size).
PHYSICS_MAX_NODES = 4000

#: Longest evidence sentence put in a tooltip (characters).
EVIDENCE_CHARS = 320
#: Longest abstract put on the page (characters); the tooltip shows less, the details panel this.
ABSTRACT_CHARS = 1500
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
