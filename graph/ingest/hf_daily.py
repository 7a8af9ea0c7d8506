"""Reader for Hugging Face daily-papers page dumps.

A dump is the page's text: a header ("new", "Get trending papers in your email inbox!",
"Subscribe", sometimes "Daily Papers", "byAK and the research community"), a listing-date line
such as "Mar 14", then title and abstract paragraphs separated by blank lines. A dump may hold
several date lines, each starting the listings of that day.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator

from graph.errors import InputError
from graph.ingest.text import MAX_ABSTRACT_CHARS, clean, shown
from graph.records import Paper, SourceRef

HEADER_LINES = frozenset(
    {
        "new",
        "get trending papers in your email inbox!",
        "subscribe",
        "daily papers",
        "byak and the research community",
    }
)
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
DATE_LINE = re.compile(
    r"^(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?P<day>\d{1,2})"
    r"(?:,?\s+(?P<year>\d{4}))?$",
    re.IGNORECASE,
)
#: A title longer than this is a sign the dump's structure is not what we expect.
MAX_TITLE_CHARS = 1000


def parse_date_line(line: str) -> str | None:
    """Return the ISO date (``2024-03-14``) or month-day (``--03-14``) of a date line, else None.

    A line shaped like a date that names no day of the calendar ("Feb 30", "Mar 32", "Feb 29,
    2023") gives None too; :func:`is_impossible_date_line` tells those apart.
    """
    m = DATE_LINE.match(line.strip())
    if not m:
        return None
    month, day = _MONTHS[m["month"][:3].lower()], int(m["day"])
    try:  # a month-day without a year may be February 29 (2000 is a leap year)
        datetime.date(int(m["year"] or 2000), month, day)
    except ValueError:
        return None
    return f"{m['year']}-{month:02d}-{day:02d}" if m["year"] else f"--{month:02d}-{day:02d}"


def is_impossible_date_line(line: str) -> bool:
    """Whether a line is shaped like a date line but names no calendar day ("Feb 30")."""
    return DATE_LINE.match(line.strip()) is not None and parse_date_line(line) is None


def looks_like_hf_daily(text: str) -> bool:
    """Whether text starts like a daily-papers dump (a header line or a date line up front)."""
    lines = [ln.strip() for ln in text[:2000].split("\n") if ln.strip()][:8]
    return any(ln.lower() in HEADER_LINES for ln in lines[:5]) or any(
        parse_date_line(ln) for ln in lines[:6]
    )


def _paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """Yield (first line number, paragraph text) for blank-line separated paragraphs."""
    start, buf = 0, []
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            if not buf:
                start = number
            buf.append(line.strip())
        elif buf:
            yield start, " ".join(buf)
            buf = []
    if buf:
        yield start, " ".join(buf)


def read_hf_daily(
    text: str,
    path: str,
    on_bad: Callable[[InputError], None] | None = None,
    *,
    title_only: bool = False,
) -> Iterator[Paper]:
    """Read the papers of one daily-papers dump.

    Args:
        text: The dump's decoded text.
        path: Its file name (for sources and messages).
        on_bad: Called with the error of a bad listing to skip it; when None the error is raised.
        title_only: Keep a title without an abstract as a paper, where one can be told apart:
            right before a date line or at the end of the file (refused by default).

    Yields:
        One :class:`Paper` per title/abstract pair, in page order.

    Raises:
        InputError: on a structural problem (no date line, a title without an abstract, a title
            too long to be one) unless ``on_bad`` takes it.
    """
    date: str | None = None
    seen_date = False
    pending: tuple[int, str] | None = None

    def bad(message: str, line: int) -> None:
        err = InputError(message, path=path, line=line)
        if on_bad is None:
            raise err
        on_bad(err)

    def title_alone(reason: str) -> Iterator[Paper]:
        assert pending is not None
        if title_only:
            yield Paper(
                title=clean(pending[1]),
                abstract="",
                source=SourceRef(path, pending[0]),
                listing_date=date,
            )
        else:
            bad(f"title without an abstract ({reason}); --keep-title-only keeps it", pending[0])

    for line, para in _paragraphs(text):
        if not seen_date and para.lower() in HEADER_LINES:
            continue
        day = parse_date_line(para)
        if day is not None or is_impossible_date_line(para):
            if pending is not None:
                yield from title_alone("a date line follows it")
                pending = None
            date, seen_date = day, True
            if day is None:
                bad(
                    f"{shown(para)} is not a day of the calendar; fix the date line, or --skip-bad "
                    "reads its listings without a date",
                    line,
                )
            continue
        if not seen_date:
            bad(
                "text before the listing-date line (e.g. 'Mar 14'); is this a daily-papers dump?",
                line,
            )
            seen_date = True  # report once, then read on
            continue
        if pending is None:
            if len(para) > MAX_TITLE_CHARS:
                bad(
                    f"expected a title but found {len(para)} characters; "
                    "titles and abstracts must alternate, separated by blank lines",
                    line,
                )
                continue
            pending = (line, para)
            continue
        title_line, title = pending
        pending = None
        if len(para) > MAX_ABSTRACT_CHARS:
            bad(
                f"abstract is {len(para)} characters long (limit {MAX_ABSTRACT_CHARS}); "
                "is this a full text?",
                line,
            )
            continue
        yield Paper(
            title=clean(title),
            abstract=clean(para),
            source=SourceRef(path, title_line),
            listing_date=date,
        )
    if pending is not None:
        yield from title_alone("at the end of the file")
