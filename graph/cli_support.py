"""The machinery under the `kg` command line, kept apart from the commands themselves.

- :class:`KGTyper`, :class:`KGGroup`, :class:`KGCommand`: help printed with examples as written
  (click rewraps them otherwise), whole descriptions in ``kg --help``, parameters shown by name
  (``--port PORT``, not ``<int>``), and every usage error in one line with exit status 2.
- :func:`handle_errors`: library errors in one line with exit status 1, Ctrl-C as 130, a closed
  pipe as a quiet 0.
- :func:`alias`: deprecated option spellings that keep working, with a warning.
- :func:`out_console`, :func:`build_progress`: the consoles for data and for progress.
"""

from __future__ import annotations

import functools
import inspect
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import typer
import typer.core
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from graph.errors import KGError

F = TypeVar("F", bound=Callable[..., object])

# click's exception classes as this typer uses them (recent typers vendor their own click).
UsageError = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")
ClickException = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


def keep_examples(doc: str) -> str:
    """A docstring as help text click prints without rewrapping the examples.

    click rewraps every paragraph to the terminal width, which splits an example command (or
    its trailing comment) across lines. Paragraphs whose lines are all indented (examples) get
    click's ``\\b`` marker, so they are printed exactly as written; prose is still wrapped.
    """
    paragraphs = inspect.cleandoc(doc).split("\n\n")
    out = []
    for paragraph in paragraphs:
        lines = [ln for ln in paragraph.split("\n") if ln.strip()]
        verbatim = lines and all(ln.startswith((" ", "\t")) for ln in lines)
        out.append("\b\n" + paragraph if verbatim and not paragraph.startswith("\b") else paragraph)
    return "\n\n".join(out)


class KGGroup(typer.core.TyperGroup):
    """The `kg` group: usage errors (a bad option or value) in one line, like every error."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        """Run the command line; see :class:`click.Command.main`."""
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except ClickException as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # `kg` alone: the help, as it is
                exc.show()
                sys.exit(exc.exit_code)
            ctx = getattr(exc, "ctx", None)
            where = ctx.command_path if ctx is not None else "kg"
            if " " not in where:  # raised before the subcommand's context existed
                argv = kwargs.get("args", args[0] if args else None)
                argv = sys.argv[1:] if argv is None else list(argv)
                named = next((a for a in argv if a in self.commands), None)
                where = f"{where} {named}" if named else where
            hint = f" (see {where} --help)" if isinstance(exc, UsageError) else ""
            message = " ".join(exc.format_message().split())
            typer.echo(f"{where}: error: {message}{hint}", err=True)
            sys.exit(exc.exit_code)
        except typer.Abort:
            typer.echo("kg: interrupted", err=True)
            sys.exit(130)
        sys.exit(code if isinstance(code, int) else 0)


class KGCommand(typer.core.TyperCommand):
    """A command whose parameters are shown by a name (``INPUT...``, ``--port PORT``), never by
    typer's type notation (``<list[str]>``, ``<int>``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            flag = getattr(param, "is_flag", False) or getattr(param, "count", False)
            if param.param_type_name == "option" and param.metavar is None and not flag:
                param.metavar = (param.name or "value").upper()

    def format_options(self, ctx: Any, formatter: Any) -> None:
        """Write the Arguments and Options sections of the help."""
        args, opts = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                name = (param.metavar or (param.name or "").upper()).strip("[]")
                args.append((name + ("..." if param.nargs != 1 else ""), record[1]))
            else:
                opts.append(record)
        if args:
            with formatter.section("Arguments"):
                formatter.write_dl(args)
        if opts:
            with formatter.section("Options"):
                formatter.write_dl(opts)


class KGTyper(typer.Typer):
    """A Typer whose commands print their examples as written (see :func:`keep_examples`) and
    list their whole first sentence in ``kg --help`` (click would cut it at ~45 characters)."""

    def command(self, name: str | None = None, **kwargs: Any) -> Callable[[F], F]:
        """Register a command; its help is its docstring with the examples kept as written."""
        base = super().command

        def register(function: F) -> F:
            doc = kwargs.pop("help", None) or inspect.getdoc(function) or ""
            text = keep_examples(doc)
            first = " ".join(text.split("\n\n")[0].split())
            kwargs.setdefault("short_help", first)
            kwargs.setdefault("cls", KGCommand)
            return base(name, help=text, **kwargs)(function)

        return register


class _Out(Console):
    """The console for data on stdout: a closed pipe ends the command quietly (see
    :func:`handle_errors`) instead of rich's own ``SystemExit(1)``."""

    def on_broken_pipe(self) -> None:
        """Hand the closed pipe to :func:`handle_errors`."""
        self.quiet = True
        raise BrokenPipeError


def out_console() -> Console:
    """A console on stdout as wide as the terminal (also when stdout is a pipe to ``head`` in
    one), or as ``COLUMNS`` says; with no terminal at all, 100 columns (rich's 80 would
    squeeze tables that a file can hold)."""
    probe = Console()  # its width: COLUMNS, else the size of any standard stream's terminal
    width = probe.width
    if not os.environ.get("COLUMNS") and not any(
        _isatty(stream) for stream in (sys.stdin, sys.stdout, sys.stderr)
    ):
        width = max(width, 100)
    return _Out(width=width, soft_wrap=False)


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, OSError, ValueError):
        return False


def handle_errors(func: F) -> F:
    """Turn KGError into a one-line message and exit 1; Ctrl-C into exit 130; a closed pipe
    (``kg query … | head``) into a quiet exit 0."""

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
        except BrokenPipeError:
            # The reader has what it wanted. Point stdout at /dev/null so the interpreter's
            # last flush cannot fail again, and end quietly.
            try:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
            except (OSError, ValueError):  # no real file descriptor (tests)
                pass
            raise typer.Exit(0) from None

    return wrapper  # type: ignore[return-value]


def bad_value(option: str, message: str) -> Exception:
    """A bad value of ``option``, to raise: reported as click reports one (``kg CMD: error:
    Invalid value for '--to': ...``, exit status 2), not as bad input (exit status 1)."""
    return typer.BadParameter(message, param_hint=f"'{option}'")


def check_choice(option: str, value: str | None, choices: Sequence[str]) -> None:
    """Refuse a ``value`` of ``option`` that is not one of ``choices`` (see :func:`bad_value`)."""
    if value is not None and value not in choices:
        raise bad_value(option, f"{value!r} is not one of {', '.join(choices)}")


def deprecated(old: str, new: str) -> None:
    """Warn, on stderr, that option ``old`` is now spelt ``new``."""
    typer.echo(f"kg: warning: {old} is deprecated; use {new}", err=True)


def alias(value: Any, default: Any, old_value: Any, old: str, new: str) -> Any:
    """The value of an option given either as ``new`` or as its deprecated spelling ``old``."""
    if old_value is None:
        return value
    deprecated(old, new)
    if value != default and value != old_value:
        raise UsageError(f"{old} and {new} say different things; give only {new}")
    return old_value


class _Activity(ProgressColumn):
    """A bar when the stage's total is known, a spinner while it is not, a tick when done."""

    def __init__(self) -> None:
        super().__init__()
        self._bar = BarColumn(bar_width=30)
        self._spinner = SpinnerColumn(finished_text="✓")

    def render(self, task: Task) -> Any:
        """The column for one stage."""
        if task.finished:
            return Text("✓", style="green")
        return self._spinner.render(task) if task.total is None else self._bar.render(task)


class _Count(ProgressColumn):
    """``done/total`` when the total is known, the count alone (with its unit) when not."""

    def render(self, task: Task) -> Text:
        """The column for one stage."""
        unit = task.fields.get("unit", "")
        done = int(task.completed)
        if task.total is not None and not task.fields.get("open_ended"):
            return Text(f"{done:,}/{int(task.total):,} {unit}".rstrip())
        return Text(f"{done:,} {unit}".rstrip() if done or unit else "")


#: The unit each counted build stage counts.
_UNITS = {"extract": "texts"}


def build_progress(console: Console, *, disable: bool = False) -> tuple[Progress, Callable]:
    """A progress display for ``kg build`` and the callback the pipeline reports to.

    A stage whose total is unknown (extraction reads its inputs as it goes) shows a spinner and
    its count, never "726/?"; a stage that reports nothing (the store) shows a spinner and the
    time; a stage is ticked off when the next one starts.
    """
    bar = Progress(
        TextColumn("{task.description:<20}"),
        _Activity(),
        _Count(),
        TimeElapsedColumn(),
        console=console,
        disable=disable,
        transient=True,
    )
    tasks: dict[str, Any] = {}

    def progress(stage: str, done: int, total: int | None) -> None:
        if stage not in tasks:
            for task_id in tasks.values():  # the previous stages are over
                task = bar.tasks[task_id]
                if not task.finished:
                    bar.update(task_id, total=max(task.completed, 1), open_ended=True)
                    bar.update(task_id, completed=max(task.completed, 1))
            tasks[stage] = bar.add_task(stage, total=total, unit=_UNITS.get(stage, ""))
        bar.update(tasks[stage], completed=done, total=total)

    return bar, progress
