"""Readers for record-shaped inputs: the arXiv metadata snapshot, generic JSONL, JSON and CSV.

Field names are matched case-insensitively. A record needs a title and an abstract (or, with
``title_only``, just a title); id, date or year, url, authors and categories are optional. A
field that is there must hold what kg expects, or the record is bad (see
:func:`paper_from_record`).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

import pyoxigraph as ox

from graph.errors import InputError
from graph.ingest.text import MAX_ABSTRACT_CHARS, clean, shown
from graph.records import Paper, SourceRef

TITLE_FIELDS = ("title", "paper_title", "name")
ABSTRACT_FIELDS = ("abstract", "summary", "abstract_text", "paper_abstract", "description")
ID_FIELDS = ("arxiv_id", "arxiv", "id", "paper_id", "identifier")
DATE_FIELDS = ("date", "published", "publication_date", "update_date", "published_at", "year")
URL_FIELDS = ("url", "link", "pdf_url", "abs_url")
EXTERNAL_ID_FIELDS = ("externalids", "external_ids")
AUTHOR_FIELDS = ("authors", "author", "creators")
CATEGORY_FIELDS = ("categories", "category", "subjects")
#: Keys that mark a record of the arXiv metadata snapshot.
ARXIV_KEYS = frozenset({"id", "title", "abstract", "update_date"})

MAX_TITLE_CHARS = 1000
_ARXIV_NEW = re.compile(r"^(?:arxiv:)?(\d{4}\.\d{4,5})(?:v\d+)?$", re.IGNORECASE)
_ARXIV_OLD = re.compile(r"^(?:arxiv:)?([a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$", re.IGNORECASE)
_ARXIV_URL = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf)/|^10\.48550/arxiv\.)([^\s?#]+?)(?:v\d+)?(?:\.pdf)?$",
    re.IGNORECASE,
)
_ISO_DATE = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")

OnBad = Callable[[InputError], None] | None


def normalise_arxiv_id(value: str) -> str | None:
    """Return the arXiv identifier in ``value`` without its version, or None.

    >>> normalise_arxiv_id("arXiv:2402.16445v2")
    '2402.16445'
    >>> normalise_arxiv_id("https://arxiv.org/abs/hep-th/9901001")
    'hep-th/9901001'
    >>> normalise_arxiv_id("10.48550/arXiv.2106.09685")
    '2106.09685'
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


#: Integers with more digits are not parsed (no id or year has so many; Python refuses to
#: parse ints of over 4,300 digits at all).
_MAX_INT_DIGITS = 64


class _Huge:
    """A JSON integer too long to be any field kg reads (Python refuses to parse such ints)."""

    def __init__(self, digits: int) -> None:
        self.digits = digits


class _NonFinite:
    """JSON's non-standard ``NaN``, ``Infinity`` or ``-Infinity``, which no field may hold."""

    def __init__(self, text: str) -> None:
        self.text = text


def _int(text: str) -> int | _Huge:
    return int(text) if len(text) <= _MAX_INT_DIGITS else _Huge(len(text.lstrip("-")))


#: Parses JSON for the readers: raw control characters in strings are allowed (and cleaned
#: later); floats keep their exact text (``2401.10010`` must not lose its final zero); numbers
#: too long to be read and NaN/Infinity become markers, so a record holding one in a field kg
#: reads is a bad record, not a crash.
_DECODER = json.JSONDecoder(
    strict=False, parse_int=_int, parse_float=Decimal, parse_constant=_NonFinite
)


def loads(text: str) -> Any:
    """Parse JSON as the readers do (see :data:`_DECODER`).

    Raises:
        json.JSONDecodeError: if the text is not JSON.
        RecursionError: if it is nested too deeply.
    """
    return _DECODER.decode(text)


class _BadField(Exception):
    """A field kg reads holds something it cannot read; the record is bad."""


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, _NonFinite):
        return value.text
    if isinstance(value, _Huge):
        return f"a number of {value.digits} digits"
    if isinstance(value, int | Decimal):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def _wrong(name: str, value: Any, expected: str) -> _BadField:
    return _BadField(f"field {name!r} holds {_kind(value)}; expected {expected}")


def _lower_keys(record: Mapping[str, Any]) -> dict[str, Any]:
    return {str(k).strip().lower(): v for k, v in record.items()}


def _first(record: Mapping[str, Any], names: Iterable[str]) -> tuple[str, Any]:
    for name in names:
        value = record.get(name)
        if value is not None and not (isinstance(value, str) and value == ""):
            return name, value
    return "", None


def _text(record: Mapping[str, Any], names: Iterable[str], *, lists: bool = False) -> str:
    """The first of ``names`` present, cleaned; it must be text (or, with ``lists``, a list
    of text, joined)."""
    name, value = _first(record, names)
    if value is None:
        return ""
    if isinstance(value, str):
        return clean(value)
    if lists and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return clean(" ".join(value))
    raise _wrong(name, value, "text or a list of text" if lists else "text")


def _number_text(name: str, value: Any) -> str:
    """An identifier given as text or as a number, as text."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    raise _wrong(name, value, "text or a number")


def _arxiv_id(rec: Mapping[str, Any]) -> str | None:
    for names in (ID_FIELDS, URL_FIELDS, ("doi",)):
        name, value = _first(rec, names)
        if value is not None and (arxiv_id := normalise_arxiv_id(_number_text(name, value))):
            return arxiv_id
    for name in EXTERNAL_ID_FIELDS:  # Semantic Scholar: "externalIds": {"ArXiv": "2106.09685"}
        ids = rec.get(name)
        if isinstance(ids, Mapping):
            for key, value in ids.items():
                if str(key).lower() == "arxiv" and value is not None:
                    return normalise_arxiv_id(_number_text(f"{name}.{key}", value))
    return None


def _names(name: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        parts = re.split(r",\s*(?:and\s+)?|\s+and\s+|;\s*", clean(value))
        return tuple(p for p in (clean(x) for x in parts) if p)
    if not isinstance(value, list):
        raise _wrong(name, value, "text or a list of names")
    names = []
    for item in value:
        if isinstance(item, list):  # arXiv's authors_parsed: [last, first, suffix]
            if not all(isinstance(p, str) for p in item):
                raise _wrong(name, item, "a list of text for each author")
            names.append(clean(" ".join(p for p in (item[1:2] + item[:1] + item[2:]) if p)))
        elif isinstance(item, Mapping):
            full = item.get("name") or item.get("full_name") or ""
            if not isinstance(full, str):
                raise _wrong(f"{name}[].name", full, "text")
            names.append(clean(full))
        elif isinstance(item, str):
            names.append(clean(item))
        else:
            raise _wrong(name, item, "text for each author")
    return tuple(n for n in names if n)


def _categories(name: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(clean(value).split())
    if isinstance(value, list) and all(isinstance(c, str) for c in value):
        return tuple(c for c in (clean(c) for c in value) if c)
    raise _wrong(name, value, "text or a list of text")


def _date(rec: Mapping[str, Any]) -> str | None:
    """The first date field that holds a date: ``YYYY-MM-DD``, ``YYYY-MM`` or a year ``YYYY``.

    Values in no date format kg knows are passed over; a date that does not exist (February 30)
    or a value of the wrong type makes the record bad.
    """
    for name in DATE_FIELDS:
        value = rec.get(name)
        if value is None or value == "":
            continue
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            if value == int(value) and 1000 <= value <= 9999:
                return f"{int(value):04d}"
            continue
        if not isinstance(value, str):
            raise _wrong(name, value, "a date (YYYY-MM-DD) or a year")
        text = value.strip()
        m = _ISO_DATE.match(text)
        # "2024-05-01", "2024-05-01T10:00:00Z", "2024-05", "2024"; not "2024 was a year".
        rest = text[m.end() :] if m else None
        if m is None or not (rest == "" or (m["day"] and rest[0] in "T ")):
            continue
        year, month, day = m["year"], m["month"], m["day"]
        try:
            datetime.date(int(year), int(month or 1), int(day or 1))
        except ValueError:
            raise _BadField(
                f"field {name!r} holds {shown(text)}, which is not a calendar date"
            ) from None
        return "-".join(p for p in (year, month, day) if p)
    return None


def _url(rec: Mapping[str, Any]) -> str | None:
    """The landing-page URL, when it is one; a URL no IRI can hold makes the record bad."""
    name, value = _first(rec, URL_FIELDS)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _wrong(name, value, "text")
    url = value.strip()
    if not _SCHEME.match(url):
        return None  # not an absolute URL ("example.org/x"): not written, as before
    try:
        ox.NamedNode(url)
    except (ValueError, UnicodeError) as exc:
        raise _BadField(
            f"field {name!r} holds {shown(url)}, which is not a valid URL ({shown(str(exc), 60)})"
        ) from None
    return url


def paper_from_record(
    record: Mapping[str, Any], path: str, line: int, *, title_only: bool = False
) -> Paper:
    """Turn one record (a JSON object or a CSV row) into a :class:`Paper`.

    Every text field is cleaned (see :func:`graph.ingest.text.clean`). A field kg reads must
    hold what it expects: text for the title; text or a list of text for the abstract, authors
    and categories; text or a number for ids and years.

    Args:
        record: The record.
        path: Its file, for the paper's source and messages.
        line: Its line (or, in a JSON array, its 1-based index).
        title_only: Keep a record that has a title but no abstract (refused by default).

    Raises:
        InputError: if the record has no title (or no abstract), is not an object, or a field
            it has holds something that cannot be read.
    """
    if not isinstance(record, Mapping):
        raise InputError(
            f"expected an object with title and abstract, got {_kind(record)}",
            path=path,
            line=line,
        )
    rec = _lower_keys(record)
    try:
        title = _text(rec, TITLE_FIELDS)
        abstract = _text(rec, ABSTRACT_FIELDS, lists=True)
        if not title:
            raise _BadField("record has no title (fields tried: title, paper_title, name)")
        if len(title) > MAX_TITLE_CHARS:
            raise _BadField(f"title is {len(title)} characters long (limit {MAX_TITLE_CHARS})")
        if not abstract and not title_only:
            raise _BadField(
                "record has no abstract (fields tried: abstract, summary); "
                "--keep-title-only keeps such records"
            )
        if len(abstract) > MAX_ABSTRACT_CHARS:
            raise _BadField(
                f"abstract is {len(abstract)} characters long (limit {MAX_ABSTRACT_CHARS}); "
                "is this a full text?"
            )
        authors = rec.get("authors_parsed")
        author_field = "authors_parsed"
        if authors in (None, [], ""):
            author_field, authors = _first(rec, AUTHOR_FIELDS)
        category_field, categories = _first(rec, CATEGORY_FIELDS)
        return Paper(
            title=title,
            abstract=abstract,
            source=SourceRef(path, line),
            arxiv_id=_arxiv_id(rec),
            date=_date(rec),
            url=_url(rec),
            authors=_names(author_field, authors),
            categories=_categories(category_field, categories),
        )
    except _BadField as exc:
        raise InputError(str(exc), path=path, line=line) from None


def _report(err: InputError, on_bad: OnBad, cause: BaseException | None = None) -> None:
    """Raise ``err`` (from ``cause``), or hand it to ``on_bad`` to skip the record."""
    if on_bad is None:
        raise err from cause
    on_bad(err)


def _emit(record: Any, path: str, line: int, on_bad: OnBad, title_only: bool) -> Iterator[Paper]:
    try:
        yield paper_from_record(record, path, line, title_only=title_only)
    except InputError as err:
        if on_bad is None:
            raise
        on_bad(err)


def read_jsonl(
    text: str, path: str, on_bad: OnBad = None, *, title_only: bool = False
) -> Iterator[Paper]:
    """Read JSON Lines (one object per line; the arXiv snapshot is such a file).

    Yields:
        One :class:`Paper` per non-blank line.

    Raises:
        InputError: on a line that is not JSON or lacks a title/abstract, unless ``on_bad``
            takes it.
    """
    yield from read_json_lines(text.split("\n"), path, on_bad, title_only=title_only)


def read_json_lines(
    lines: Iterable[str], path: str, on_bad: OnBad = None, *, title_only: bool = False
) -> Iterator[Paper]:
    """Read JSON Lines given line by line (without line ends), as :func:`read_jsonl` does."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            detail = (
                f"{exc.msg} at column {exc.colno}"
                if isinstance(exc, json.JSONDecodeError)
                else "nested too deeply"
            )
            _report(InputError(f"not valid JSON ({detail})", path=path, line=number), on_bad, exc)
            continue
        yield from _emit(record, path, number, on_bad, title_only)


def read_json(
    text: str, path: str, on_bad: OnBad = None, *, title_only: bool = False
) -> Iterator[Paper]:
    """Read a JSON array of objects (or an object holding one under "papers"/"data"/"items").

    Raises:
        InputError: if the file is not JSON or holds no array of records.
    """
    try:
        data = loads(text)
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
        yield from _emit(record, path, index, on_bad, title_only)


def read_csv(
    text: str, path: str, on_bad: OnBad = None, *, title_only: bool = False
) -> Iterator[Paper]:
    """Read a CSV (or TSV) file with a header row holding title and abstract columns.

    Raises:
        InputError: if the header has no title or no abstract column.
    """
    # csv.Sniffer misreads quoted fields; the header line alone tells the delimiter reliably.
    header_line = text.split("\n", 1)[0]
    delimiter = max("\t,;|", key=lambda d: (header_line.count(d), d == ","))
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = {(name or "").strip().lower() for name in reader.fieldnames or ()}
    needs = [("title", TITLE_FIELDS)] + ([] if title_only else [("abstract", ABSTRACT_FIELDS)])
    for needed, names in needs:
        if not header & set(names):
            raise InputError(
                f"CSV header has no {needed} column (found: {', '.join(sorted(header)) or 'none'})",
                path=path,
                line=1,
            )
    text_columns = [
        name
        for name in reader.fieldnames or ()
        if (name or "").strip().lower() in (*TITLE_FIELDS, *ABSTRACT_FIELDS)
    ]
    while True:
        first = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            err = InputError(f"malformed CSV ({exc})", path=path, line=reader.line_num)
            _report(err, on_bad, exc)
            continue
        if reader.line_num > first and any(row.get(c) is None for c in text_columns):
            # A record over several lines that still lacks its title or abstract: a quote
            # never closed swallowed the lines after it ("unterminated,We fine-tune ...).
            message = (
                f"malformed CSV: a quoted field opened on line {first} runs to line "
                f"{reader.line_num}, and the record still has no title or abstract; close the "
                "quote where the field ends (a quote inside a field is written as two)"
            )
            _report(InputError(message, path=path, line=first), on_bad)
            continue
        yield from _emit(row, path, reader.line_num, on_bad, title_only)
