"""``kg stats``, ``kg validate`` and ``kg eval``: counting, checking and scoring a built graph."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from graph.cli.common import GraphOption, app
from graph.cli_support import handle_errors, out_console
from graph.errors import InputError


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
    from graph.store import open_graph, resolve_graph_path

    rows = [row for path in gold for row in load_gold(path)]
    result = evaluate(open_graph(graph), rows)
    if rows and len(result.missing_papers) == len(rows):
        # Every score would be zero: the gold describes papers of another graph.
        raise InputError(
            f"none of the {len(rows)} papers of {', '.join(map(str, gold))} is in the graph "
            f"{resolve_graph_path(graph)} (gold papers are matched by title); build them first "
            "(kg build FILE) or point --graph at their build"
        )
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
