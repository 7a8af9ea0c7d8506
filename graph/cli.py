"""The `kg` command line: thin wrappers that parse options, call the stages and print results.

Library errors (:class:`graph.errors.KGError`) become a one-line message on stderr and exit
code 1, and bad options one line and exit code 2; nothing here prints a traceback for bad
input. Data goes to stdout, status (summaries, "wrote …", row counts) to stderr.

Options follow one scheme: ``--from`` names an input format, ``--to`` an output format (or a
list of them), ``-g/--graph`` the graph to read, ``-o/--out`` where to write. The spellings of
earlier versions (``build --format/--formats``, ``query --format/-f``) still work, hidden, with
a warning.
"""

from __future__ import annotations

import functools
import signal
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from graph import __version__
from graph.cli_support import (
    KGGroup,
    KGTyper,
    alias,
    bad_value,
    build_progress,
    check_choice,
    handle_errors,
    out_console,
)

__all__ = ["app", "build_progress", "main", "out_console"]

app = KGTyper(
    name="kg",
    cls=KGGroup,
    help="Build and query a knowledge graph of the models, datasets, methods and languages "
    "that ML papers name.",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
err = Console(stderr=True)

GraphOption = Annotated[
    str | None,
    typer.Option(
        "--graph",
        "-g",
        metavar="PATH",
        help="The graph to read: a build directory (default exports/), its store/, or an RDF "
        "file (.ttl, .nt, .jsonld).",
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"paper-kg {__version__}")
        raise typer.Exit()


def _complete_examples(incomplete: str) -> list[str]:
    from graph.ontology import example_queries

    return [name for name in example_queries() if name.startswith(incomplete)]


def _complete_formats(incomplete: str) -> list[str]:
    from graph.query.formats import FORMATS

    return [f for f in FORMATS if f.startswith(incomplete)]


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

    Examples:

      kg build && kg query --example most-used-models

      kg --install-completion     # tab completion for bash, zsh, fish or PowerShell
    """


# ---------------------------------------------------------------------------------------------
# build


@app.command()
@handle_errors
def build(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="INPUT",
            help="Files, directories, globs, or - for stdin. Default: the bundled sample corpus.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", metavar="DIR", help="Output directory.")
    ] = Path("exports"),
    fmt: Annotated[
        str | None,
        typer.Option(
            "--from",
            "-f",
            metavar="FORMAT",
            help="Read every input as FORMAT: hf-daily, arxiv, jsonl, json, csv "
            "(default: detected per file).",
        ),
    ] = None,
    formats: Annotated[
        str,
        typer.Option(
            "--to",
            "-t",
            metavar="FORMATS",
            help="Comma-separated exports: ttl, nt, jsonld, graphml, html.",
        ),
    ] = "ttl,html,graphml",
    old_format: Annotated[str | None, typer.Option("--format", hidden=True)] = None,
    old_formats: Annotated[str | None, typer.Option("--formats", hidden=True)] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", metavar="N", min=1, help="Extraction processes (default: all cores)."
        ),
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
    keep_title_only: Annotated[
        bool,
        typer.Option(
            "--keep-title-only",
            help="Keep records that have a title but no abstract (refused by default).",
        ),
    ] = False,
    engine: Annotated[
        str,
        typer.Option(
            metavar="ENGINE",
            help="Where extraction runs: local (this machine) or dask (a cluster).",
        ),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(
            metavar="ADDRESS",
            help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: a local cluster).",
        ),
    ] = None,
    top: Annotated[
        int,
        typer.Option(metavar="N", min=0, help="Entities shown in graph.html (most-linked first)."),
    ] = 150,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress, no summary.")] = False,
) -> None:
    """Build the graph from paper listings and export it.

    Writes DIR/store (Oxigraph), DIR/graph.ttl, DIR/graph.html and DIR/graph.graphml, all
    swapped in at once at the end, and prints a summary on stderr. DIR must be new, empty, or
    an earlier build's. Entities are counted as linked (named by at least one paper) and
    family-only (named by none, present as the family of one that is), as in kg stats.

    Examples:

      kg build                                    # the bundled sample corpus -> exports/

      kg build papers/ more.jsonl --out my-kg     # your own listings

      cat arxiv.jsonl | kg build - --from arxiv --to ttl,nt,jsonld

      kg build --update new-listings/ --out my-kg # add papers to an existing build
    """
    from graph.errors import BuildInterrupted
    from graph.pipeline import build as run_build
    from graph.stats import counted, describe_entities

    fmt = alias(fmt, None, old_format, "--format", "--from")
    formats = alias(formats, "ttl,html,graphml", old_formats, "--formats", "--to")
    from graph.ingest import FORMATS as INPUT_FORMATS
    from graph.pipeline import FORMATS as OUTPUT_FORMATS

    check_choice("--from", fmt, INPUT_FORMATS)
    for name in (f.strip() for f in formats.split(",") if f.strip()):
        check_choice("--to", name, OUTPUT_FORMATS)
    check_choice("--engine", engine, ("local", "dask"))
    show = not quiet and sys.stderr.isatty()
    bar, progress = build_progress(err, disable=not show)

    def notice(message: str) -> None:
        err.print(f"kg: {message}", markup=False, highlight=False, soft_wrap=True)

    with bar:
        try:
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
                title_only=keep_title_only,
                notice=notice,
            )
        except BuildInterrupted as exc:
            bar.stop()
            state = (
                "the new outputs were already in place"
                if exc.committed
                else "previous outputs are left as they were"
            )
            typer.echo(f"kg: interrupted; {state}", err=True)
            raise typer.Exit(130) from None
    if quiet:
        return
    say = functools.partial(typer.echo, err=True)
    say(
        f"{counted(summary.papers, 'paper')} ({counted(summary.listings, 'listing')}); "
        f"{describe_entities(summary.entities, summary.family_only)}; "
        f"{counted(summary.links, 'link')} ({counted(summary.proposed, 'proposal')}), "
        f"{counted(summary.mentions, 'evidence mention')}, "
        f"{counted(summary.statements, 'statement')}; {summary.seconds:.1f} s"
    )
    if summary.skipped:
        say(f"skipped {counted(len(summary.skipped), 'bad record')} (see {out / 'skipped.jsonl'}):")
        for line in summary.skipped[:10]:
            say(f"  {line}")
    if summary.conflicts:
        say(f"{len(summary.conflicts)} conflicts between listings:")
        for line in summary.conflicts[:10]:
            say(f"  {line}")
    for path in summary.outputs:
        say(f"  wrote {path}")


# ---------------------------------------------------------------------------------------------
# query


def _list_examples() -> None:
    from graph.ontology import example_queries
    from graph.query import query_parameters
    from graph.sparql_protocol import leading_comment

    for name, path in example_queries().items():
        text = path.read_text(encoding="utf-8")
        title, _ = leading_comment(text)
        typer.echo(f"{name:28} {title}")
        for p in query_parameters(text):
            typer.echo(f"{'':28}   --param {p.name}=… (default {p.default})")


@app.command()
@handle_errors
def query(
    query_or_file: Annotated[
        str | None,
        typer.Argument(
            metavar="QUERY",
            help="SPARQL text, a .rq file, or - to read it from stdin (the project's prefixes "
            "kg:, rdfs:, model: … are predeclared).",
            show_default=False,
        ),
    ] = None,
    graph: GraphOption = None,
    example: Annotated[
        str | None,
        typer.Option(
            "--example",
            "-e",
            metavar="NAME",
            help="Run an example query from ontology/queries (kg query --list names them).",
            autocompletion=_complete_examples,
        ),
    ] = None,
    params: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            "-p",
            metavar="NAME=VALUE",
            help="Bind the query's VALUES ?NAME block to VALUE (as an RDF term, never as text); "
            "repeat for several values.",
        ),
    ] = None,
    to: Annotated[
        str,
        typer.Option(
            "--to",
            "-t",
            metavar="FORMAT",
            help="table (records when too wide), records, csv, tsv, json, jsonl, sparql-json; "
            "for CONSTRUCT/DESCRIBE ttl, nt or jsonld.",
            autocompletion=_complete_formats,
        ),
    ] = "table",
    old_format: Annotated[str | None, typer.Option("--format", "-f", hidden=True)] = None,
    allow_service: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-service",
            metavar="HOST",
            help="Allow SERVICE clauses to reach HOST (or HOST:PORT); by default kg query "
            "refuses them and stays offline.",
        ),
    ] = None,
    list_examples: Annotated[
        bool, typer.Option("--list", help="List the example queries and their parameters.")
    ] = False,
) -> None:
    """Run a SPARQL SELECT, ASK, CONSTRUCT or DESCRIBE query over a built graph.

    Rows go to stdout, the row count to stderr. Formats: csv is spreadsheet-safe (cells that
    would run as formulas get a leading '); tsv and sparql-json are the SPARQL 1.1 results
    formats (IRI or literal, datatype and language kept); json and jsonl give one object per
    row with numbers and booleans typed.

    Examples:

      kg query --example most-used-models

      kg query --example datasets-with-model --param model=LLaMA --to csv

      kg query 'SELECT ?m (COUNT(?p) AS ?n) WHERE { ?p kg:mentionsModel ?m } GROUP BY ?m'

      kg query my-query.rq --graph exports/graph.ttl --to json

      echo 'ASK { ?p a kg:Paper }' | kg query -
    """
    from graph.errors import QueryError
    from graph.query import example_query, load_query, parse_params, run_query
    from graph.query.formats import FORMATS, check_format, fits, format_result, records, table
    from graph.store import open_graph

    to = alias(to, "table", old_format, "--format/-f", "--to/-t")
    check_choice("--to", to, FORMATS)
    for item in params or []:
        if "=" not in item:
            raise bad_value("--param", f"{item!r}: write it as NAME=VALUE, e.g. --param model=BERT")
    if list_examples:
        _list_examples()
        return
    if example and query_or_file:
        raise QueryError("give a query or --example NAME, not both")
    if example:
        text = example_query(example)
    elif query_or_file:
        text = load_query(query_or_file)
    else:
        raise QueryError("give a query (text, a .rq file or -) or --example NAME; see kg query -h")
    bound = parse_params(params or [])
    result = run_query(open_graph(graph), text, params=bound, allow_service=allow_service or ())
    fmt = check_format(result, to)
    if fmt not in ("table", "records") or result.boolean is not None:
        typer.echo(format_result(result, fmt), nl=False)
        return
    console = out_console()
    if fmt == "records" or not fits(result, console.width):
        typer.echo(records(result), nl=False)
    else:
        console.print(table(result))
    typer.echo(f"{len(result.rows)} row{'' if len(result.rows) == 1 else 's'}", err=True)


# ---------------------------------------------------------------------------------------------
# stats, validate, eval


@app.command()
@handle_errors
def stats(
    graph: GraphOption = None,
    top: Annotated[
        int, typer.Option(metavar="N", min=0, help="Most-linked entities listed per type.")
    ] = 5,
) -> None:
    """Count papers, entities and statements per type, and list the entities most papers name.

    Entities are counted as in the build summary and the view: linked ones are named by at
    least one paper; family-only ones by none (they are there as the family, kg:variantOf, of
    an entity that is).

    Examples:

      kg stats

      kg stats --graph my-kg --top 10
    """
    from graph.stats import counted, describe_entities, graph_stats, relation_stats
    from graph.store import open_graph

    store = open_graph(graph)
    result = graph_stats(store, top)
    console = out_console()
    console.print(
        Text(
            f"{counted(result.papers, 'paper')}, {result.linked_papers} of them naming an "
            f"entity; {describe_entities(result.linked(), result.family_only())}; "
            f"{counted(result.links, 'paper-entity link')} "
            f"({counted(result.proposals, 'proposal')})"
        ),
        soft_wrap=True,  # one line for grep; the terminal wraps it
    )
    counts = Table("type", "linked entities", "family-only", "papers naming them", "links")
    for t in result.types:
        counts.add_row(t.type, str(t.linked), str(t.family_only), str(t.papers), str(t.links))
    counts.add_row(
        "all",
        str(sum(result.linked().values())),
        str(result.family_only()),
        str(result.linked_papers),
        str(result.links),
        style="bold",
    )
    console.print(counts)
    relations = Table("relation", "statements", "papers", "entity pairs")
    for row in relation_stats(store):
        relations.add_row(*(str(v) for v in row))
    console.print(relations)
    for entity_type, rows in result.top.items():
        if not rows:
            continue
        t = Table(f"most-linked {entity_type.lower()}s", "papers", "aliases")
        for label, n, aliases in rows:
            t.add_row(Text(_plain(label)), str(n), Text(_plain(aliases)))
        console.print(t)


def _plain(value: str) -> str:
    from graph.query.formats import display

    return display(value)


@app.command()
@handle_errors
def validate(graph: GraphOption = None) -> None:
    """Check a built graph against the SHACL shapes in ontology/shapes.ttl.

    Prints each violation as NODE PATH: MESSAGE and exits 1 if there is any.

    Examples:

      kg validate --graph exports
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
        list[Path],
        typer.Option(
            "--gold", metavar="FILE", help="Gold JSONL file(s), one annotated paper per line."
        ),
    ],
    graph: GraphOption = None,
    errors: Annotated[
        bool, typer.Option("--errors", help="List every miss and false hit.")
    ] = False,
) -> None:
    """Score the graph's links and relations against hand-annotated papers: P/R/F1 per type.

    The annotated papers of the sample corpus ship in eval/gold/ (format and guidelines in
    eval/README.md); check.jsonl there was used by no part of the extractor. Gold rows that carry
    relations (the first 60 of dev.jsonl) are also scored against the graph's statements.

    Examples:

      kg build && kg eval --gold eval/gold/dev.jsonl

      kg eval --gold eval/gold/check.jsonl --graph exports --errors
    """
    from graph.evaluate import evaluate, load_gold
    from graph.store import open_graph

    rows = [row for path in gold for row in load_gold(path)]
    result = evaluate(open_graph(graph), rows)
    tables = [("type", list(result.scores.items()))]
    if result.relations:
        tables.append(("relation", [*result.relations.items(), ("micro", result.relations_micro)]))
    for first, scores in tables:
        table = Table(first, "precision", "recall", "F1", "tp", "fp", "fn")
        for t, s in scores:
            table.add_row(t, *(f"{v:.3f}" for v in (s.precision, s.recall, s.f1)),
                          *(str(n) for n in (s.tp, s.fp, s.fn)))  # fmt: skip
        out_console().print(table)
    typer.echo(
        f"proposed-entity recall: {result.proposed_recall:.3f} "
        f"({result.proposed_hit}/{result.proposed_total}); papers missing from the graph: "
        f"{len(result.missing_papers)} of {len(rows)}"
    )
    if errors:
        for t, s in [*result.scores.items(), *result.relations.items()]:
            for kind, title, name in s.errors:
                typer.echo(f"{t}\t{kind}\t{name}\t{title[:70]}")
        for title in result.missing_papers:
            typer.echo(f"MISSING PAPER\t{title}")


# ---------------------------------------------------------------------------------------------
# view, export


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


# ---------------------------------------------------------------------------------------------
# serve


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


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    """Entry point of the `kg` console script."""
    # A `kill` (SIGTERM) cleans up like Ctrl-C: temporary files go, previous outputs stay.
    signal.signal(signal.SIGTERM, _terminate)
    app()
