"""The build state kept beside the outputs, so `kg build --update` can skip old papers.

``DIR/state.jsonl.gz`` holds every listing read and the extraction of every distinct paper
(keyed by a hash of the text it was extracted from: extraction reads nothing else). An update
reads the old
listings plus the new ones, merges them exactly as a full build would, reuses the extractions
whose text is unchanged and extracts only the rest — so the result is the graph a full build of
everything gives.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

from graph.errors import GraphNotFoundError
from graph.export import atomic_path
from graph.records import AliasPair, Extraction, Mention, Paper, PaperRecord, Relation, SourceRef

STATE_FILE = "state.jsonl.gz"
_COMPACT = (",", ":")
#: 3: extractions carry their relations (evidence sentences as offsets, like the mentions').
_VERSION = 3


def text_hash(paper: Paper) -> str:
    """A hash of what extraction reads: the title and the abstract."""
    return hashlib.sha1(f"{paper.title}\n\n{paper.abstract}".encode()).hexdigest()


def save_state(out_dir: Path, listings: list[Paper], records: list[PaperRecord]) -> Path:
    """Write the listings and extractions of a build to ``out_dir/state.jsonl.gz`` atomically."""
    target = out_dir / STATE_FILE
    with atomic_path(target) as tmp, gzip.open(tmp, "wt", encoding="utf-8", compresslevel=1) as f:
        f.write(json.dumps({"version": _VERSION}) + "\n")
        for p in listings:
            listing = {**vars(p), "source": vars(p.source)}
            f.write(json.dumps({"listing": listing}, ensure_ascii=False, separators=_COMPACT))
            f.write("\n")
        for r in records:
            if r.extraction is None:
                continue
            row = {"hash": text_hash(r.paper), "extraction": _plain(r.extraction, r.paper)}
            f.write(json.dumps(row, ensure_ascii=False, separators=_COMPACT) + "\n")
    return target


def _plain(extraction: Extraction, paper: Paper) -> dict:
    """The extraction as JSON-ready dicts; each evidence sentence as its offsets in the paper.

    The sentences are parts of the title or abstract the state holds anyway: offsets halve the
    state, and the time to write it.
    """
    mentions = []
    for m in extraction.mentions:
        row = dict(vars(m))  # what dataclasses.asdict gives, without its deep copies
        at = (paper.title if m.field == "title" else paper.abstract).find(m.sentence)
        if at >= 0:
            row["sentence"] = [at, at + len(m.sentence)]
        mentions.append(row)
    row = {"mentions": mentions, "aliases": [vars(a) for a in extraction.aliases]}
    if extraction.relations:
        row["relations"] = [vars(r) for r in extraction.relations]
    return row


def _sentences_back(mentions: list[dict], paper: Paper) -> list[dict]:
    for m in mentions:
        if isinstance(m["sentence"], list):
            start, end = m["sentence"]
            m["sentence"] = (paper.title if m["field"] == "title" else paper.abstract)[start:end]
    return mentions


def load_state(out_dir: Path) -> tuple[list[Paper], dict[str, Extraction]]:
    """Read a build's listings and its extractions by text hash.

    Raises:
        GraphNotFoundError: when ``out_dir`` holds no state from an earlier build.
    """
    path = out_dir / STATE_FILE
    if not path.is_file():
        raise GraphNotFoundError(
            f"{path}: no build state to update; run `kg build ... --out {out_dir}` first"
        )
    listings: list[Paper] = []
    extractions: dict[str, Extraction] = {}
    by_hash: dict[str, Paper] = {}
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            header = json.loads(f.readline())
            if header.get("version") != _VERSION:
                raise ValueError(f"state version {header.get('version')}")
            for line in f:
                row = json.loads(line)
                if "listing" in row:
                    d = row["listing"]
                    d["source"] = SourceRef(**d["source"])
                    d["authors"], d["categories"] = tuple(d["authors"]), tuple(d["categories"])
                    listings.append(Paper(**d))
                else:
                    if not by_hash:  # the listings come first
                        by_hash = {text_hash(p): p for p in listings}
                    e = row["extraction"]
                    mentions = _sentences_back(e["mentions"], by_hash[row["hash"]])
                    extractions[row["hash"]] = Extraction(
                        tuple(Mention(**m) for m in mentions),
                        tuple(AliasPair(**a) for a in e["aliases"]),
                        tuple(Relation(**r) for r in e.get("relations", ())),
                    )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise GraphNotFoundError(
            f"{path}: unreadable build state ({exc}); rebuild without --update"
        ) from exc
    return listings, extractions
