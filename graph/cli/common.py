"""The `kg` typer app itself, the options several commands share, and the entry point.

Importing :mod:`graph.cli` registers the commands on :data:`app` (in the order
``kg --help`` lists them); :func:`main` runs it.
"""

from __future__ import annotations

import signal
from typing import Annotated

import typer
from rich.console import Console

from graph import __version__
from graph.cli_support import KGGroup, KGTyper

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


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    """Entry point of the `kg` console script."""
    # A `kill` (SIGTERM) cleans up like Ctrl-C: temporary files go, previous outputs stay.
    signal.signal(signal.SIGTERM, _terminate)
    app()
