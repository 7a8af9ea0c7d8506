"""Merging listings into papers: every listing of the same paper becomes one record.

Listings are one paper when they share an arXiv id and their titles agree, or, without an id,
when their titles agree. Titles agree when they are equal but for case, whitespace and
punctuation: letters, digits and symbols count, so "Parsing C++ with BERT" and "Parsing C with
BERT" stay two papers. Listings of one arXiv id that disagree on the title are kept as one
paper per title (both texts are kept and extracted), and the disagreement is reported.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from graph.iri import name_key, paper_key
from graph.records import Paper, PaperRecord, SourceRef

#: Characters outside letters and digits that make titles differ: Unicode symbols (S*: + $ ^ =
#: < > | ~ ...) and the punctuation that names things (C#, 50%, Q&A, A*, @).
_MEANINGFUL = frozenset("#%&*@")
_ASCII_MEANINGFUL = re.compile(r"[$+<=>^`|~#%&*@]")


def _meaningful(ch: str) -> bool:
    return ch.isalnum() or ch in _MEANINGFUL or unicodedata.category(ch)[0] == "S"


def title_key(title: str) -> str:
    """The key titles are merged on: case, whitespace and punctuation aside, letters, digits
    and symbols in order.

    >>> title_key("Parsing C++ with BERT") == title_key("parsing  C++ with BERT.")
    True
    >>> title_key("Parsing C++ with BERT") == title_key("Parsing C with BERT")
    False
    """
    if title.isascii() and not _ASCII_MEANINGFUL.search(title):
        return name_key(title)  # most titles: the same as the (cached) name key
    folded = unicodedata.normalize("NFKC", title).casefold()
    return "".join(ch for ch in folded if _meaningful(ch))


#: What merging reads of a listing: a :class:`Paper`, or a stand-in with the same attributes.
Listing = Any


def _choice(p: Listing) -> tuple[int, str, str, SourceRef]:
    """Which listing of a paper is kept: by content (longest abstract, then text), never by
    position."""
    return (-len(p.abstract), p.title, p.abstract, p.source)


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def _shown(p: Listing) -> str:
    return f"{p.title!r} ({p.source})"


def merge_listings(
    papers: Iterable[Paper], conflicts: list[str] | None = None
) -> list[PaperRecord]:
    """Merge every listing of the same paper into one record, whatever the input order.

    A listing without an id joins the listings with an id whose title agrees with its own.
    Paper keys come from the arXiv id or the title (:func:`graph.iri.paper_key`); where two
    papers would get one key (one arXiv id, two titles; or titles that differ only in
    symbols), the one the kept listing or the title without symbols belongs to keeps it and
    the others get a suffix from their title.

    Args:
        papers: The listings.
        conflicts: If given, a message is appended for each arXiv id whose listings disagree
            on the title, and for each pair of titles told apart by their symbols alone.

    Returns:
        The papers, sorted by key.
    """
    records = []
    for key, arxiv_id, group in merge_groups(papers, conflicts):
        chosen = choose(group)
        if arxiv_id != chosen.arxiv_id:
            chosen = replace(chosen, arxiv_id=arxiv_id)
        records.append(
            PaperRecord(
                key=key,
                paper=chosen,
                sources=sorted({p.source for p in group}),
                listing_dates=sorted({p.listing_date for p in group if p.listing_date}),
            )
        )
    return records


def choose(group: list[Listing]) -> Listing:
    """The listing of a paper that is kept (see :func:`_choice`)."""
    return group[0] if len(group) == 1 else min(group, key=_choice)


def merge_groups(
    papers: Iterable[Listing], conflicts: list[str] | None = None
) -> list[tuple[str, str | None, list[Listing]]]:
    """The listings of each paper, as :func:`merge_listings` groups them.

    ``papers`` need only what merging reads (title, arXiv id, source, listing date; the
    abstract only to choose between listings of one paper), so a build can merge stand-ins
    for listings it keeps on disk.

    Returns:
        ``(paper key, arXiv id, listings)`` per paper, sorted by key.
    """
    listings = list(papers)
    # Title key -> the smallest arXiv id of a listing with that title; only listings without an
    # id look it up, and most corpora have none.
    id_of_title: dict[str, str] = {}
    if not all(p.arxiv_id for p in listings):
        for p in listings:
            if p.arxiv_id:
                key = title_key(p.title)
                id_of_title[key] = min(id_of_title.get(key, p.arxiv_id), p.arxiv_id)
    # arXiv id -> its listings; without one, the title's paper key -> title key -> listings
    by_id: dict[str, list[Listing]] = {}
    by_title: dict[str, dict[str, list[Listing]]] = {}
    for p in listings:
        arxiv_id = p.arxiv_id
        if not arxiv_id and id_of_title:
            arxiv_id = id_of_title.get(title_key(p.title))
        if arxiv_id:
            by_id.setdefault(arxiv_id, []).append(p)
        else:
            key = title_key(p.title)
            by_title.setdefault(paper_key(p.title, None), {}).setdefault(key, []).append(p)
    del listings, id_of_title

    groups: list[tuple[str, str | None, list[Listing]]] = []  # (paper key, arXiv id, listings)
    for arxiv_id, members in by_id.items():
        base = paper_key("", arxiv_id)
        variants: dict[str, list[Listing]] = {}
        if len(members) > 1:
            for p in members:
                variants.setdefault(title_key(p.title), []).append(p)
        if len(variants) <= 1:  # one title (most ids have one listing)
            groups.append((base, arxiv_id, members))
            continue
        main = title_key(choose(members).title)
        for key, group in variants.items():
            groups.append((base if key == main else f"{base}-{_digest(key)}", arxiv_id, group))
        if conflicts is not None:
            shown = "; ".join(_shown(choose(g)) for _, g in sorted(variants.items()))
            conflicts.append(
                f"arXiv {arxiv_id}: listings disagree on the title, kept as "
                f"{len(variants)} papers: {shown}"
            )
    for base, variants in by_title.items():
        for key, group in variants.items():
            plain = key == name_key(group[0].title)
            groups.append(
                (base if plain or len(variants) == 1 else f"{base}-{_digest(key)}", None, group)
            )
        if len(variants) > 1 and conflicts is not None:
            shown = "; ".join(_shown(choose(g)) for _, g in sorted(variants.items()))
            conflicts.append(f"titles that differ only in symbols, kept apart: {shown}")
    groups.sort(key=lambda g: g[0])
    return groups
