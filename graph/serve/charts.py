"""Charts for the pages, drawn by matplotlib as SVG and inlined: no script, no request.

matplotlib writes styles as ``style="..."`` attributes and a ``<style>`` element, which a
Content-Security-Policy without ``'unsafe-inline'`` blocks; :func:`_inline` rewrites them as
SVG presentation attributes (``fill="..."``), which no policy restricts, drops the metadata
(whose date would make the static site differ from run to run), and prefixes the element ids
so two charts on one page cannot collide. Text stays text (``svg.fonttype: none``), is never
read as TeX (``text.parse_math: False``: a label such as ``$λ$-ECLIPSE`` is drawn as written)
and is escaped by matplotlib's XML writer.
"""

from __future__ import annotations

import functools
import io
import re
import threading
import xml.etree.ElementTree as ET

import matplotlib

matplotlib.use("Agg", force=False)

from matplotlib.figure import Figure

#: Okabe-Ito colours (colour-blind safe), as in the graph view.
COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442"]
TYPE_COLOURS = {"Model": "#0072B2", "Dataset": "#E69F00", "Method": "#009E73",
                "Language": "#CC79A7"}  # fmt: skip
_SVG = "http://www.w3.org/2000/svg"
_XLINK = "http://www.w3.org/1999/xlink"
_RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "paper-kg",
    "text.parse_math": False,
    "font.family": ["DejaVu Sans", "sans-serif"],
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#888888",
    "axes.labelcolor": "#333333",
    "xtick.color": "#333333",
    "ytick.color": "#333333",
}
# matplotlib's rcParams are global: one chart at a time (each takes a few milliseconds).
_LOCK = threading.Lock()
ET.register_namespace("", _SVG)
ET.register_namespace("xlink", _XLINK)


def _declarations(style: str) -> list[tuple[str, str]]:
    out = []
    for part in style.split(";"):
        name, _, value = part.partition(":")
        if name.strip() and value.strip():
            out.append((name.strip(), value.strip()))
    return out


def _font(value: str) -> list[tuple[str, str]]:
    """Expand the CSS ``font`` shorthand matplotlib writes (``400 9px 'DejaVu Sans'``)."""
    found = re.match(r"\s*(?:(normal|italic|oblique)\s+)?(?:(\d{3}|bold|normal)\s+)?"
                     r"([\d.]+px)\s+(.*)$", value)  # fmt: skip
    if not found:
        return []
    style, weight, size, family = found.groups()
    out = [("font-size", size), ("font-family", family.replace("'", ""))]
    if weight:
        out.append(("font-weight", weight))
    if style:
        out.append(("font-style", style))
    return out


def _inline(svg: bytes, prefix: str, title: str) -> str:
    """matplotlib's SVG as an inline ``<svg>`` element fit for a strict CSP (see above)."""
    root = ET.fromstring(svg)
    for parent in root.iter():
        for child in list(parent):
            if child.tag in (f"{{{_SVG}}}style", f"{{{_SVG}}}metadata"):
                parent.remove(child)
    for element in root.iter():
        style = element.attrib.pop("style", None)
        if style:
            for name, value in _declarations(style):
                for attr, attr_value in _font(value) if name == "font" else [(name, value)]:
                    element.set(attr, attr_value)
        if "id" in element.attrib:
            element.set("id", f"{prefix}-{element.get('id')}")
        for attr in ("clip-path", "mask", "filter"):
            if attr in element.attrib:
                element.set(attr, element.get(attr).replace("url(#", f"url(#{prefix}-"))
        for attr in (f"{{{_XLINK}}}href", "href"):
            if element.get(attr, "").startswith("#"):
                element.set(attr, f"#{prefix}-{element.get(attr)[1:]}")
    root.set("stroke-linejoin", "round")
    root.set("stroke-linecap", "butt")
    for attr in ("width", "height"):
        root.attrib.pop(attr, None)
    root.set("class", "kg-chart")
    root.set("role", "img")
    root.set("aria-label", title)
    label = ET.Element(f"{{{_SVG}}}title")
    label.text = title
    root.insert(0, label)
    return ET.tostring(root, encoding="unicode")


def _render(figure: Figure, prefix: str, title: str) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return _inline(buffer.getvalue(), prefix, title)


def bar_chart(
    labels: list[str], values: list[int], *, title: str, colour: str = COLOURS[0], prefix: str
) -> str:
    """Bars of ``values`` over ``labels`` (papers per month), as inline SVG."""
    return _inline(_bars(tuple(labels), tuple(values), colour), prefix, title)


@functools.lru_cache(maxsize=1024)
def _bars(labels: tuple[str, ...], values: tuple[int, ...], colour: str) -> bytes:
    # Cached: most entities have one of a few month profiles ([1, 0], [1, 1] ...), and a
    # static site draws one chart per entity.
    with _LOCK, matplotlib.rc_context(_RC):
        width = max(3.2, 0.55 * len(labels) + 1.6)
        figure = Figure(figsize=(width, 2.2))
        figure.subplots_adjust(left=0.9 / width, right=1 - 0.2 / width, bottom=0.2, top=0.93)
        axes = figure.add_subplot()
        positions = list(range(len(labels)))
        axes.bar(positions, values, color=colour, width=0.7)
        axes.set_xticks(positions, labels, rotation=45 if len(labels) > 8 else 0, ha="center")
        axes.set_ylabel("papers")
        axes.yaxis.get_major_locator().set_params(integer=True)
        for x, y in zip(positions, values, strict=True):
            if y:
                axes.annotate(str(y), (x, y), ha="center", va="bottom", fontsize=8,
                              xytext=(0, 1), textcoords="offset points")  # fmt: skip
        axes.margins(y=0.15)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        return buffer.getvalue()


def line_chart(
    labels: list[str], series: list[tuple[str, list[int]]], *, title: str, prefix: str
) -> str:
    """One line per series over ``labels`` (papers per month for top entities), inline SVG."""
    with _LOCK, matplotlib.rc_context(_RC):
        figure = Figure(figsize=(7.2, 2.8), layout="constrained")
        axes = figure.add_subplot()
        positions = list(range(len(labels)))
        for i, (name, values) in enumerate(series):
            axes.plot(positions, values, marker="o", markersize=4, linewidth=1.8,
                      color=COLOURS[i % len(COLOURS)], label=name)  # fmt: skip
        axes.set_xticks(positions, labels, rotation=45 if len(labels) > 10 else 0)
        axes.set_ylabel("papers")
        axes.yaxis.get_major_locator().set_params(integer=True)
        axes.set_ylim(bottom=0)
        if len(positions) == 1:
            axes.set_xlim(-0.5, 0.5)
        if series:
            axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        return _render(figure, prefix, title)
