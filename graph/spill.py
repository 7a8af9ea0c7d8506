"""A build's listings and extractions on disk, so the main process holds only what merging and
resolution read.

`kg build` reads every listing and extracts every distinct text before it can merge, resolve
and write anything; holding a million papers' texts and extractions until then took 6.4 GiB.
Instead each listing is written, as it is read, to a file of state lines
(:func:`graph.state.listing_line`), and each extraction, as a worker returns it, to another
(:func:`graph.state.extraction_line`). The main process keeps a :class:`Listing` stand-in per
listing (what merging reads) and, per distinct text, the cut-down mentions resolution reads
(:class:`graph.resolve.MentionKey`). The state is those same lines copied out, and the Turtle
writer reads each paper back as it writes it.

The files live in a staging directory of the build's output directory, which the build
removes when it ends, however it ends (and the next build, if this one was killed).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from array import array
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from graph.merge import choose, merge_groups
from graph.records import Extraction, Paper, PaperRecord, Relation
from graph.resolve import Link, MentionKey, Resolution, Statement
from graph.state import (
    KnownExtractions,
    extraction_from_row,
    extraction_line,
    listing_line,
    paper_from_listing,
)

LISTINGS_FILE = "listings.jsonl"
EXTRACTIONS_FILE = "extractions.jsonl"
_READ_CHUNK = 1 << 20


class Listing:
    """What merging reads of a listing kept on disk; the abstract is read back if needed.

    ``number`` is the listing's place in the order read, ``text`` the number of its distinct
    (title, abstract). Merging may set ``arxiv_id`` (the id a paper's listings share).
    """

    __slots__ = ("_spill", "arxiv_id", "listing_date", "number", "source", "text", "title")

    def __init__(self, p: Paper, number: int, text: int, spill: Spill) -> None:
        self.title = p.title
        self.arxiv_id = p.arxiv_id
        self.source = p.source
        self.listing_date = p.listing_date
        self.number = number
        self.text = text
        self._spill = spill

    @property
    def abstract(self) -> str:
        """The abstract, read back (merging reads it only to choose between listings)."""
        return self._spill.paper(self.number).abstract

    def merged(self) -> None:
        """Merging is done: drop what only merging reads (the paper is read back whole)."""
        self.title = self.source = self.listing_date = None

    def paper(self) -> Paper:
        """The listing as read, with the arXiv id merging gave it."""
        p = self._spill.paper(self.number)
        return p if p.arxiv_id == self.arxiv_id else replace(p, arxiv_id=self.arxiv_id)


class Spill:
    """The listings and extractions of one build, in files in ``directory``.

    Args:
        directory: An empty directory of the build's own.
        known: Extractions already made (``--update``): an earlier build's state read by
            :func:`graph.state.open_state`.
    """

    def __init__(self, directory: Path, known: KnownExtractions | None = None) -> None:
        self.directory = directory
        self._known = known
        self._listing_file = (directory / LISTINGS_FILE).open("w+b")
        self._row_file = (directory / EXTRACTIONS_FILE).open("w+b")
        #: Every distinct listing, in the order read.
        self.listings: list[Listing] = []
        #: Per distinct text: the mentions resolution reads, with the aliases and relations.
        self.extractions: list[Extraction | None] = []
        self._listing_at = array("q", [0])  # listing n is bytes [at[n], at[n + 1])
        self._row_at = array("q")  # per text, where its line starts, and its length
        self._row_length = array("q")
        self._row_end = 0
        self._seen: set[bytes] = set()  # digests of the listings' lines
        self._texts: dict[bytes, int] = {}  # digest of (title, abstract) -> text number
        self._todo: dict[int, tuple[int, Paper, str]] = {}  # ordinal sent -> text, listing, hash
        self._sent = 0
        self._strings: dict[str, str] = {}

    def add(self, p: Paper) -> Paper | None:
        """Keep a listing read (unless the same listing was read before).

        Returns:
            The listing, if its text is to be extracted: the first listing with this title and
            abstract, and no extraction of them known. Its extraction is to be given to
            :meth:`extracted` with the number of listings returned before it.
        """
        line = listing_line(p)
        digest = hashlib.blake2b(line, digest_size=16).digest()
        if digest in self._seen:
            return None  # the same file read twice adds no listing
        self._seen.add(digest)
        self._listing_file.write(line)
        self._listing_at.append(self._listing_at[-1] + len(line))
        text_digest = hashlib.sha1(f"{p.title}\n\n{p.abstract}".encode()).digest()
        text = self._texts.get(text_digest)
        new = text is None
        if new:
            text = self._texts[text_digest] = len(self.extractions)
            self.extractions.append(None)
            self._row_at.append(-1)
            self._row_length.append(0)
        self.listings.append(Listing(p, len(self.listings), text, self))
        if not new:
            return None
        hash_text = text_digest.hex()  # graph.state.text_hash of the listing
        known = self._known
        cached = known.take(hash_text, p) if known is not None and len(known) else None
        if cached is not None:
            self._keep(text, cached, p, hash_text)
            return None
        self._todo[self._sent] = (text, p, hash_text)
        self._sent += 1
        return p

    def extracted(self, ordinal: int, extraction: Extraction) -> None:
        """Keep the extraction of the ``ordinal``-th listing :meth:`add` returned."""
        text, p, hash_text = self._todo.pop(ordinal)
        self._keep(text, extraction, p, hash_text)

    def _keep(self, text: int, extraction: Extraction, p: Paper, hash_text: str) -> None:
        row = extraction_line(extraction, p, hash_text)
        self._row_file.write(row)
        self._row_at[text] = self._row_end
        self._row_length[text] = len(row)
        self._row_end += len(row)
        # One copy of each name, type and IRI for the whole corpus (the vocabulary's names come
        # back in paper after paper).
        shared = self._strings
        keys = tuple(
            MentionKey(
                shared.setdefault(m.type, m.type),
                shared.setdefault(m.text, m.text),
                shared.setdefault(m.field, m.field),
                m.start,
                m.concept and shared.setdefault(m.concept, m.concept),
                m.canonical and shared.setdefault(m.canonical, m.canonical),
                m.family and shared.setdefault(m.family, m.family),
                m.proposed,
                i,
            )
            for i, m in enumerate(extraction.mentions)
        )
        relations = tuple(_shared_relation(r, shared) for r in extraction.relations)
        self.extractions[text] = Extraction(keys, extraction.aliases, relations)

    def finish(self) -> None:
        """Every listing is read and every extraction kept: make the files readable."""
        if self._todo:
            raise RuntimeError(f"{len(self._todo)} extractions never came back")
        self._listing_file.flush()
        self._row_file.flush()
        self._seen = set()
        self._texts = {}
        self._strings = {}
        if self._known is not None:
            self._known.close()
        self._known = None

    def paper(self, number: int) -> Paper:
        """Listing ``number`` as read."""
        at = self._listing_at[number]
        line = os.pread(self._listing_file.fileno(), self._listing_at[number + 1] - at, at)
        return paper_from_listing(json.loads(line)["listing"])

    def row(self, text: int) -> bytes:
        """The state's line of text ``text``'s extraction."""
        return os.pread(self._row_file.fileno(), self._row_length[text], self._row_at[text])

    def extraction(self, text: int, paper: Paper) -> Extraction:
        """The whole extraction of text ``text`` (``paper`` has that title and abstract)."""
        return extraction_from_row(json.loads(self.row(text))["extraction"], paper)

    def listing_lines(self) -> Iterator[bytes]:
        """The state's lines of every listing, in the order read (in chunks of lines)."""
        fd, end = self._listing_file.fileno(), self._listing_at[-1]
        for at in range(0, end, _READ_CHUNK):
            yield os.pread(fd, min(_READ_CHUNK, end - at), at)

    def close(self) -> None:
        """Remove the files (and the directory)."""
        for f in (self._listing_file, self._row_file):
            f.close()
        if self._known is not None:
            self._known.close()
        shutil.rmtree(self.directory, ignore_errors=True)


def _shared_relation(r: Relation, shared: dict[str, str]) -> Relation:
    """``r`` with its names, types and rule as the spill's one copy of each."""
    return Relation(
        shared.setdefault(r.type, r.type),
        shared.setdefault(r.head, r.head),
        shared.setdefault(r.head_type, r.head_type),
        shared.setdefault(r.tail, r.tail),
        shared.setdefault(r.tail_type, r.tail_type),
        shared.setdefault(r.field, r.field),
        r.start,
        r.end,
        shared.setdefault(r.rule, r.rule),
        r.confidence,
    )


def merge_spilled(spill: Spill, conflicts: list[str] | None = None) -> list[PaperRecord]:
    """Merge the spilled listings into papers, as :func:`graph.merge.merge_listings` does.

    Each record's ``paper`` is the kept listing's :class:`Listing` (:meth:`Listing.paper`
    reads it back) and its ``extraction`` the cut-down one resolution reads. A paper of one
    listing (most papers) has no ``sources`` and ``listing_dates`` here: they are that
    listing's own, which :func:`papers_back` reads back with it.
    """
    records = []
    for key, arxiv_id, group in merge_groups(spill.listings, conflicts):
        chosen = choose(group)
        chosen.arxiv_id = arxiv_id  # each listing is in one group: this is its only record
        records.append(
            PaperRecord(
                key=key,
                paper=chosen,
                # Tuples (the empty tuple is one object).
                sources=tuple(sorted({p.source for p in group})) if len(group) > 1 else (),
                listing_dates=tuple(sorted({p.listing_date for p in group if p.listing_date}))
                if len(group) > 1
                else (),
                extraction=spill.extractions[chosen.text],
            )
        )
    for r in records:
        r.paper.merged()
    return records


def compact_links(resolution: Resolution) -> None:
    """Replace each link's mentions (:class:`MentionKey`) by their indexes, in place.

    The indexes are a tuple, one object for all the links with the same indexes (most links
    have one mention, among a paper's first few).
    """
    shared: dict[tuple[int, ...], tuple[int, ...]] = {}
    for link in resolution.links:
        indexes = tuple(m.index for m in link.mentions)
        link.mentions = shared.setdefault(indexes, indexes)


def papers_back(
    spill: Spill,
    records: list[PaperRecord],
    resolution: Resolution,
    kept: tuple[list[PaperRecord], list[Link]] | None = None,
) -> Iterator[tuple[PaperRecord, list[Link], list[Statement]]]:
    """Each paper read back, in key order, with its links (their mentions whole) and statements.

    Args:
        spill: The build's spill.
        records: The merged papers (:func:`merge_spilled`), sorted by key.
        resolution: Their resolution, with links as :func:`compact_links` leaves them.
        kept: If given, the papers and the links read back are appended to these lists too.
    """
    links = iter(resolution.links)  # sorted by paper key, as the records are
    statements = iter(resolution.statements)
    link = next(links, None)
    statement = next(statements, None)
    previous = None
    for r in records:
        if r.key == previous:  # merging gives every paper its own key
            raise RuntimeError(f"two papers with the key {r.key!r}")
        previous = r.key
        own: list[Link] = []
        while link is not None and link.paper_key == r.key:
            own.append(link)
            link = next(links, None)
        stated: list[Statement] = []
        while statement is not None and statement.paper_key == r.key:
            stated.append(statement)
            statement = next(statements, None)
        listing: Listing = r.paper
        paper = listing.paper()
        if own:
            mentions = spill.extraction(listing.text, paper).mentions
            own = [
                Link(x.paper_key, x.entity_iri, x.predicate, [mentions[i] for i in x.mentions])
                for x in own
            ]
        if r.sources:
            record = PaperRecord(r.key, paper, r.sources, r.listing_dates)
        else:  # one listing: its own (see merge_spilled)
            dates = (paper.listing_date,) if paper.listing_date else ()
            record = PaperRecord(r.key, paper, (paper.source,), dates)
        if kept is not None:
            kept[0].append(record)
            kept[1].extend(own)
        yield record, own, stated
    if link is not None or statement is not None:
        raise RuntimeError("links or statements of a paper not in the build, or out of order")


def state_rows(spill: Spill, records: list[PaperRecord]) -> Iterator[bytes]:
    """The state's extraction lines of the merged papers, in key order."""
    for r in records:
        yield spill.row(r.paper.text)
