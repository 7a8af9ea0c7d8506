"""``kg site``: the pages of ``kg serve`` written as a static site.

The same views and templates as the server, run in-process on the store: ``index.html``, a
list page per type (``models.html`` ...), a page per entity and per paper under ``id/`` (with
its ``.json``, ``.ttl``, ``.nt`` and ``.jsonld`` twins), ``search.html`` (which searches an
index of names inside the page, since a static host has no server to ask), the graph view as
``view.html`` when the build has one, and ``static/``. Every link is relative, so the site
opens from ``file://`` and works on any static host.

The site is written in a new directory beside ``--out`` and renamed into place. An existing
``--out`` is replaced only if a previous ``kg site`` wrote it (it holds the marker file
``.kg-site``); any other non-empty directory is refused, never deleted.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from graph.errors import OutputError
from graph.ontology import PREFIXES
from graph.serve import pagedata, views
from graph.serve.batch import Batch
from graph.serve.pages import RDF_TWINS, STATIC, Renderer, iri_path
from graph.serve.results import Job, Reply, execute

MARKER = ".kg-site"
_MEDIA = {ext: media for ext, media, _ in RDF_TWINS if ext != "json"}
#: The per-page queries asked once for every page (see :class:`graph.serve.batch.Batch`):
#: asked page by page they took 27 of the sample site's 30 s; each other query of a page
#: (summary, resource, document) takes about 0.2 ms.
BATCHED = (
    "entity-comentions",
    "entity-evidence",
    "entity-family",
    "entity-months",
    "entity-papers",
    "entity-relations",
    "paper-mentions",
    "paper-relations",
)


@dataclass
class SiteSummary:
    """What :func:`write_site` wrote."""

    out: Path
    pages: int
    files: int


def _write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _check_target(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is not a directory; choose another --out")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise OutputError(
            f"{out}: a directory that kg site did not write (no {MARKER} marker); choose an "
            "empty or new --out, nothing there is deleted"
        )


#: Called as ``progress("pages", done, total)`` while the pages of papers and entities are written.
Progress = Callable[[str, int, "int | None"], None]


def write_site(
    graph: str | Path | None, out: str | Path, progress: Progress | None = None
) -> SiteSummary:
    """Write the static site of a built graph into ``out``.

    Args:
        graph: A build directory (default ``exports/``), its ``store/``, or an RDF file.
        out: The site directory (created, or replaced if a previous ``kg site`` wrote it).
        progress: Told how many of the paper and entity pages are written (about 10 s
            for the sample corpus).

    Returns:
        How many pages and files were written.

    Raises:
        GraphNotFoundError: when there is no built graph.
        OutputError: when ``out`` holds other files, or cannot be written.
    """
    from graph.store import open_graph, resolve_graph_path

    out = Path(out)
    _check_target(out)
    graph_path = resolve_graph_path(graph)
    store = open_graph(graph_path)

    def run(job: Job) -> Reply:
        return execute(store, job, PREFIXES)

    view = graph_path.parent / "graph.html"
    renderer = Renderer(site=True, has_view=view.is_file())
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.kg-site-", dir=out.parent))
    try:
        pages, files = _write_pages(run, renderer, tmp, view if view.is_file() else None, progress)
        (tmp / MARKER).write_text("written by kg site; kg site may replace this directory\n")
        _swap(tmp, out)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(f"{out}: cannot write the site ({exc})") from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return SiteSummary(out, pages, files + 1)


def _swap(new: Path, out: Path) -> None:
    old = None
    if out.exists():
        _check_target(out)  # still ours (or empty)
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.kg-site-old-", dir=out.parent))
        old.rmdir()
        out.rename(old)
    new.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _write_pages(
    run: views.Run,
    renderer: Renderer,
    root: Path,
    view: Path | None,
    progress: Progress | None = None,
) -> tuple[int, int]:
    pages = files = 0

    def page(path: str, html: str, data: object) -> None:
        nonlocal pages, files
        _write(root / path, html)
        _write(root / (path.removesuffix(".html") + ".json"), _json(data))
        pages += 1
        files += 2

    home = pagedata.home_page(run)
    page("index.html", renderer.home(home), home)
    for entity_type, (plural, _) in views.ENTITY_TYPES.items():
        data = pagedata.type_page(run, entity_type)
        page(f"{plural.lower()}.html", renderer.type_list(data), data)
    _write(root / "search.html", renderer.search({"q": ""}, views.names_index(run)))
    pages += 1
    files += 1
    resources = list(views.page_resources(run))
    batch = Batch(run, BATCHED)
    for done, (iri, kind) in enumerate(resources):
        if progress is not None:
            progress("pages", done, len(resources))
        path = iri_path(iri)
        if path is None:
            continue  # an IRI that cannot be a file name here
        data = (
            pagedata.paper_page(run, iri, batch)
            if kind == "Paper"
            else pagedata.entity_page(run, iri, views.resource_types(run, iri) or [kind], batch)
        )
        page(path + ".html", renderer.resource(data), data)
        for ext, media in _MEDIA.items():
            reply = views.document(run, iri, media)
            if reply.status == 200:
                _write(root / f"{path}.{ext}", reply.body)
                files += 1
    for asset in sorted(STATIC.iterdir()):
        if asset.is_file():
            _write(root / "static" / asset.name, asset.read_bytes())
            files += 1
    if view is not None:
        shutil.copyfile(view, root / "view.html")
        files += 1
    return pages, files
