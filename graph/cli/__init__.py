"""The `kg` command line: thin wrappers that parse options, call the stages and print results.

Library errors (:class:`graph.errors.KGError`) become a one-line message on stderr and exit
code 1, and bad options one line and exit code 2; nothing here prints a traceback for bad
input. Data goes to stdout, status (summaries, "wrote …", row counts) to stderr.

Options follow one scheme: ``--from`` names an input format, ``--to`` an output format (or a
list of them), ``-g/--graph`` the graph to read, ``-o/--out`` where to write. The spellings of
earlier versions (``build --format/--formats``, ``query --format/-f``) still work, hidden, with
a warning.

The modules: :mod:`.common` (the app, shared options, :func:`main`), one per command group:
:mod:`.build_command`, :mod:`.query_command`, :mod:`.check_commands` (stats, validate, eval),
:mod:`.output_commands` (view, export), :mod:`.serve_commands` (serve, site). Every name is
importable from here.
"""

from __future__ import annotations

from graph.cli_support import build_progress, out_console

# isort: off
# Each command module registers its commands on `app` when imported: the order of these
# imports is the order kg --help lists the commands in.
from graph.cli.common import app as app
from graph.cli.common import err as err
from graph.cli.common import GraphOption as GraphOption
from graph.cli.common import main_callback as main_callback
from graph.cli.common import main as main
from graph.cli.build_command import build as build
from graph.cli.query_command import query as query
from graph.cli.check_commands import stats as stats
from graph.cli.check_commands import validate as validate
from graph.cli.check_commands import evaluate_command as evaluate_command
from graph.cli.output_commands import load_view_graph as load_view_graph
from graph.cli.output_commands import view as view
from graph.cli.output_commands import export as export
from graph.cli.serve_commands import serve as serve
from graph.cli.serve_commands import site as site
# isort: on

__all__ = ["app", "build_progress", "main", "out_console"]
