"""The `kg` command line: thin wrappers that parse options, call the stages and print results.

Library errors (:class:`graph.errors.KGError`) become a one-line message on stderr and exit
code 1; nothing here prints a traceback for bad input.
"""

from __future__ import annotations

import functools
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from graph import __version__
from graph.errors import KGError

app = typer.Typer(
    name="kg",
    help="Build and query a knowledge graph of the models, datasets, methods and languages "
    "that ML papers name.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
err = Console(stderr=True)
F = TypeVar("F", bound=Callable[..., object])

GraphOption = Annotated[
    str | None,
    typer.Option(
        "--graph",
        "-g",
        help="A build directory (default exports/), its store/, or an "
        "RDF file (.ttl, .nt, .jsonld).",
    ),
]


def handle_errors(func: F) -> F:
    """Turn KGError into a one-line message and exit 1; Ctrl-C into exit 130."""

    @functools.wraps(func)
    def wrapper(*args: object, **kwargs: object) -> object:
        try:
            return func(*args, **kwargs)
        except KGError as exc:
            typer.echo(f"kg: error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("kg: interrupted; previous outputs are left as they were", err=True)
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"paper-kg {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Build and query a knowledge graph of ML papers.

    Example: kg build && kg query --example most-used-models
    """


@app.command()
@handle_errors
def build(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files, directories, globs, or - for stdin. Default: the bundled sample corpus.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")] = Path("exports"),
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", help="Force the input format: hf-daily, arxiv, jsonl, json, csv."
        ),
    ] = None,
    formats: Annotated[
        str, typer.Option(help="Comma-separated exports: ttl, nt, jsonld, graphml, html.")
    ] = "ttl,html,graphml",
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", help="Extraction processes (default: all cores).")
    ] = None,
    skip_bad: Annotated[
        bool,
        typer.Option(
            "--skip-bad",
            help="Skip bad records and files (listed in DIR/skipped.jsonl) instead of stopping.",
        ),
    ] = False,
    update: Annotated[
        bool, typer.Option("--update", help="Add INPUTS to the build in --out, reusing its work.")
    ] = False,
    engine: Annotated[
        str, typer.Option(help="Where extraction runs: local (this machine) or dask (a cluster).")
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: local)."),
    ] = None,
    top: Annotated[
        int, typer.Option(help="Entities shown in graph.html (most-linked first).")
    ] = 150,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress, no summary.")] = False,
) -> None:
    """Build the graph from paper listings and export it.

    Writes DIR/store (Oxigraph), DIR/graph.ttl, DIR/graph.html and DIR/graph.graphml.

    Examples:

      kg build                                  # the bundled sample corpus -> exports/

      kg build papers/ more.jsonl --out my-kg   # your own listings

      cat arxiv.jsonl | kg build - --format arxiv --formats ttl,nt,jsonld

      kg build --update new-listings/ --out my-kg  # add papers to an existing build
    """
    from graph.pipeline import build as run_build

    show = not quiet and sys.stderr.isatty()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=not show,
        transient=True,
    ) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done)

        summary = run_build(
            inputs,
            out,
            fmt=fmt,
            formats=[f.strip() for f in formats.split(",") if f.strip()],
            jobs=jobs,
            skip_bad=skip_bad,
            progress=progress,
            html_options={"top": top},
            update=update,
            engine=engine,
            scheduler=scheduler,
        )
    if quiet:
        return
    ents = ", ".join(f"{n} {t.lower()}s" for t, n in summary.entities.items())
    typer.echo(
        f"{summary.papers} papers ({summary.listings} listings); entities: {ents}; "
        f"{summary.links} links ({summary.proposed} proposals), "
        f"{summary.mentions} evidence mentions, {summary.statements} statements; "
        f"{summary.seconds:.1f} s"
    )
    if summary.skipped:
        typer.echo(f"skipped {len(summary.skipped)} bad records (see {out / 'skipped.jsonl'}):")
        for line in summary.skipped[:10]:
            typer.echo(f"  {line}")
    for path in summary.outputs:
        typer.echo(f"  wrote {path}")


@app.command()
@handle_errors
def query(
    query_or_file: Annotated[
        str | None,
        typer.Argument(
            help="SPARQL text or a .rq file (the project's prefixes are predeclared).",
            show_default=False,
        ),
    ] = None,
    graph: GraphOption = None,
    example: Annotated[
        str | None, typer.Option(help="Run an example query from ontology/queries by name.")
    ] = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format", "-f", help="table, csv or json (CONSTRUCT/DESCRIBE print Turtle)."
        ),
    ] = "table",
    list_examples: Annotated[
        bool, typer.Option("--list", help="List the example queries and exit.")
    ] = False,
) -> None:
    """Run a SPARQL SELECT, ASK, CONSTRUCT or DESCRIBE query over a built graph.

    Examples:

      kg query --example most-used-models

      kg query 'SELECT ?m (COUNT(?p) AS ?n) WHERE { ?p kg:mentionsModel|kg:proposes ?m .
      ?m a kg:Model } GROUP BY ?m ORDER BY DESC(?n) LIMIT 10'

      kg query my-query.rq --graph exports/graph.ttl --format csv
    """
    from graph.errors import QueryError
    from graph.ontology import example_queries
    from graph.query import example_query, format_result, load_query, run_query, short
    from graph.store import open_graph

    if list_examples:
        for name, path in example_queries().items():
            first = next(
                (ln[1:].strip() for ln in path.read_text().splitlines() if ln.startswith("#")), ""
            )
            typer.echo(f"{name:32} {first}")
        return
    if output_format not in ("table", "csv", "json"):
        raise QueryError(f"unknown --format {output_format!r}; choose table, csv or json")
    if example:
        text = example_query(example)
    elif query_or_file:
        text = load_query(query_or_file)
    else:
        raise QueryError("give a query (text or .rq file) or --example NAME; see kg query --help")
    result = run_query(open_graph(graph), text)
    if output_format != "table" or result.boolean is not None or result.graph is not None:
        text = format_result(result, output_format)
        typer.echo(text, nl=not text.endswith("\n"))
        return
    table = Table(*result.variables, show_lines=False)
    for row in result.rows:
        table.add_row(*(short(v) for v in row))
    Console(width=max(Console().width, 100)).print(table)
    typer.echo(f"{len(result.rows)} rows")


@app.command()
@handle_errors
def stats(
    graph: GraphOption = None,
    top: Annotated[int, typer.Option(help="Entities listed per type.")] = 5,
) -> None:
    """Count papers, entities and statements per type, and list the most-linked entities.

    Example: kg stats --graph exports --top 10
    """
    from graph.query import run_query
    from graph.stats import graph_stats, relation_stats
    from graph.store import open_graph

    store = open_graph(graph)
    counts, tops = graph_stats(store, top, run_query)
    table = Table("type", "nodes", "linked papers", "links")
    for row in counts:
        table.add_row(*(str(v) for v in row))
    console = Console(width=max(Console().width, 100))
    console.print(table)
    relations = Table("relation", "statements", "papers", "entity pairs")
    for row in relation_stats(store, run_query):
        relations.add_row(*(str(v) for v in row))
    console.print(relations)
    for entity_type, rows in tops.items():
        t = Table(f"most-linked {entity_type.lower()}s", "papers", "aliases")
        for label, n, aliases in rows:
            t.add_row(label, str(n), aliases)
        console.print(t)


@app.command()
@handle_errors
def validate(graph: GraphOption = None) -> None:
    """Check a built graph against the SHACL shapes in ontology/shapes.ttl.

    Prints each violation as NODE PATH: MESSAGE and exits 1 if there is any.

    Example: kg validate --graph exports
    """
    from graph.validate import validate as run_validate

    violations = run_validate(graph)
    if not violations:
        typer.echo("valid: the graph conforms to ontology/shapes.ttl")
        return
    for v in violations[:200]:
        typer.echo(str(v))
    more = " (first 200 shown)" if len(violations) > 200 else ""
    typer.echo(f"kg: error: {len(violations)} SHACL violations{more}", err=True)
    raise typer.Exit(1)


@app.command(name="eval")
@handle_errors
def evaluate_command(
    gold: Annotated[
        list[Path], typer.Option("--gold", help="Gold JSONL file(s), one annotated paper per line.")
    ],
    graph: GraphOption = None,
    errors: Annotated[
        bool, typer.Option("--errors", help="List every miss and false hit.")
    ] = False,
) -> None:
    """Score the graph's links against hand-annotated papers: precision, recall, F1 per type.

    Example: kg eval --gold ../shared/gold/dev.jsonl --graph exports --errors
    """
    from graph.evaluate import evaluate, load_gold
    from graph.store import open_graph

    rows = [row for path in gold for row in load_gold(path)]
    result = evaluate(open_graph(graph), rows)
    table = Table("type", "precision", "recall", "F1", "tp", "fp", "fn")
    for t, s in result.scores.items():
        table.add_row(
            t,
            f"{s.precision:.3f}",
            f"{s.recall:.3f}",
            f"{s.f1:.3f}",
            str(s.tp),
            str(s.fp),
            str(s.fn),
        )
    Console(width=max(Console().width, 100)).print(table)
    typer.echo(
        f"proposed-entity recall: {result.proposed_recall:.3f} "
        f"({result.proposed_hit}/{result.proposed_total}); papers missing from the graph: "
        f"{len(result.missing_papers)} of {len(rows)}"
    )
    if errors:
        for t, s in result.scores.items():
            for kind, title, name in s.errors:
                typer.echo(f"{t}\t{kind}\t{name}\t{title[:70]}")
        for title in result.missing_papers:
            typer.echo(f"MISSING PAPER\t{title}")


@app.command()
@handle_errors
def view(
    graph: GraphOption = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="The HTML file to write.")] = Path(
        "graph.html"
    ),
    focus: Annotated[
        str | None, typer.Option(help="Show the neighbourhood of one entity (label or alias).")
    ] = None,
    depth: Annotated[int, typer.Option(help="Hops around --focus.")] = 2,
    top: Annotated[int, typer.Option(help="Most-linked entities shown (with their papers).")] = 150,
    show_all: Annotated[bool, typer.Option("--all", help="Show every entity and paper.")] = False,
    max_nodes: Annotated[int, typer.Option(help="Cap on the nodes of any view.")] = 1500,
    title: Annotated[str, typer.Option(help="Page title.")] = "paper-kg",
    screenshot: Annotated[
        Path | None,
        typer.Option(help="Also save a PNG of the settled view (needs Debian chromium)."),
    ] = None,
) -> None:
    """Write an interactive HTML view of a built graph (self-contained; opens offline).

    Examples:

      kg view --focus LLaMA --depth 2 -o llama.html

      kg view --all --screenshot docs/graph-view.png
    """
    import networkx as nx

    from graph.errors import GraphNotFoundError
    from graph.export.html import screenshot as take_screenshot
    from graph.export.html import write_html

    build_dir = Path(graph) if graph is not None else Path("exports")
    graphml = build_dir / "graph.graphml" if build_dir.is_dir() else build_dir
    if not graphml.is_file() or graphml.suffix != ".graphml":
        raise GraphNotFoundError(
            f"{graphml}: no graph.graphml to draw; run `kg build` (with graphml in --formats) "
            "or pass --graph DIR"
        )
    result = write_html(
        nx.read_graphml(str(graphml)),
        out,
        top=None if show_all else top,
        focus=focus,
        depth=depth,
        max_nodes=max_nodes,
        title=title,
    )
    typer.echo(f"wrote {out}: {result.note()}")
    if screenshot is not None:
        take_screenshot(out, screenshot)
        typer.echo(f"wrote {screenshot}")


@app.command()
@handle_errors
def export(
    graph: GraphOption = None,
    to: Annotated[str, typer.Option("--to", "-t", help="ttl, nt or jsonld.")] = "nt",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File to write.")] = None,
) -> None:
    """Export a built graph as Turtle, N-Triples or JSON-LD (with the paper-kg context).

    Examples:

      kg export --to nt -o graph.nt            # for bulk loaders (Oxigraph server, QLever)

      kg export --graph exports --to jsonld -o graph.jsonld
    """
    from graph.errors import OutputError
    from graph.export import write_rdf
    from graph.store import open_graph

    if to not in ("ttl", "nt", "jsonld"):
        raise OutputError(f"unknown export format {to!r}; choose ttl, nt or jsonld")
    target = out or Path(f"graph.{to}")
    write_rdf(open_graph(graph), target, to)
    typer.echo(f"wrote {target}")


@app.command()
@handle_errors
def serve(
    graph: GraphOption = None,
    host: Annotated[
        str, typer.Option(help="Address to bind; anything but loopback is reachable by others.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (0 picks a free one).")] = 7878,
    timeout: Annotated[float, typer.Option(help="Seconds a query may run.")] = 10.0,
    max_results: Annotated[int, typer.Option(help="Rows (or triples) a response holds.")] = 10_000,
    workers: Annotated[int, typer.Option(help="Query worker processes.")] = 2,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No request log.")] = False,
) -> None:
    """Serve a built graph: SPARQL 1.1 Protocol at /sparql, the graph view at /, queries at /query.

    Read-only (updates are refused with 403); each query has a time limit and a result cap.

    Examples:

      kg serve                                  # exports/ on http://127.0.0.1:7878/

      kg serve --graph my-kg --port 8080 --timeout 30

      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE {?s ?p ?o} LIMIT 3'
      http://127.0.0.1:7878/sparql
    """
    from graph.serve import is_loopback
    from graph.serve import serve as run_serve

    if not is_loopback(host):
        err.print(
            f"kg serve: listening on {host}: anyone who can reach this machine can query the graph"
        )

    def ready(url: str) -> None:
        typer.echo(f"serving {url} (SPARQL endpoint {url}sparql); Ctrl-C to stop")
        sys.stdout.flush()

    run_serve(
        graph,
        host,
        port,
        timeout=timeout,
        max_results=max_results,
        workers=workers,
        quiet=quiet,
        ready=ready,
    )


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    """Entry point of the `kg` console script."""
    # A `kill` (SIGTERM) cleans up like Ctrl-C: temporary files go, previous outputs stay.
    signal.signal(signal.SIGTERM, _terminate)
    app()
