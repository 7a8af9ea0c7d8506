"""The build state kept beside the outputs, so `kg build --update` can skip old papers.

``DIR/state.jsonl.gz`` holds every listing read and the extraction of every distinct paper
(keyed by a hash of the text it was extracted from: extraction reads nothing else). An update
reads the old
listings plus the new ones, merges them exactly as a full build would, reuses the extractions
whose text is unchanged and extracts only the rest — so the result is the graph a full build of
everything gives.

The first line of the state names the build it belongs to (the build id of the generation of
outputs it was written with, see :mod:`graph.outputs`) and the outputs of that build; an update
refuses a state that belongs to other outputs, or that is damaged, with one line naming it.
"""

from __future__ import annotations

import dataclasses
import functools
import gzip
import hashlib
import json
import operator
import os
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from graph.errors import GraphNotFoundError, OutputError, StateError, display_path
from graph.export import atomic_path
from graph.records import AliasPair, Extraction, Mention, Paper, PaperRecord, Relation, SourceRef

STATE_FILE = "state.jsonl.gz"
_COMPACT = (",", ":")
#: 3: the header names the build and the outputs the state belongs to; 4: extractions also carry
#: their relations (evidence sentences as offsets, like the mentions').
_VERSION = 4
#: About how much is handed to gzip at a time.
_WRITE_BYTES = 1 << 20


def text_hash(paper: Paper) -> str:
    """A hash of what extraction reads: the title and the abstract."""
    return hashlib.sha1(f"{paper.title}\n\n{paper.abstract}".encode()).hexdigest()


def save_state(
    out_dir: Path,
    listings: list[Paper],
    records: list[PaperRecord],
    build_id: str = "",
    outputs: Sequence[str] = (),
) -> Path:
    """Write the listings and extractions of a build to ``out_dir/state.jsonl.gz`` atomically.

    Args:
        out_dir: Where to write it (a build's staging directory).
        listings: Every listing read.
        records: The merged papers with their extractions.
        build_id: The build the state belongs to.
        outputs: The names of that build's outputs.
    """
    return write_state(
        out_dir,
        (listing_line(p) for p in listings),
        (extraction_line(r.extraction, r.paper) for r in records if r.extraction is not None),
        build_id,
        outputs,
    )


def write_state(
    out_dir: Path,
    listing_lines: Iterable[bytes],
    extraction_lines: Iterable[bytes],
    build_id: str = "",
    outputs: Sequence[str] = (),
) -> Path:
    """Write a state from its lines (:func:`listing_line`, :func:`extraction_line`), atomically.

    Args:
        out_dir: Where to write it (a build's staging directory).
        listing_lines: One line per listing read, in the order read.
        extraction_lines: One line per merged paper with an extraction, in key order.
        build_id: The build the state belongs to.
        outputs: The names of that build's outputs.
    """
    target = out_dir / STATE_FILE
    header = {"version": _VERSION, "build": build_id, "outputs": list(outputs)}
    with atomic_path(target) as tmp, gzip.open(tmp, "wb", compresslevel=1) as f:
        f.write((json.dumps(header) + "\n").encode("utf-8"))
        for lines in (listing_lines, extraction_lines):
            buffer: list[bytes] = []
            size = 0
            for line in lines:
                buffer.append(line)
                size += len(line)
                if size >= _WRITE_BYTES:  # fewer, larger writes: each one is a zlib call
                    f.write(b"".join(buffer))
                    buffer.clear()
                    size = 0
            f.write(b"".join(buffer))
    return target


def listing_line(p: Paper) -> bytes:
    """A listing's line of the state (UTF-8, with its newline)."""
    listing = {**_fields(p), "source": _fields(p.source)}
    return _line({"listing": listing})


def extraction_line(extraction: Extraction, paper: Paper, digest: str | None = None) -> bytes:
    """The state's line of an extraction of ``paper``'s text (UTF-8, with its newline).

    ``digest`` is the text's :func:`text_hash`, when known.
    """
    row = {"hash": digest or text_hash(paper), "extraction": _plain(extraction, paper)}
    return _line(row)


def _line(row: dict) -> bytes:
    return (json.dumps(row, ensure_ascii=False, separators=_COMPACT) + "\n").encode("utf-8")


@functools.cache
def _names(cls: type) -> tuple[tuple[str, ...], Callable[[object], tuple]]:
    names = tuple(f.name for f in dataclasses.fields(cls))
    if len(names) == 1:  # attrgetter of one name gives the value, not a tuple
        return names, lambda record: (getattr(record, names[0]),)
    return names, operator.attrgetter(*names)


def _fields(record: object) -> dict:
    """A record's fields as a dict, in field order (``dataclasses.asdict`` without its deep
    copies; the records have slots, so no ``vars``)."""
    names, values = _names(type(record))
    return dict(zip(names, values(record), strict=True))


def _plain(extraction: Extraction, paper: Paper) -> dict:
    """The extraction as JSON-ready dicts; each evidence sentence as its offsets in the paper.

    The sentences are parts of the title or abstract the state holds anyway: offsets halve the
    state, and the time to write it.
    """
    mentions = []
    for m in extraction.mentions:
        row = _fields(m)
        at = (paper.title if m.field == "title" else paper.abstract).find(m.sentence)
        if at >= 0:
            row["sentence"] = [at, at + len(m.sentence)]
        mentions.append(row)
    row = {"mentions": mentions, "aliases": [_fields(a) for a in extraction.aliases]}
    if extraction.relations:
        row["relations"] = [_fields(r) for r in extraction.relations]
    return row


def _sentences_back(mentions: list[dict], paper: Paper) -> list[dict]:
    for m in mentions:
        if isinstance(m["sentence"], list):
            start, end = m["sentence"]
            m["sentence"] = (paper.title if m["field"] == "title" else paper.abstract)[start:end]
    return mentions


def paper_from_listing(d: dict) -> Paper:
    """The listing of a state line (:func:`listing_line`), parsed, as a :class:`Paper`.

    Raises:
        TypeError, KeyError: if it is not one.
    """
    d["source"] = SourceRef(**d["source"])
    d["authors"], d["categories"] = tuple(d["authors"]), tuple(d["categories"])
    if not all(isinstance(d[k], str) for k in ("title", "abstract")):
        raise TypeError("a listing without a text title and abstract")
    return Paper(**d)


def extraction_from_row(e: dict, paper: Paper) -> Extraction:
    """The extraction of a state line (:func:`extraction_line`), parsed, of ``paper``'s text.

    Raises:
        TypeError, KeyError, ValueError, IndexError: if it is not one.
    """
    mentions = _sentences_back(e["mentions"], paper)
    return Extraction(
        tuple(Mention(**m) for m in mentions),
        tuple(AliasPair(**a) for a in e["aliases"]),
        tuple(Relation(**r) for r in e.get("relations", ())),
    )


def load_state(
    out_dir: Path, build_id: str | None = None
) -> tuple[list[Paper], dict[str, Extraction]]:
    """Read a build's listings and its extractions by text hash.

    Args:
        out_dir: The directory holding ``state.jsonl.gz``.
        build_id: The build whose outputs the state must belong to; None accepts any.

    Raises:
        GraphNotFoundError: when ``out_dir`` holds no state from an earlier build.
        StateError: when the state is damaged, from another version of kg, or belongs to
            other outputs than ``build_id``'s.
    """
    path, shown = _state_path(out_dir)
    listings: list[Paper] = []
    extractions: dict[str, Extraction] = {}
    by_hash: dict[str, Paper] = {}
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            _check_header(f.readline(), shown, build_id)
            for line in f:
                row = json.loads(line)
                if "listing" in row:
                    listings.append(paper_from_listing(row["listing"]))
                else:
                    if not by_hash:  # the listings come first
                        by_hash = {text_hash(p): p for p in listings}
                    extractions[row["hash"]] = extraction_from_row(
                        row["extraction"], by_hash[row["hash"]]
                    )
    except _DAMAGE as exc:
        raise _damaged(shown, exc) from exc
    return listings, extractions


#: What reading a damaged state raises.
_DAMAGE = (
    OSError,  # gzip.BadGzipFile too
    EOFError,  # a truncated file
    zlib.error,  # a damaged one
    ValueError,  # not JSON, not UTF-8
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
)


def _damaged(shown: str, exc: BaseException) -> StateError:
    reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
    return StateError(f"{shown}: the build state is damaged ({reason}); rebuild without --update")


def _state_path(out_dir: Path) -> tuple[Path, str]:
    path = out_dir / STATE_FILE
    shown = display_path(str(path))
    if not path.is_file():
        raise GraphNotFoundError(
            f"{shown}: no build state to update; run `kg build ... --out {out_dir}` first"
        )
    return path, shown


def _check_header(line: bytes | str, shown: str, build_id: str | None) -> None:
    header = json.loads(line)
    if not isinstance(header, dict) or header.get("version") != _VERSION:
        version = header.get("version") if isinstance(header, dict) else None
        raise StateError(
            f"{shown}: not a build state this kg can read (version {version!r}, "
            f"expected {_VERSION}); rebuild without --update"
        )
    if build_id is not None and header.get("build") != build_id:
        raise StateError(
            f"{shown}: this build state belongs to another build "
            f"({header.get('build')!r}), not to the outputs beside it ({build_id!r}); "
            "rebuild without --update"
        )


class _ScratchError(Exception):
    """Writing the update's own scratch files failed (not the state's fault)."""


class KnownExtractions:
    """An earlier build's extractions, by text hash, kept in a file (``kg build --update``).

    Only where each line is stays in memory: as Python objects, the extractions of a state of
    a million papers take gigabytes.

    Args:
        path: The file to keep them in (created; removed by :meth:`close`).
        shown: The state's name, for errors.
    """

    def __init__(self, path: Path, shown: str = STATE_FILE) -> None:
        self.path = path
        self.shown = shown
        self._file = path.open("w+b")
        self._at: dict[bytes, tuple[int, int]] = {}
        self._end = 0

    def add(self, digest: bytes, line: bytes) -> None:
        """Keep the state's extraction ``line`` of the text whose SHA-1 is ``digest``.

        Raises:
            _ScratchError: The file cannot be written.
        """
        try:
            self._file.write(line)
        except OSError as exc:
            raise _ScratchError(str(exc)) from exc
        self._at[digest] = (self._end, len(line))
        self._end += len(line)

    def sealed(self) -> KnownExtractions:
        """Every line is added: make them readable (returns ``self``)."""
        self._file.flush()
        return self

    def __len__(self) -> int:
        return len(self._at)

    def take(self, hash_text: str, paper: Paper) -> Extraction | None:
        """The extraction of ``paper``'s text (its :func:`text_hash` is ``hash_text``), or None;
        each is given once (the line's place is forgotten).

        Raises:
            StateError: The line is damaged.
        """
        where = self._at.pop(bytes.fromhex(hash_text), None)
        if where is None:
            return None
        at, length = where
        try:
            row = json.loads(os.pread(self._file.fileno(), length, at))
            return extraction_from_row(row["extraction"], paper)
        except _DAMAGE as exc:
            raise _damaged(self.shown, exc) from exc

    def close(self) -> None:
        """Remove the file."""
        self._file.close()
        self._at = {}
        self.path.unlink(missing_ok=True)


#: How an extraction line of the state starts: ``{"hash":"<40 hex digits>",`` (see
#: :func:`extraction_line`).
_HASH_START, _HASH_END = len(b'{"hash":"'), len(b'{"hash":"') + 40


def open_state(
    out_dir: Path, scratch: Path, build_id: str | None = None
) -> tuple[Iterator[Paper], KnownExtractions]:
    """Read a build's state for an update without holding it in memory.

    The state is read through once, its listing lines copied to a file and its extraction lines
    to a :class:`KnownExtractions`, both in ``scratch``; the listings are then parsed one at a
    time as the update reads them.

    Args:
        out_dir: The directory holding ``state.jsonl.gz``.
        scratch: A directory of the build's own for the two files.
        build_id: The build whose outputs the state must belong to; None accepts any.

    Returns:
        The listings, in the order of the state (an iterator over the scratch file), and the
        extractions.

    Raises:
        GraphNotFoundError: when ``out_dir`` holds no state from an earlier build.
        StateError: when the state is damaged, from another version of kg, or belongs to
            other outputs than ``build_id``'s (also while the listings are read, or when an
            extraction is taken).
        OutputError: when the scratch files cannot be written.
    """
    path, shown = _state_path(out_dir)
    listings_path = scratch / "old-listings.jsonl"
    try:
        known = KnownExtractions(scratch / "old-extractions.jsonl", shown)
        scratch_out = listings_path.open("wb")
    except OSError as exc:
        raise OutputError(f"{scratch}: cannot write the update's scratch files ({exc})") from exc
    try:
        with gzip.open(path, "rb") as f, scratch_out as listings:
            _check_header(f.readline(), shown, build_id)
            for line in f:
                if line.startswith(b'{"listing":'):
                    try:
                        listings.write(line)
                    except OSError as exc:
                        raise _ScratchError(str(exc)) from exc
                elif line.startswith(b'{"hash":"') and line[_HASH_END : _HASH_END + 2] == b'",':
                    known.add(bytes.fromhex(line[_HASH_START:_HASH_END].decode("ascii")), line)
                else:
                    raise ValueError("a line that is neither a listing nor an extraction")
            try:
                known.sealed()
            except OSError as exc:
                raise _ScratchError(str(exc)) from exc
    except StateError:
        known.close()
        raise
    except _ScratchError as exc:
        known.close()
        raise OutputError(f"{scratch}: cannot write the update's scratch files ({exc})") from exc
    except _DAMAGE as exc:
        known.close()
        raise _damaged(shown, exc) from exc
    return _listings_in(listings_path, shown), known


def _listings_in(path: Path, shown: str) -> Iterator[Paper]:
    try:
        with path.open("rb") as lines:
            for line in lines:
                yield paper_from_listing(json.loads(line)["listing"])
    except _DAMAGE as exc:
        raise _damaged(shown, exc) from exc
    finally:
        path.unlink(missing_ok=True)
