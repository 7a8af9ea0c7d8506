"""The ASGI application of ``kg serve`` (Starlette): routes, content negotiation, security.

Routes:

``/sparql``                 the SPARQL 1.1 Protocol query operation (GET, POST form, POST
                            ``application/sparql-query``); read-only.
``/id/...``                 every IRI of the graph's namespace. Without an extension the
                            resource itself (a model, a paper): **303 See Other** to the
                            representation the ``Accept`` header prefers, ``.html`` (people),
                            ``.ttl``, ``.nt``, ``.jsonld`` (RDF) or ``.json`` (the page's data);
                            404 when the graph does not hold the IRI, 406 when nothing fits.
``/``, ``/index.html``      the home page; ``/index.json`` its data.
``/models.html`` ...        every entity of a type, with its trends (``.json`` too).
``/search.html?q=``         search over names and aliases (``/search.json`` too).
``/query``                  the query page; ``/view`` the interactive graph view.

Every response carries ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: no-referrer``
and a Content-Security-Policy with ``frame-ancestors 'none'`` (pages: nothing but this
server's own styles and scripts). Before any route runs, :class:`Guard` (in
:mod:`graph.serve.guard`) refuses

- a ``Host`` header naming anything but this server (DNS rebinding): 400;
- a request carrying both ``Content-Length`` and ``Transfer-Encoding`` (smuggling): 400, and
  the connection is closed;
- a request another site's page makes from a visitor's browser (``Sec-Fetch-Site`` of
  ``cross-site``/``same-site``, or a foreign ``Origin``): 403, except a plain link followed to a
  page (a top-level GET navigation outside ``/sparql``).
"""

from __future__ import annotations

import functools
import json
import sys
import threading
import traceback
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from graph.serve import pagedata, views
from graph.serve.guard import FRAME_CSP as FRAME_CSP
from graph.serve.guard import Guard
from graph.serve.pages import STATIC, Renderer
from graph.serve.pool import QueryPool
from graph.serve.results import Job, Reply
from graph.sparql_protocol import (
    READ_ONLY,
    ProtocolError,
    acceptable_at_all,
    leading_comment,
    parse_query_request,
    rank,
)

#: Largest request body accepted (a query text or a form), in bytes.
MAX_BODY = 1024 * 1024
PAGE_CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
#: The representations of a resource, for ``Accept`` (server's preference first).
REPRESENTATIONS: list[tuple[str, str]] = [
    ("text/html", "html"),
    ("application/xhtml+xml", "html"),
    ("text/turtle", "ttl"),
    ("application/x-turtle", "ttl"),
    ("application/n-triples", "nt"),
    ("application/ld+json", "jsonld"),
    ("application/json", "json"),
]
_PRIMARY = {"text/html", "text/turtle", "application/n-triples", "application/ld+json",
            "application/json"}  # fmt: skip
_MEDIA = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
}
_EXTENSIONS = (".html", ".json", ".ttl", ".nt", ".jsonld")
_LIST_PAGES = {plural.lower(): t for t, (plural, _) in views.ENTITY_TYPES.items()}


@dataclass
class Settings:
    """What an app needs besides its pool: limits, the build directory, the allowed hosts."""

    graph_path: Path | None = None
    timeout: float = 10.0
    max_results: int = 10_000
    allowed_hosts: Collection[str] = ("127.0.0.1", "localhost", "::1")
    any_ip_host: bool = False
    view_html: str | None = None
    examples: list[dict[str, str]] = field(default_factory=list)


# ----------------------------------------------------------------------------- the app


class App:
    """The routes of ``kg serve`` over one query pool (see the module docstring)."""

    def __init__(self, pool: QueryPool, settings: Settings):
        self.pool = pool
        self.settings = settings
        self.renderer = Renderer(site=False, has_view=True)
        self._view: tuple[int, bytes] | None = None
        self._view_lock = threading.Lock()
        self.run = pool.run

    # -------------------------------------------------------------- responses

    @staticmethod
    def reply(reply: Reply) -> Response:
        return Response(
            reply.body, reply.status, headers=reply.headers, media_type=reply.content_type
        )

    def html(self, body: str, status: int = 200) -> Response:
        return Response(
            body,
            status,
            media_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": PAGE_CSP, "Vary": "Accept"},
        )

    @staticmethod
    def json(data: Any) -> Response:
        body = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
        return Response(body, media_type="application/json; charset=utf-8")

    def error(self, request: Request, status: int, message: str, heading: str = "") -> Response:
        """An error as a page for browsers, as text for everyone else."""
        wants = rank(request.headers.get("accept"), [("text/html", "html"), ("text/plain", "text")])
        if wants and wants[0] == "html":
            heading = heading or {404: "Not found", 406: "Not acceptable"}.get(status, "Error")
            return self.html(self.renderer.error(status, heading, message), status)
        return PlainTextResponse(message + "\n", status)

    async def view_call(self, request: Request, func: Callable[..., Any], *args: Any) -> Any:
        """Run a view in a worker thread (the pool blocks); its failures become 503 pages."""
        try:
            return await run_in_threadpool(func, self.run, *args)
        except views.ViewError as exc:
            raise _Failed(self.error(request, exc.status if exc.status >= 500 else 503,
                                     f"the graph could not answer: {exc}")) from exc  # fmt: skip

    # -------------------------------------------------------------- pages

    async def home(self, request: Request) -> Response:
        data = await self.view_call(request, pagedata.home_page)
        if request.url.path.endswith(".json"):
            return self.json(data)
        return self.html(self.renderer.home(data))

    async def type_list(self, request: Request) -> Response:
        name = request.path_params["plural"]
        kind, _, ext = name.partition(".")
        if kind not in _LIST_PAGES or ext not in ("html", "json"):
            return self.error(request, 404, f"no such page {request.url.path!r}")
        data = await self.view_call(request, pagedata.type_page, _LIST_PAGES[kind])
        return self.json(data) if ext == "json" else self.html(self.renderer.type_list(data))

    async def search(self, request: Request) -> Response:
        q = request.query_params.get("q", "")[:200]
        data = await self.view_call(request, pagedata.search_page, q)
        if request.url.path.endswith(".json"):
            return self.json(data)
        return self.html(self.renderer.search(data))

    async def resource(self, request: Request) -> Response:
        rest = request.path_params["rest"]
        iri = views.ID + rest
        ext = next((e for e in _EXTENSIONS if rest.endswith(e)), None)
        types = None
        if ext:
            iri = views.ID + rest[: -len(ext)]
            types = await self.view_call(request, views.resource_types, iri)
            if types is None:  # perhaps an IRI that itself ends like an extension
                ext, iri = None, views.ID + rest
        if types is None:
            types = await self.view_call(request, views.resource_types, iri)
        if types is None:
            return self.error(request, 404, f"the graph holds nothing about <{iri}>")
        if ext is None:
            return self.see_other(request, rest, iri)
        kind = ext[1:]
        if kind in _MEDIA:
            reply = await run_in_threadpool(views.document, self.run, iri, _MEDIA[kind])
            response = self.reply(reply)
            if reply.status == 200:
                response.headers["Content-Type"] = reply.content_type
            return response
        if "Paper" in types:
            data = await self.view_call(request, pagedata.paper_page, iri)
        elif any(t in views.ENTITY_TYPES for t in types):
            data = await self.view_call(request, pagedata.entity_page, iri, types)
        else:
            data = await self.view_call(request, pagedata.resource_page, iri, types)
        return self.json(data) if kind == "json" else self.html(self.renderer.resource(data))

    def see_other(self, request: Request, rest: str, iri: str) -> Response:
        """303 from a resource's IRI to its document in the format ``Accept`` prefers."""
        accept = request.headers.get("accept")
        chosen = rank(accept, REPRESENTATIONS, _PRIMARY)
        if not chosen:
            return self.error(
                request,
                406,
                f"<{iri}> is available as text/html, text/turtle, application/n-triples, "
                f"application/ld+json or application/json, not as {accept!r}",
            )
        location = "/id/" + quote(rest) + "." + chosen[0]
        return RedirectResponse(location, 303, headers={"Vary": "Accept"})

    async def query_page(self, request: Request) -> Response:
        page = self.renderer.query(
            self.settings.examples,
            timeout=self.settings.timeout,
            max_results=self.settings.max_results,
        )
        response = self.html(page)
        response.headers["Cache-Control"] = "no-store"
        return response

    async def graph_view(self, request: Request) -> Response:
        body = await run_in_threadpool(self._view_page)
        return Response(body, media_type="text/html; charset=utf-8")

    def _view_page(self) -> bytes:
        generation = self.pool.generation
        with self._view_lock:
            if self._view is None or self._view[0] != generation:
                page = self.settings.view_html
                if page is None:
                    page = load_view(self.settings.graph_path, self.renderer)
                self._view = (generation, page.encode("utf-8"))
            return self._view[1]

    # -------------------------------------------------------------- SPARQL

    async def sparql(self, request: Request) -> Response:
        method = request.method
        allow = {"Allow": "GET, HEAD, POST, OPTIONS"}
        if method == "OPTIONS":
            return Response(b"", 204, headers=allow)
        if method not in ("GET", "HEAD", "POST"):
            return PlainTextResponse(READ_ONLY + "\n", 405, headers=allow)
        try:
            body = await read_body(request)
            parsed = parse_query_request(
                "GET" if method == "HEAD" else method,
                request.scope["query_string"].decode("latin-1"),
                request.headers.get("content-type"),
                body,
            )
        except ProtocolError as exc:
            headers = {"Connection": "close"} if exc.status == 413 else {}
            return PlainTextResponse(exc.message + "\n", exc.status, headers=headers)
        accept = request.headers.get("accept")
        if not parsed.formats and not acceptable_at_all(accept):
            return PlainTextResponse(
                f"no result format matches Accept: {accept}; ask for "
                "application/sparql-results+json, application/sparql-results+xml, text/csv, "
                "text/tab-separated-values, text/turtle, application/n-triples or "
                "application/ld+json\n",
                406,
            )
        reply = await run_in_threadpool(
            self.run,
            Job(
                query=parsed.query,
                accept=accept,
                formats=parsed.formats,
                default_graph_uris=parsed.default_graph_uris,
                named_graph_uris=parsed.named_graph_uris,
                max_results=self.settings.max_results,
            ),
        )
        response = self.reply(reply)
        response.headers["Content-Type"] = reply.content_type
        response.headers.setdefault("Vary", "Accept")
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    async def not_found(self, request: Request) -> Response:
        return self.error(
            request,
            404,
            f"no such page {request.url.path!r}; try /, /search.html, /query, /sparql or /id/...",
        )


class _Failed(Exception):
    """Carries the response for a view that failed."""

    def __init__(self, response: Response):
        super().__init__("view failed")
        self.response = response


async def read_body(request: Request, limit: int = MAX_BODY) -> bytes:
    """The request body, at most ``limit`` bytes.

    Raises:
        ProtocolError: 413 past the limit (a body up to 8 times the limit is read and dropped
            first, so a client still sending gets the answer rather than a broken pipe), 400
            for a bad Content-Length or a client that went away.
    """
    length_header = request.headers.get("content-length")
    if length_header is not None:
        try:
            length = int(length_header)
        except ValueError:
            raise ProtocolError(400, "invalid Content-Length") from None
        if length > 8 * limit:
            raise ProtocolError(413, f"request body over {limit} bytes; send a shorter query")
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size <= limit:
                chunks.append(chunk)
            elif size > 8 * limit:
                break
    except ClientDisconnect:
        raise ProtocolError(400, "the client went away while sending the body") from None
    if size > limit:
        raise ProtocolError(413, f"request body over {limit} bytes; send a shorter query")
    return b"".join(chunks)


def example_list() -> list[dict[str, str]]:
    """The example queries of ontology/queries: name, title, comment, text and body (the text
    without its leading comment block, for the query page's text box)."""
    from graph.ontology import example_queries

    examples = []
    for name, path in example_queries().items():
        text = path.read_text(encoding="utf-8")
        title, comment = leading_comment(text)
        lines = text.splitlines()
        while lines and (not lines[0].strip() or lines[0].lstrip().startswith("#")):
            lines.pop(0)
        examples.append(
            {
                "name": name,
                "title": title,
                "description": comment,
                "query": text,
                "body": "\n".join(lines).strip() + "\n",
            }
        )
    return examples


def load_view(graph_path: Path | None, renderer: Renderer) -> str:
    """The HTML graph view of a built graph.

    The build's own ``graph.html`` (``kg build --formats html``) if it sits beside the store or
    file; else one rendered by :mod:`graph.export.html` from the build's ``graph.graphml``;
    else a short page saying there is none.
    """

    def missing(why: str) -> str:
        return renderer.error(
            200,
            "No graph view",
            f"No interactive graph view is available for this graph: {why} Run kg build "
            "--formats ttl,html to write one, or use the pages and the query page.",
            "view",
        )

    if graph_path is None:
        return missing("it was served without a build directory.")
    build_dir = graph_path.parent
    page = build_dir / "graph.html"
    if page.is_file():
        return page.read_text(encoding="utf-8")
    graphml = build_dir / "graph.graphml"
    if not graphml.is_file():
        return missing(f"{build_dir} holds neither graph.html nor graph.graphml to draw it from.")
    try:
        import networkx as nx

        from graph.export.html import render_html, select_view

        return render_html(select_view(nx.read_graphml(str(graphml))))
    except Exception as exc:
        return missing(f"drawing it from {graphml.name} failed ({exc}).")


def build_app(pool: QueryPool, settings: Settings) -> ASGIApp:
    """The ASGI application of ``kg serve`` over ``pool``, wrapped in its :class:`Guard`."""
    app = App(pool, settings)

    def page(handler: Callable[[Request], Awaitable[Response]]) -> Callable[..., Any]:
        @functools.wraps(handler)
        async def wrapped(request: Request) -> Response:
            try:
                return await handler(request)
            except _Failed as failed:
                return failed.response
            except Exception:  # never a traceback to the client
                traceback.print_exc(file=sys.stderr)
                return PlainTextResponse("internal error; see the server's log\n", 500)

        return wrapped

    get = ["GET", "HEAD"]
    routes = [
        Route("/", page(app.home), methods=get),
        Route("/index.html", page(app.home), methods=get),
        Route("/index.json", page(app.home), methods=get),
        Route("/search", page(app.search), methods=get),
        Route("/search.html", page(app.search), methods=get),
        Route("/search.json", page(app.search), methods=get),
        Route("/query", page(app.query_page), methods=get),
        Route("/view", page(app.graph_view), methods=get),
        Route(
            "/sparql",
            page(app.sparql),
            methods=["GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"],
        ),
        Route("/id/{rest:path}", page(app.resource), methods=get),
        Route("/{plural}", page(app.type_list), methods=get),
        Mount("/static", StaticFiles(directory=str(STATIC)), name="static"),
    ]
    starlette = Starlette(routes=routes)

    async def not_found(request: Request, exc: Exception) -> Response:
        return await app.not_found(request)

    async def not_allowed(request: Request, exc: Exception) -> Response:
        return PlainTextResponse(
            f"{request.method} is not allowed on {request.url.path}; use GET\n",
            405,
            headers={"Allow": "GET, HEAD"},
        )

    starlette.add_exception_handler(404, not_found)
    starlette.add_exception_handler(405, not_allowed)
    starlette.state.app = app
    return Guard(starlette, allowed_hosts=settings.allowed_hosts, any_ip_host=settings.any_ip_host)
