"""``kg query``: SPARQL over a built graph, its rows as a table, CSV, JSON and other formats."""

from __future__ import annotations

from typing import Annotated

import typer

from graph.cli.common import GraphOption, app
from graph.cli_support import (
    UsageError,
    alias,
    bad_value,
    check_choice,
    handle_errors,
    out_console,
)


def _complete_examples(incomplete: str) -> list[str]:
    from graph.ontology import example_queries

    return [name for name in example_queries() if name.startswith(incomplete)]


def _complete_formats(incomplete: str) -> list[str]:
    from graph.query.formats import FORMATS

    return [f for f in FORMATS if f.startswith(incomplete)]


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

    Rows go to stdout (table and records also print the row count on stderr). Formats: csv
    is spreadsheet-safe (cells that would run as formulas get a leading '); tsv and
    sparql-json are the SPARQL 1.1 results formats (IRI or literal, datatype and language
    kept); json and jsonl give one object per row with numbers and booleans typed.

    Examples:

      kg query --example most-used-models

      kg query --example datasets-with-model --param model=LLaMA --to csv

      kg query 'SELECT ?m (COUNT(?p) AS ?n) WHERE { ?p kg:mentionsModel ?m } GROUP BY ?m'

      kg query my-query.rq --graph exports/graph.ttl --to json

      echo 'ASK { ?p a kg:Paper }' | kg query -
    """
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
        raise UsageError("give a query or --example NAME, not both")
    if example:
        text = example_query(example)
    elif query_or_file:
        text = load_query(query_or_file)
    else:
        raise UsageError("give a query (text, a .rq file or -) or --example NAME")
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
