"""The whole build, stage by stage: ingest -> extract -> resolve -> build -> store -> export.

:func:`build` is what `kg build` runs; :func:`build_records` is the in-memory part (tests and
library users call it to get records and the resolution without writing anything).
"""

from __future__ import annotations

import functools
import gc
import itertools
import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from graph import build as rdf
from graph.errors import BuildInterrupted, InputError, OutputError
from graph.export import DEFAULT_FORMATS, FORMATS, write_graphml, write_rdf, write_turtle
from graph.extract import ClassifierChoice, default_jobs, extract_papers
from graph.ingest.text import Notice
from graph.merge import merge_listings
from graph.ontology import PREFIXES, Vocabulary, load_vocabulary
from graph.outputs import OutputDir, build_id_of, current_generation, new_build_id
from graph.records import ENTITY_TYPES, Extraction, Paper, PaperRecord
from graph.resolve import Resolution, resolve
from graph.resources import samples_dir
from graph.spill import Spill, compact_links, merge_spilled, papers_back, state_rows
from graph.state import STATE_FILE, KnownExtractions, open_state, text_hash, write_state
from graph.store import STORE_DIR, chunked, write_store

__all__ = ["BuildSummary", "build", "build_records", "extract_records", "merge_listings"]

#: Called as progress(stage, done, total); total is None when unknown.
Progress = Callable[[str, int, int | None], None]


@dataclass
class BuildSummary:
    """What a build produced, for the closing summary.

    ``entities`` counts the linked entities per type (named by at least one paper) and
    ``family_only`` those no paper names (families of linked ones), as ``kg stats`` does.
    """

    listings: int = 0
    papers: int = 0
    entities: dict[str, int] = field(default_factory=dict)
    family_only: int = 0
    links: int = 0
    proposed: int = 0
    mentions: int = 0
    statements: int = 0
    skipped: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    seconds: float = 0.0


def extract_records(
    papers: Iterable[Paper],
    *,
    jobs: int = 1,
    vocabulary: Vocabulary | None = None,
    progress: Progress | None = None,
    known: dict[str, Extraction] | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    listings: list[Paper] | None = None,
    classifier: ClassifierChoice = None,
    conflicts: list[str] | None = None,
) -> list[PaperRecord]:
    """Run ingest's output through extract, in memory.

    Listings are extracted as they are read (each distinct title and abstract once), so with
    the local engine reading overlaps extraction; they are merged into papers afterwards, and
    every paper takes the extraction of the text its merged record kept.

    Args:
        papers: Listings, in any order (read once, lazily).
        jobs: Extraction processes (local engine).
        vocabulary: The vocabularies (default: the shipped ones).
        progress: Progress callback.
        known: Extractions already made, by text hash; those texts are not extracted again.
        engine: ``local`` (this machine) or ``dask`` (a Dask cluster).
        scheduler: The Dask scheduler address (``tcp://host:8786``); None starts a local cluster.
        listings: If given, every listing read is appended to it.
        classifier: The learned decision (see :func:`graph.extract.make_pipeline`).
        conflicts: If given, listings that disagree are reported to it (see
            :func:`graph.merge.merge_listings`).

    Returns:
        The distinct papers (sorted by key) with their extractions.
    """
    vocabulary = vocabulary or load_vocabulary()
    listings = listings if listings is not None else []
    extracted: dict[tuple[str, str], Extraction] = {}
    todo: list[tuple[str, str]] = []

    def new_texts() -> Iterator[Paper]:
        seen: set[tuple[str, str]] = set()
        for p in papers:
            listings.append(p)
            text = (p.title, p.abstract)
            if text in seen:
                continue
            seen.add(text)
            cached = known.get(text_hash(p)) if known else None
            if cached is not None:
                extracted[text] = cached
            else:
                todo.append(text)
                yield p

    if engine == "dask":
        from graph.distributed import extract_papers_dask

        results = extract_papers_dask(list(new_texts()), scheduler=scheduler, vocabulary=vocabulary)
    elif engine == "local":
        results = extract_papers(
            new_texts(), jobs=jobs, vocabulary=vocabulary, classifier=classifier
        )
    else:
        raise OutputError(f"unknown engine {engine!r}; choose local or dask")
    done = 0
    for done, (i, extraction) in enumerate(results, 1):
        extracted[todo[i]] = extraction
        if progress and done % 256 == 0:
            progress("extract", done, None)
    if progress:
        progress("extract", done, None)
    records = merge_listings(listings, conflicts)
    for r in records:
        r.extraction = extracted[(r.paper.title, r.paper.abstract)]
    return records


def build_records(
    papers: Iterable[Paper], *, vocabulary: Vocabulary | None = None, **options: Any
) -> tuple[list[PaperRecord], Resolution]:
    """Run ingest's output through extract and resolve, in memory.

    Args:
        papers: Listings, in any order.
        vocabulary: The vocabularies (default: the shipped ones).
        **options: As for :func:`extract_records`.

    Returns:
        The distinct papers (sorted by key) with their extractions, and the resolution.
    """
    vocabulary = vocabulary or load_vocabulary()
    records = extract_records(papers, vocabulary=vocabulary, **options)
    return records, resolve(records, vocabulary)


def default_inputs() -> list[str]:
    """The bundled sample corpus (four Hugging Face daily-papers dumps)."""
    return [str(samples_dir())]


def _display_sources(papers: Iterable[Paper]) -> Iterable[Paper]:
    """Record bundled sample files by a machine-independent name."""
    root = str(samples_dir().parent.parent) + "/"
    for p in papers:
        if p.source.path.startswith(root):
            p = replace(p, source=replace(p.source, path="paper-kg:" + p.source.path[len(root) :]))
        yield p


def build(
    inputs: Sequence[str] | None,
    out_dir: Path,
    *,
    fmt: str | None = None,
    formats: Sequence[str] = DEFAULT_FORMATS,
    jobs: int | None = None,
    skip_bad: bool = False,
    progress: Progress | None = None,
    html_options: dict | None = None,
    vocabulary: Vocabulary | None = None,
    update: bool = False,
    engine: str = "local",
    scheduler: str | None = None,
    title_only: bool = False,
    notice: Notice = None,
) -> BuildSummary:
    """Build the knowledge graph of ``inputs`` into ``out_dir``.

    Writes ``out_dir/store`` (the Oxigraph store), one file per format and the build state.
    Everything is written into a staging directory first and swapped in as one set at the end
    (see :mod:`graph.outputs`), so a failed or interrupted build leaves the previous outputs as
    they were, and readers never see a mix of two builds. One build at a time writes into an
    output directory (a lock says which); kg writes only into a new or empty directory or one
    an earlier build wrote, and never removes what it did not write.

    Args:
        inputs: Files, directories, globs or ``-``; None or empty builds the bundled sample.
        out_dir: The output directory (created if needed).
        fmt: Force an input format (see :data:`graph.ingest.FORMATS`).
        formats: Export formats (see :data:`graph.export.FORMATS`); exports of other formats
            an earlier build left are removed.
        jobs: Worker processes for extraction (default: all cores).
        skip_bad: Skip bad records and unreadable files instead of stopping; they are reported
            in the summary and in ``out_dir/skipped.jsonl``.
        progress: Progress callback.
        html_options: Keyword options for the HTML view (top, max_nodes ...).
        vocabulary: The vocabularies to match (default: the shipped ontology/vocab).
        update: Add ``inputs`` to the build already in ``out_dir``: old papers are not
            extracted again, and the result equals a full build of old and new inputs.
        engine: ``local`` or ``dask`` (see :func:`build_records`).
        scheduler: The Dask scheduler address for ``engine="dask"``.
        title_only: Keep records that have a title but no abstract (refused by default).
        notice: Called with a status line while the build waits (for a FIFO's writer).

    Raises:
        InputError: on bad input (unless ``skip_bad``), or when there is no paper at all.
        OutputError: when the outputs cannot be written, or ``out_dir`` is refused or locked.
        GraphNotFoundError: for ``update`` without an earlier build (StateError: with a
            damaged one, or a state that belongs to other outputs).
        BuildInterrupted: on Ctrl-C or SIGTERM (a KeyboardInterrupt saying whether the new
            outputs were already in place).
    """
    from graph.ingest import expand_inputs

    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise OutputError(
            f"unknown export format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}"
        )
    if update and not inputs:
        raise InputError("--update needs the new inputs to add")
    sources = list(inputs) if inputs else default_inputs()
    files = expand_inputs(sources)
    out = OutputDir(out_dir, sources, files)
    try:
        with out:
            return _build_into(
                out,
                files,
                fmt=fmt,
                formats=formats,
                jobs=jobs,
                skip_bad=skip_bad,
                progress=progress,
                html_options=html_options,
                vocabulary=vocabulary,
                update=update,
                engine=engine,
                scheduler=scheduler,
                title_only=title_only,
                notice=notice,
            )
    except BuildInterrupted:
        raise
    except KeyboardInterrupt:
        raise BuildInterrupted(out.committed) from None


def _build_into(
    out: OutputDir,
    files: list[str],
    *,
    fmt: str | None,
    formats: Sequence[str],
    jobs: int | None,
    skip_bad: bool,
    progress: Progress | None,
    html_options: dict | None,
    vocabulary: Vocabulary | None,
    update: bool,
    engine: str,
    scheduler: str | None,
    title_only: bool,
    notice: Notice,
) -> BuildSummary:
    """The body of :func:`build`, inside the locked output directory.

    Listings and extractions are spilled to disk as they come (see :mod:`graph.spill`) and
    read back for the state and the graph, so the main process holds only what merging and
    resolution read.
    """
    from graph.ingest import read_inputs

    started = time.perf_counter()
    out_dir = out.path
    summary = BuildSummary()
    skipped: list[InputError] = []
    if engine not in ("local", "dask"):
        raise OutputError(f"unknown engine {engine!r}; choose local or dask")
    try:
        staging = out.staging()
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot write the outputs ({exc})") from exc
    new = _display_sources(
        read_inputs(
            files,
            fmt,
            on_bad=skipped.append if skip_bad else None,
            title_only=title_only,
            notice=notice,
        )
    )
    vocabulary = vocabulary or load_vocabulary()
    known: KnownExtractions | None = None
    old: Iterable[Paper] = ()
    if update:
        generation = current_generation(out_dir)
        # The earlier build's listings and extractions wait in files of the staging directory
        # (removed with the spill), not in memory.
        old, known = open_state(out_dir, staging, build_id_of(generation) if generation else None)
    try:
        spill = Spill(staging, known)
    except OSError as exc:
        if known is not None:
            known.close()
        raise OutputError(f"{out_dir}: cannot write the outputs ({exc})") from exc
    del known
    try:
        _extract_into(
            spill,
            itertools.chain(old, new),
            jobs=jobs or default_jobs(),
            vocabulary=vocabulary,
            progress=progress,
            engine=engine,
            scheduler=scheduler,
        )
        del old
        summary.listings = len(spill.listings)
        if not spill.listings:
            raise InputError(
                "no paper could be read from the inputs"
                + (f" ({len(skipped)} bad records skipped)" if skipped else "")
            )
        records = merge_spilled(spill, summary.conflicts)
        resolution = _write_outputs(
            out, spill, records, formats, vocabulary, progress, html_options, skipped, summary
        )
    finally:
        spill.close()

    counts = Counter(e.type for e in resolution.entities.values() if e.papers)
    summary.papers = len(records)
    summary.entities = {t: counts.get(t, 0) for t in ENTITY_TYPES}
    summary.family_only = sum(1 for e in resolution.entities.values() if not e.papers)
    summary.links = len(resolution.links)
    summary.proposed = sum(1 for link in resolution.links if link.predicate == "proposes")
    summary.mentions = sum(len(link.mentions) for link in resolution.links)
    summary.statements = len(resolution.statements)
    summary.skipped = [str(e) for e in skipped]
    summary.seconds = time.perf_counter() - started
    return summary


def _extract_into(
    spill: Spill,
    listings: Iterable[Paper],
    *,
    jobs: int,
    vocabulary: Vocabulary,
    progress: Progress | None,
    engine: str,
    scheduler: str | None,
) -> None:
    """Read the listings into the spill, extracting each new text once as it is read."""

    def new_texts() -> Iterator[Paper]:
        for p in listings:
            if spill.add(p) is not None:
                yield p

    if engine == "dask":
        from graph.distributed import extract_papers_dask

        results = extract_papers_dask(list(new_texts()), scheduler=scheduler, vocabulary=vocabulary)
    else:
        results = extract_papers(new_texts(), jobs=jobs, vocabulary=vocabulary)
    done = 0
    for done, (i, extraction) in enumerate(results, 1):
        spill.extracted(i, extraction)
        if progress and done % 256 == 0:
            progress("extract", done, None)
    if progress:
        progress("extract", done, None)
    spill.finish()


class _Stopped(Exception):
    """The build failed while its state was being written: the writing stops."""


def _until(stop: threading.Event, lines: Iterable[bytes]) -> Iterator[bytes]:
    for line in lines:
        if stop.is_set():
            raise _Stopped
        yield line


def _write_outputs(
    out: OutputDir,
    spill: Spill,
    records: list[PaperRecord],
    formats: Sequence[str],
    vocabulary: Vocabulary,
    progress: Progress | None,
    html_options: dict | None,
    skipped: list[InputError],
    summary: BuildSummary,
) -> Resolution:
    """Resolve, write every output into a staging directory and commit it; the resolution."""
    build_id = new_build_id()
    names = [STORE_DIR, *(FORMATS[f] for f in formats), STATE_FILE]
    out_dir = out.path
    try:
        work = out.staging()
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot write the outputs ({exc})") from exc
    # The state is copied out of the spill by a thread (zlib and reads release the GIL) while
    # this one resolves and writes the graph.
    stop = threading.Event()
    saver = ThreadPoolExecutor(1, thread_name_prefix="kg-state")
    state_saved = saver.submit(
        write_state,
        work,
        _until(stop, spill.listing_lines()),
        _until(stop, state_rows(spill, records)),
        build_id,
        sorted(names),
    )
    # The papers' stand-ins live until the end: the garbage collector need not scan them again
    # and again while the graph is resolved and written.
    gc.freeze()
    try:
        resolution = resolve(records, vocabulary)
        compact_links(resolution)
        for r in records:
            r.extraction = None  # the cut-down mentions are no longer needed
        spill.extractions = []
        gc.freeze()
        if progress:
            progress("store", 0, None)
        nx_formats = [f for f in formats if f in ("graphml", "html")]
        kept: tuple[list[PaperRecord], list] | None = ([], []) if nx_formats else None
        terms = rdf.TurtleTerms(PREFIXES)
        header = terms.header().encode("utf-8")
        papers = papers_back(spill, records, resolution, kept)
        store = write_store(
            work / STORE_DIR,
            chunked(rdf.turtle_papers(resolution, papers, terms)),
            header=header,
            consume=functools.partial(write_turtle, target=work / FORMATS["ttl"], header=header)
            if "ttl" in formats
            else None,
        )
        nx_graph = None
        for name in formats:
            staged = work / FORMATS[name]
            if name == "ttl":
                continue
            if progress:
                progress(f"write {staged.name}", 0, None)
            if name in ("nt", "jsonld"):
                write_rdf(store, staged, name)
                continue
            if nx_graph is None:
                whole = Resolution(resolution.entities, kept[1], resolution.statements)
                nx_graph = rdf.to_networkx(kept[0], whole)
            if name == "graphml":
                write_graphml(nx_graph, staged)
            else:
                from graph.export.html import write_html

                write_html(nx_graph, staged, **(html_options or {}))
        del store, nx_graph, kept
        state_saved.result()
        if skipped:
            (work / "skipped.jsonl").write_text(
                "".join(
                    json.dumps({"file": e.path, "line": e.line, "error": e.message}) + "\n"
                    for e in skipped
                ),
                encoding="utf-8",
            )
        written = [p for p in out.commit(work, build_id) if p.name != STATE_FILE]
        summary.outputs = sorted(written, key=lambda p: (p.name != STORE_DIR, p.name))
    except OSError as exc:
        raise OutputError(
            f"{out_dir}: cannot write the outputs ({exc}); the previous outputs are unchanged"
        ) from exc
    finally:
        gc.unfreeze()
        stop.set()
        saver.shutdown(wait=True)
    return resolution
