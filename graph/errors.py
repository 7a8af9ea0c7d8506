"""One exception hierarchy for the whole package.

Library code raises these; only the CLI turns them into a one-line message and an exit code.
Every message names the file, line or IRI involved and says what to do about it.
"""

from __future__ import annotations

from pathlib import Path


def display_path(path: str) -> str:
    """A file name as messages and outputs show it: undecodable bytes and controls made visible.

    File names are bytes; Python hands undecodable ones over as lone surrogates, which no
    output may hold, and a control character in a name must not reach the terminal.

    >>> display_path("a\\nb.jsonl")
    'a\\\\nb.jsonl'
    """
    if path.isprintable():
        return path
    text = path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


class KGError(Exception):
    """Base class of every error paper-kg raises on purpose."""

    exit_code = 1


class InputError(KGError):
    """An input file, directory or record cannot be read as papers."""

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None):
        self.path = str(path) if path is not None else None
        self.line = line
        where = ""
        if self.path is not None:
            shown = display_path(self.path)
            where = f"{shown}:{line}: " if line is not None else f"{shown}: "
        super().__init__(f"{where}{message}")
        self.message = message


class UnknownFormatError(InputError):
    """The format of an input could not be detected or is not supported."""


class EmptyInputError(InputError):
    """An input holds no papers."""


class OntologyError(KGError):
    """A file in ontology/ (classes, shapes, vocabularies, queries) is missing or malformed."""


class QueryError(KGError):
    """A SPARQL query is invalid, or was refused, or failed."""


class QueryTimeout(QueryError):
    """A SPARQL query ran past its time limit."""


class GraphNotFoundError(KGError):
    """No built graph where one was expected."""


class StateError(GraphNotFoundError):
    """The build state `kg build --update` reads is damaged or belongs to other outputs."""


class ValidationError(KGError):
    """A graph does not conform to ontology/shapes.ttl."""


class OutputError(KGError):
    """An output could not be written."""


class WorkerError(KGError):
    """A worker process died before it finished its work (killed, out of memory, crashed)."""


class BuildInterrupted(KeyboardInterrupt):
    """A build stopped by Ctrl-C or SIGTERM.

    Attributes:
        committed: Whether the new outputs were already in place when it stopped (the swap of
            the output set had happened); if not, the previous outputs are unchanged.
    """

    def __init__(self, committed: bool) -> None:
        super().__init__()
        self.committed = committed
