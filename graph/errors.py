"""One exception hierarchy for the whole package.

Library code raises these; only the CLI turns them into a one-line message and an exit code.
Every message names the file, line or IRI involved and says what to do about it.
"""

from __future__ import annotations

from pathlib import Path


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
            where = f"{self.path}:{line}: " if line is not None else f"{self.path}: "
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


class ValidationError(KGError):
    """A graph does not conform to ontology/shapes.ttl."""


class OutputError(KGError):
    """An output could not be written."""
