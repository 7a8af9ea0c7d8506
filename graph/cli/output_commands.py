"""``kg view`` and ``kg export``: a built graph as an interactive page or an RDF file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from graph.cli.common import GraphOption, app
from graph.cli_support import check_choice, handle_errors


def _build_dir(graph: str | None) -> Path:
    """The build directory a --graph argument belongs to (where kg view writes by default)."""
    path = Path(graph) if graph is not None else Path("exports")
    if path.is_dir():
        return path.parent if path.name == "store" and path.parent.is_dir() else path
    return path.parent


def load_view_graph(graph: str | None) -> Any:
    """The NetworkX graph ``kg view`` draws: a .graphml file as it is; anything else the other
    commands read (a build directory, its store, an RDF file) through its RDF.

    Raises:
        KGError: when there is no graph there, or a GraphML file does not parse.
    """
    import networkx as nx

    from graph.errors import InputError
    from graph.export.projection import networkx_from_store
    from graph.store import open_graph

    if graph is not None and Path(graph).suffix.lower() == ".graphml" and Path(graph).is_file():
        try:
            return nx.read_graphml(graph)
        except Exception as exc:  # lxml and networkx raise many kinds for a bad file
            raise InputError(f"does not parse as GraphML ({exc})", path=graph) from exc
    return networkx_from_store(open_graph(graph))


@app.command()
@handle_errors
def view(
    graph: GraphOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar="FILE",
            help="The HTML file to write (default: view.html in the graph's build directory).",
        ),
    ] = None,
    focus: Annotated[
        str | None,
        typer.Option(metavar="NAME", help="Show the neighbourhood of one entity (label or alias)."),
    ] = None,
    depth: Annotated[int, typer.Option(metavar="N", min=0, help="Hops around --focus.")] = 2,
    top: Annotated[
        int,
        typer.Option(metavar="N", min=0, help="Most-linked entities shown (with their papers)."),
    ] = 150,
    show_all: Annotated[bool, typer.Option("--all", help="Show every entity and paper.")] = False,
    max_nodes: Annotated[
        int, typer.Option(metavar="N", min=1, help="Cap on the nodes of any view.")
    ] = 1500,
    title: Annotated[str, typer.Option(metavar="TEXT", help="Page title.")] = "paper-kg",
    screenshot: Annotated[
        Path | None,
        typer.Option(
            metavar="PNG",
            help="Also save a PNG of the settled view. Needs Playwright for Python (pip install "
            "playwright; the [test] extra has it) and a Chromium (Debian: apt-get install "
            "chromium); no browser is downloaded.",
        ),
    ] = None,
) -> None:
    """Write an interactive HTML view of a built graph (self-contained; opens offline).

    Reads any graph the other commands read: a build directory, its store/, graph.ttl,
    graph.nt, graph.jsonld (or a graph.graphml). The page marks the --focus entity; click a
    node for its details and neighbours, and a paper for its abstract and arXiv link.

    Examples:

      kg view --focus LLaMA --depth 2 -o llama.html

      kg view -g exports/graph.ttl --top 50

      kg view --all --screenshot docs/graph-view.png
    """
    from graph.export.html import screenshot as take_screenshot
    from graph.export.html import write_html

    target = out if out is not None else _build_dir(graph) / "view.html"
    result = write_html(
        load_view_graph(graph),
        target,
        top=None if show_all else top,
        focus=focus,
        depth=depth,
        max_nodes=max_nodes,
        title=title,
    )
    typer.echo(f"wrote {target}: {result.note()}", err=True)
    if screenshot is not None:
        take_screenshot(target, screenshot)
        typer.echo(f"wrote {screenshot}", err=True)


@app.command()
@handle_errors
def export(
    graph: GraphOption = None,
    to: Annotated[
        str, typer.Option("--to", "-t", metavar="FORMAT", help="ttl, nt or jsonld.")
    ] = "nt",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", metavar="FILE", help="File to write; - or none: standard output."
        ),
    ] = None,
) -> None:
    """Export a built graph as Turtle, N-Triples or JSON-LD (with the paper-kg context).

    Writes to standard output unless -o FILE is given (the file is written atomically).

    Examples:

      kg export --to nt > graph.nt               # for bulk loaders (Oxigraph server, QLever)

      kg export --graph my-kg --to jsonld -o graph.jsonld
    """
    from graph.errors import OutputError
    from graph.export import jsonld, write_rdf
    from graph.store import open_graph

    check_choice("--to", to, ("ttl", "nt", "jsonld"))
    if out is not None and str(out) != "-":
        write_rdf(open_graph(graph), out, to)
        typer.echo(f"wrote {out}", err=True)
        return
    if sys.stdout.isatty():
        raise OutputError(
            f"kg export writes the graph to standard output: redirect it (kg export --to {to} "
            f"> graph.{to}) or pass -o FILE"
        )
    import pyoxigraph as ox

    from graph.ontology import PREFIXES

    store = open_graph(graph)
    if to == "jsonld":
        sys.stdout.write(jsonld(store))
        sys.stdout.flush()
        return
    sys.stdout.flush()
    store.dump(
        sys.stdout.buffer,
        ox.RdfFormat.TURTLE if to == "ttl" else ox.RdfFormat.N_TRIPLES,
        from_graph=ox.DefaultGraph(),
        prefixes=PREFIXES if to == "ttl" else None,
    )
    sys.stdout.buffer.flush()
