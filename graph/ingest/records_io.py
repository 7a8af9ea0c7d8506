"""Readers for record-shaped inputs: the arXiv metadata snapshot, generic JSONL, JSON and CSV.

Field names are matched case-insensitively. A record needs a title and an abstract; id, date,
url and authors are optional.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from graph.errors import InputError
from graph.ingest.text import MAX_ABSTRACT_CHARS, clean
from graph.records import Paper, SourceRef

TITLE_FIELDS = ("title", "paper_title", "name")
ABSTRACT_FIELDS = ("abstract", "summary", "abstract_text", "paper_abstract", "description")
ID_FIELDS = ("arxiv_id", "arxiv", "id", "paper_id", "identifier")
DATE_FIELDS = ("date", "published", "publication_date", "update_date", "published_at", "year")
URL_FIELDS = ("url", "link", "pdf_url", "abs_url")
AUTHOR_FIELDS = ("authors", "author", "creators")
CATEGORY_FIELDS = ("categories", "category", "subjects")
#: Keys that mark a record of the arXiv metadata snapshot.
ARXIV_KEYS = frozenset({"id", "title", "abstract", "update_date"})

MAX_TITLE_CHARS = 1000
_ARXIV_NEW = re.compile(r"^(?:arxiv:)?(\d{4}\.\d{4,5})(?:v\d+)?$", re.IGNORECASE)
_ARXIV_OLD = re.compile(r"^(?:arxiv:)?([a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$", re.IGNORECASE)
_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/([^\s?#]+?)(?:v\d+)?(?:\.pdf)?$", re.IGNORECASE)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")

OnBad = Callable[[InputError], None] | None


def normalise_arxiv_id(value: str) -> str | None:
    """Return the arXiv identifier in ``value`` without its version, or None.

    >>> normalise_arxiv_id("arXiv:2402.16445v2")
    '2402.16445'
    >>> normalise_arxiv_id("https://arxiv.org/abs/hep-th/9901001")
    'hep-th/9901001'
    """
    value = value.strip()
    m = _ARXIV_URL.search(value)
    if m:
        value = m.group(1)
    for pattern in (_ARXIV_NEW, _ARXIV_OLD):
        m = pattern.match(value)
        if m:
            return m.group(1)
    return None


def _lower_keys(record: Mapping[str, Any]) -> dict[str, Any]:
    return {str(k).strip().lower(): v for k, v in record.items()}


def _first(record: Mapping[str, Any], names: Iterable[str]) -> Any:
    for name in names:
        value = record.get(name)
        if value not in (None, ""):
            return value
    return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(_text(v) for v in value)
    return clean(str(value))


def _authors(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        names = []
        for item in value:
            if isinstance(item, list):  # arXiv's authors_parsed: [last, first, suffix]
                names.append(
                    clean(" ".join(str(p) for p in (item[1:2] + item[:1] + item[2:]) if p))
                )
            elif isinstance(item, Mapping):
                names.append(_text(item.get("name") or item.get("full_name") or ""))
            else:
                names.append(_text(item))
        return tuple(n for n in names if n)
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+|;\s*", _text(value))
    return tuple(p for p in (clean(x) for x in parts) if p)


def _date(value: Any) -> str | None:
    if value is None:
        return None
    m = _ISO_DATE.match(str(value).strip())
    return f"{m[1]}-{m[2]}-{m[3]}" if m else None


def paper_from_record(record: Mapping[str, Any], path: str, line: int) -> Paper:
    """Turn one record (a JSON object or a CSV row) into a :class:`Paper`.

    Raises:
        InputError: if the record has no title or no abstract, or is not an object.
    """
    if not isinstance(record, Mapping):
        raise InputError(
            f"expected an object with title and abstract, got {type(record).__name__}",
            path=path,
            line=line,
        )
    rec = _lower_keys(record)
    title = _text(_first(rec, TITLE_FIELDS))
    abstract = _text(_first(rec, ABSTRACT_FIELDS))
    if not title:
        raise InputError(
            "record has no title (fields tried: title, paper_title, name)", path=path, line=line
        )
    if len(title) > MAX_TITLE_CHARS:
        raise InputError(
            f"title is {len(title)} characters long (limit {MAX_TITLE_CHARS})", path=path, line=line
        )
    if not abstract:
        raise InputError(
            "record has no abstract (fields tried: abstract, summary)", path=path, line=line
        )
    if len(abstract) > MAX_ABSTRACT_CHARS:
        raise InputError(
            f"abstract is {len(abstract)} characters long (limit {MAX_ABSTRACT_CHARS}); "
            "is this a full text?",
            path=path,
            line=line,
        )
    arxiv_id = None
    for value in (_first(rec, ID_FIELDS), _first(rec, URL_FIELDS), rec.get("doi")):
        if value is not None and (arxiv_id := normalise_arxiv_id(str(value))):
            break
    url = _first(rec, URL_FIELDS)
    categories = _first(rec, CATEGORY_FIELDS)
    if isinstance(categories, str):
        categories = categories.split()
    return Paper(
        title=title,
        abstract=abstract,
        source=SourceRef(path, line),
        arxiv_id=arxiv_id,
        date=_date(_first(rec, DATE_FIELDS)),
        url=str(url).strip() if url else None,
        authors=_authors(rec.get("authors_parsed") or _first(rec, AUTHOR_FIELDS)),
        categories=tuple(str(c) for c in categories or ()),
    )


def _emit(record: Any, path: str, line: int, on_bad: OnBad) -> Iterator[Paper]:
    try:
        yield paper_from_record(record, path, line)
    except InputError as err:
        if on_bad is None:
            raise
        on_bad(err)


def read_jsonl(text: str, path: str, on_bad: OnBad = None) -> Iterator[Paper]:
    """Read JSON Lines (one object per line; the arXiv snapshot is such a file).

    Yields:
        One :class:`Paper` per non-blank line.

    Raises:
        InputError: on a line that is not JSON or lacks a title/abstract, unless ``on_bad``
            takes it.
    """
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            detail = (
                f"{exc.msg} at column {exc.colno}"
                if isinstance(exc, json.JSONDecodeError)
                else "nested too deeply"
            )
            err = InputError(f"not valid JSON ({detail})", path=path, line=number)
            if on_bad is None:
                raise err from exc
            on_bad(err)
            continue
        yield from _emit(record, path, number, on_bad)


def read_json(text: str, path: str, on_bad: OnBad = None) -> Iterator[Paper]:
    """Read a JSON array of objects (or an object holding one under "papers"/"data"/"items").

    Raises:
        InputError: if the file is not JSON or holds no array of records.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg})", path=path, line=exc.lineno) from exc
    except RecursionError as exc:
        raise InputError("not valid JSON (nested too deeply)", path=path, line=1) from exc
    if isinstance(data, Mapping):
        data = next((data[k] for k in ("papers", "data", "items", "records") if k in data), [data])
    if not isinstance(data, list):
        raise InputError("expected a JSON array of paper objects", path=path, line=1)
    # JSON arrays carry no per-record line numbers; the 1-based record index stands in for one.
    for index, record in enumerate(data, 1):
        yield from _emit(record, path, index, on_bad)


def read_csv(text: str, path: str, on_bad: OnBad = None) -> Iterator[Paper]:
    """Read a CSV (or TSV) file with a header row holding title and abstract columns.

    Raises:
        InputError: if the header has no title or no abstract column.
    """
    # csv.Sniffer misreads quoted fields; the header line alone tells the delimiter reliably.
    header_line = text.split("\n", 1)[0]
    delimiter = max("\t,;|", key=lambda d: (header_line.count(d), d == ","))
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = {(name or "").strip().lower() for name in reader.fieldnames or ()}
    for needed, names in (("title", TITLE_FIELDS), ("abstract", ABSTRACT_FIELDS)):
        if not header & set(names):
            raise InputError(
                f"CSV header has no {needed} column (found: {', '.join(sorted(header)) or 'none'})",
                path=path,
                line=1,
            )
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            err = InputError(f"malformed CSV ({exc})", path=path, line=reader.line_num)
            if on_bad is None:
                raise err from exc
            on_bad(err)
            continue
        yield from _emit(row, path, reader.line_num, on_bad)
