"""Pages: the views' data rendered by the Jinja2 templates in ``templates/``.

Autoescaping is on for every template, and the views hand over text (titles, abstracts cut
into marked and plain segments), never markup, so a title such as ``<img src=x onerror=...>``
reaches a page as text. The only markup that is not escaped is what this module makes itself:
the charts (matplotlib's SVG, see :mod:`graph.serve.charts`) and JSON for ``<script
type="application/json">`` elements, with ``<``, ``>`` and ``&`` written as ``\\u003c`` ...

Every link between pages is relative (``../paper/x.html`` from ``id/model/y.html``), so the
very same pages work under ``kg serve`` and as a static site opened from ``file://``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2

from graph import __version__
from graph.ontology import PREFIXES
from graph.serve import charts
from graph.serve.views import ENTITY_TYPES, ID

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"
#: The twins of a resource page: extension, media type, name shown.
RDF_TWINS = [
    ("json", "application/json", "JSON"),
    ("ttl", "text/turtle", "Turtle"),
    ("nt", "application/n-triples", "N-Triples"),
    ("jsonld", "application/ld+json", "JSON-LD"),
]
#: The Content-Security-Policy of a static site page (a meta tag; frame-ancestors cannot be).
SITE_CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'self'"
)
_SAFE_SEGMENT = re.compile(r"[^/\\?#\x00-\x1f\x7f]{1,200}")


def script_json(data: object) -> str:
    """JSON safe inside a ``<script type="application/json">`` element."""
    return (
        json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def iri_path(iri: str) -> str | None:
    """The site path of an IRI under the graph's namespace (``id/model/llama-2``), else None.

    Only paths whose every segment is a plain file name qualify (no ``..``, ``?``, ``#`` or
    control characters), so a page can be written for each without leaving the site.
    """
    if not iri.startswith(ID):
        return None
    rest = iri[len(ID) :]
    parts = rest.split("/")
    if len(parts) < 2 or not all(
        _SAFE_SEGMENT.fullmatch(p) and p not in (".", "..") for p in parts
    ):
        return None
    return "id/" + rest


def root_of(page_path: str) -> str:
    """The relative prefix from a page (``id/model/x.html``) back to the site root (``../../``)."""
    return "../" * page_path.count("/")


class Renderer:
    """Renders pages for the server (``site=False``) or the static site (``site=True``).

    Args:
        site: Static-site pages: a CSP meta tag, links to ``.html`` files only, no query page.
        has_view: Whether the graph view exists (linked from every page).
    """

    def __init__(self, *, site: bool = False, has_view: bool = False):
        self.site = site
        self.has_view = has_view
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(TEMPLATES)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=False,
            lstrip_blocks=False,
        )

    def render(self, template: str, data: dict[str, Any], page_path: str, **extra: Any) -> str:
        """Render ``template`` with a view's ``data`` for the page at ``page_path``.

        Args:
            template: A template name (``entity.html``).
            data: The view's data (see :mod:`graph.serve.views`).
            page_path: The page's path from the site root (``id/model/llama-2.html``).
            extra: More template variables.
        """
        root = root_of(page_path)

        def href(iri: str) -> str:
            path = iri_path(iri)
            return root + quote(path) + ".html" if path else iri

        context: dict[str, Any] = {
            "root": root,
            "href": href,
            "site": self.site,
            "site_csp": SITE_CSP,
            "has_view": self.has_view,
            "view_href": root + ("view.html" if self.site else "view"),
            "entity_types": ENTITY_TYPES,
            "version": __version__,
            "page_kind": data.get("kind", template.split(".")[0]),
            "alternates": [],
            "q": None,
            **data,
            **extra,
        }
        return self.env.get_template(template).render(context)

    # -------------------------------------------------------------- one function per page

    def _twins(self, page_path: str) -> list[dict[str, str]]:
        stem = page_path.rsplit("/", 1)[-1].removesuffix(".html")
        twins = RDF_TWINS if page_path.startswith("id/") else RDF_TWINS[:1]
        return [{"href": f"{stem}.{ext}", "type": t, "name": name} for ext, t, name in twins]

    def home(self, data: dict[str, Any]) -> str:
        """The home page (``index.html``)."""
        return self.render(
            "home.html",
            data,
            "index.html",
            trend_chart=_trend_chart(data["trends"], "trends"),
            trend_rows=_trend_rows(data["trends"]),
            alternates=self._twins("index.html"),
        )

    def type_list(self, data: dict[str, Any]) -> str:
        """A type's list page (``id/model/index.html``)."""
        path = f"{ENTITY_TYPES[data['type']][0].lower()}.html"
        return self.render(
            "type.html",
            data,
            path,
            trend_chart=_trend_chart(data["trends"], "trends"),
            trend_rows=_trend_rows(data["trends"]),
            alternates=self._twins(path),
        )

    def resource(self, data: dict[str, Any]) -> str:
        """An entity, paper or other resource page, by the data's ``kind``."""
        path = (iri_path(data["iri"]) or "id/resource") + ".html"
        extra: dict[str, Any] = {"alternates": self._twins(path)}
        if data["kind"] == "entity":
            months = data["months"]
            colour = charts.TYPE_COLOURS.get(data["type"] or "", charts.COLOURS[0])
            extra["month_chart"] = (
                charts.bar_chart(
                    [m["label"] for m in months],
                    [m["papers"] for m in months],
                    title=f"Papers naming {data['label']} per listing month",
                    colour=colour,
                    prefix="months",
                )
                if months
                else ""
            )
        return self.render(f"{data['kind']}.html", data, path, **extra)

    def search(self, data: dict[str, Any], index: list[dict[str, Any]] | None = None) -> str:
        """The search page; for the static site, with the names index it filters in the page."""
        extra: dict[str, Any] = {"q": data.get("q")}
        if index is not None:
            for entry in index:
                path = iri_path(entry["iri"])
                entry["href"] = quote(path) + ".html" if path else entry["iri"]
            extra["index_json"] = script_json(index)
        return self.render("search.html", data, "search.html", **extra)

    def error(self, status: int, heading: str, message: str, page_path: str = "error") -> str:
        """An error page (404, 406, 503 ...)."""
        return self.render(
            "error.html",
            {"kind": "error"},
            page_path,
            status=status,
            heading=heading,
            message=message,
        )

    def query(self, examples: list[dict[str, str]], *, timeout: float, max_results: int) -> str:
        """The query page."""
        return self.render(
            "query.html",
            {"kind": "query"},
            "query",
            examples=examples,
            examples_json=script_json(examples),
            prefixes=PREFIXES,
            prefixes_json=script_json(PREFIXES),
            default_query=DEFAULT_QUERY,
            timeout=timeout,
            max_results=max_results,
        )


DEFAULT_QUERY = """SELECT ?model ?label (COUNT(DISTINCT ?paper) AS ?papers)
WHERE {
  ?paper kg:mentionsModel|kg:proposes ?model .
  ?model a kg:Model ; rdfs:label ?label .
}
GROUP BY ?model ?label
ORDER BY DESC(?papers)
LIMIT 20"""


def _trend_chart(trends: dict[str, Any], prefix: str) -> str:
    if not trends["series"]:
        return ""
    plural = ENTITY_TYPES[trends["type"]][0].lower()
    return charts.line_chart(
        trends["month_labels"],
        [(s["label"], s["counts"]) for s in trends["series"]],
        title=f"Papers per listing month for the {len(trends['series'])} most-named {plural}",
        prefix=prefix,
    )


def _trend_rows(trends: dict[str, Any]) -> list[tuple[str, list[int]]]:
    return [(s["label"], s["counts"]) for s in trends["series"]]
