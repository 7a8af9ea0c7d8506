"""``kg serve`` and ``kg site``: a built graph's pages, over HTTP or as static files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from graph.cli.common import GraphOption, app, err
from graph.cli_support import bad_value, build_progress, handle_errors


@app.command()
@handle_errors
def serve(
    graph: GraphOption = None,
    host: Annotated[
        str, typer.Option(help="Address to bind; anything but loopback is reachable by others.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port, 0-65535 (0 picks a free one).")] = 7878,
    timeout: Annotated[float, typer.Option(help="Seconds a query may run.")] = 10.0,
    max_results: Annotated[int, typer.Option(help="Rows (or triples) a response holds.")] = 10_000,
    workers: Annotated[
        int, typer.Option(help="Query worker processes (one more is kept for short queries).")
    ] = 2,
    allow_service: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-service",
            metavar="HOST",
            help="Let SPARQL SERVICE clauses call this host (repeatable); federation is off "
            "otherwise.",
        ),
    ] = None,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            metavar="NAME",
            help="Also answer requests for this Host name (repeatable), e.g. a reverse proxy's.",
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No request log.")] = False,
) -> None:
    """Serve a built graph: pages, linked data and a SPARQL endpoint.

    Pages at / (search, trends, entity and paper pages), every IRI under /id/ (HTML or RDF by
    Accept), SPARQL 1.1 Protocol at /sparql, the query page at /query, the graph view at /view.
    Read-only, no outgoing requests, loopback only unless --host says otherwise.

    Examples:

      kg serve                                  # exports/ on http://127.0.0.1:7878/

      kg serve --graph my-kg --port 8080 --timeout 30

      curl -H 'Accept: text/turtle' -L http://127.0.0.1:7878/id/model/llama-2

      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE {?s ?p ?o} LIMIT 3' \\
      http://127.0.0.1:7878/sparql
    """
    from graph.serve import serve as run_serve
    from graph.serve.server import exposure_warning

    if not 0 <= port <= 65535:
        raise bad_value("--port", f"{port} is not a port: give 0 to 65535 (0 picks a free one)")
    if not timeout > 0:
        raise bad_value("--timeout", f"{timeout} is not a positive number of seconds")
    for option, value in (("--max-results", max_results), ("--workers", workers)):
        if value < 1:
            raise bad_value(option, f"{value} is less than 1")

    def ready(url: str) -> None:
        warning = exposure_warning(host, port)
        if warning:
            err.print(warning, markup=False, highlight=False)
        typer.echo(f"serving {url} (SPARQL endpoint {url}sparql); Ctrl-C to stop")
        sys.stdout.flush()

    run_serve(
        graph,
        host,
        port,
        timeout=timeout,
        max_results=max_results,
        workers=workers,
        allow_service=allow_service or (),
        allowed_hosts=allowed_host or (),
        quiet=quiet,
        ready=ready,
    )


@app.command()
@handle_errors
def site(
    graph: Annotated[
        str | None,
        typer.Argument(
            help="A build directory (default exports/), its store/, or an RDF file.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="The directory to write the site into.")
    ] = Path("site"),
) -> None:
    """Write the pages of kg serve as a static site: open OUT/index.html, or put it on any
    static host (every link is relative).

    Example: kg site exports --out site && xdg-open site/index.html
    """
    from graph.serve.site import write_site

    bar, progress = build_progress(err, disable=not sys.stderr.isatty())
    with bar:
        summary = write_site(graph, out, progress)
    typer.echo(f"wrote {summary.pages} pages to {out} (open {out / 'index.html'})", err=True)
