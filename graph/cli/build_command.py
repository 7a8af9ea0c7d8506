"""``kg build``: paper listings in, the graph and its exports out."""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Annotated

import typer

from graph.cli.common import app, err
from graph.cli_support import alias, build_progress, check_choice, handle_errors


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
        say(f"{counted(len(summary.conflicts), 'conflict')} between listings:")
        for line in summary.conflicts[:10]:
            say(f"  {line}")
    for path in summary.outputs:
        say(f"  wrote {path}")
