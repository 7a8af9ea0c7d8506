"""Ingest: turn input files, directories, globs or stdin into a stream of :class:`Paper` records.

Formats: ``hf-daily`` (Hugging Face daily-papers page dumps), ``arxiv`` (the arXiv metadata
snapshot's JSON lines), ``jsonl``, ``json`` and ``csv`` (generic records with a title and an
abstract). The format of each file is detected unless one is forced.
"""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from graph.errors import EmptyInputError, InputError, UnknownFormatError, display_path
from graph.ingest.hf_daily import looks_like_hf_daily, read_hf_daily
from graph.ingest.records_io import (
    ARXIV_KEYS,
    loads,
    read_csv,
    read_json,
    read_json_lines,
    read_jsonl,
)
from graph.ingest.text import Notice, TextFile, decode, is_regular_file, read_stream, read_text
from graph.records import Paper

FORMATS: tuple[str, ...] = ("hf-daily", "arxiv", "jsonl", "json", "csv")
_EXTENSIONS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "csv",
}
_READERS = {
    "hf-daily": read_hf_daily,
    "arxiv": read_jsonl,
    "jsonl": read_jsonl,
    "json": read_json,
    "csv": read_csv,
}
#: The formats read line by line from a regular file.
_LINE_FORMATS = frozenset({"arxiv", "jsonl"})
#: File names never read when walking a directory.
_SKIP_NAMES = frozenset({".DS_Store", "Thumbs.db"})

OnBad = Callable[[InputError], None] | None


def expand_inputs(inputs: Iterable[str]) -> list[str]:
    """Expand files, directories (recursively) and glob patterns into a sorted list of files.

    ``-`` stands for standard input and is kept as is.

    Raises:
        InputError: for a path that does not exist or a pattern that matches nothing.
    """
    files: list[str] = []
    for item in inputs:
        if item == "-":
            files.append(item)
            continue
        path = Path(item)
        if path.is_dir():
            found = []
            for root, dirs, names in os.walk(path, onerror=None):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(
                    os.path.join(root, n)
                    for n in names
                    if not n.startswith(".") and n not in _SKIP_NAMES
                )
            if not found:
                raise EmptyInputError("directory holds no files", path=item)
            files.extend(sorted(found))
        elif path.exists():
            files.append(item)
        elif glob.has_magic(item):
            matched = sorted(p for p in glob.glob(item, recursive=True) if Path(p).is_file())
            if not matched:
                raise InputError("pattern matches no file", path=item)
            files.extend(matched)
        else:
            raise InputError("no such file or directory", path=item)
    return files


def detect_format(text: str, path: str) -> str:
    """Detect the format of a file from its name and its first characters.

    Raises:
        UnknownFormatError: if the content matches no known format.
    """
    head = text.lstrip()[:4096]
    ext = _EXTENSIONS.get(Path(path).suffix.lower())
    if head.startswith("{") or (ext == "jsonl" and head):
        first = head.split("\n", 1)[0]
        try:
            keys = {k.lower() for k in loads(first)}
        except (ValueError, AttributeError, TypeError, RecursionError):
            keys = set()
        if keys >= ARXIV_KEYS:
            return "arxiv"
        if ext == "json" and not keys:
            return "json"
        return "jsonl"
    if head.startswith("[") or ext == "json":
        return "json"
    if ext == "csv":
        return "csv"
    if looks_like_hf_daily(head):
        return "hf-daily"
    first_line = head.split("\n", 1)[0].lower()
    if any(sep in first_line for sep in ",\t;") and "title" in first_line:
        return "csv"
    raise UnknownFormatError(
        "cannot tell the format (expected a daily-papers dump, JSON lines, a JSON array or a CSV "
        f"with title and abstract columns); force one with --from {{{','.join(FORMATS)}}}",
        path=path,
    )


def read_file(
    path: str,
    fmt: str | None = None,
    on_bad: OnBad = None,
    *,
    title_only: bool = False,
    notice: Notice = None,
) -> Iterator[Paper]:
    """Read one file (or ``-`` for stdin) as papers.

    Args:
        path: The file name, or ``-``.
        fmt: Force a format (one of :data:`FORMATS`); detected when None.
        on_bad: Called with each bad record's error to skip it; when None the error is raised.
        title_only: Keep records with a title but no abstract (refused by default).
        notice: Called with a status line while kg waits (for a FIFO's writer).

    Raises:
        InputError: if the file cannot be read, its format is unknown, or it holds no paper.
    """
    if fmt is not None and fmt not in _READERS:
        raise UnknownFormatError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    name = "<stdin>" if path == "-" else display_path(path)
    if (fmt is None or fmt in _LINE_FORMATS) and is_regular_file(path):
        # A regular file is streamed: JSON lines (the large inputs) are read line by line.
        source = TextFile(Path(path))
        if not source.head.strip():
            raise EmptyInputError("file is empty", path=name)
        fmt = fmt or detect_format(source.head, name)
        papers = (
            read_json_lines(source.lines(), name, on_bad, title_only=title_only)
            if fmt in _LINE_FORMATS
            else _READERS[fmt](source.text(), name, on_bad, title_only=title_only)
        )
    else:
        if path == "-":
            text = decode(read_stream(sys.stdin.buffer, name), name)
        else:
            text = read_text(Path(path), notice)
        if not text.strip():
            raise EmptyInputError("file is empty", path=name)
        reader = _READERS[fmt or detect_format(text, name)]
        papers = reader(text, name, on_bad, title_only=title_only)
    count = 0
    for paper in papers:
        count += 1
        yield paper
    if count == 0 and on_bad is None:
        raise EmptyInputError(
            "holds no paper with a title" + ("" if title_only else " and an abstract"), path=name
        )


def read_inputs(
    inputs: Iterable[str],
    fmt: str | None = None,
    on_bad: OnBad = None,
    *,
    title_only: bool = False,
    notice: Notice = None,
) -> Iterator[Paper]:
    """Read papers from every input in turn (see :func:`expand_inputs` and :func:`read_file`).

    With ``on_bad`` set, unreadable files are reported to it and skipped as well as bad records.
    """
    for path in expand_inputs(inputs):
        try:
            yield from read_file(path, fmt, on_bad, title_only=title_only, notice=notice)
        except InputError as err:
            if on_bad is None:
                raise
            on_bad(err)
