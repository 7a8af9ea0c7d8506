"""The legend of the HTML view: each kind of node and relation edge, its colour (Okabe-Ito,
colour-blind safe), shape or dash pattern, in legend order.
"""

from __future__ import annotations

from collections.abc import Mapping

from graph.export.layout import PAPER

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

#: Edge kinds in legend order: how each is drawn (view.js draws them so) and what it means.
EDGE_LEGEND: tuple[tuple[str, str], ...] = (
    ("link", "a paper names the entity (mentions or uses it): a thin line"),
    ("proposes", "a paper proposes the entity (its new model, method…): a thicker line"),
    ("variantOf", "a variant points to its family (Llama 2 → LLaMA): a dashed arrow"),
)


def _kinds_in_order(kinds: Mapping[str, int] | set[str]) -> list[str]:
    known = [k for k in KIND_STYLES if k in kinds]
    return known + sorted(k for k in kinds if k not in KIND_STYLES)
