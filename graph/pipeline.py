"""The whole build, stage by stage: ingest -> extract -> resolve -> build -> store -> export.

:func:`build` is what `kg build` runs; :func:`build_records` is the in-memory part (tests and
library users call it to get records and the resolution without writing anything).
"""

from __future__ import annotations

import functools
import gc
import itertools
import json
import multiprocessing
import os
import shutil
import signal
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from graph import build as rdf
from graph.errors import InputError, OutputError
from graph.export import DEFAULT_FORMATS, FORMATS, write_graphml, write_rdf, write_turtle
from graph.extract import ClassifierChoice, default_jobs, extract_papers
from graph.iri import name_key, paper_key
from graph.ontology import PREFIXES, Vocabulary, load_vocabulary
from graph.records import ENTITY_TYPES, Extraction, Paper, PaperRecord
from graph.resolve import Resolution, resolve
from graph.resources import samples_dir
from graph.state import STATE_FILE, load_state, save_state, text_hash
from graph.store import STORE_DIR, chunked, recover_dir, replace_dir, write_store

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
    outputs: list[Path] = field(default_factory=list)
    seconds: float = 0.0


class Background:
    """Runs a function in a forked process, or in a thread where processes cannot fork.

    The build saves its state this way while it resolves and writes the graph: both are
    Python-heavy, so a thread would wait for the other half of the work on the GIL.
    """

    def __init__(self, function: Callable[..., object], *args: object) -> None:
        self._process: multiprocessing.process.BaseProcess | None = None
        self._future = None
        if "fork" in multiprocessing.get_all_start_methods():
            ctx = multiprocessing.get_context("fork")
            self._reader, writer = ctx.Pipe(duplex=False)
            self._process = ctx.Process(target=_report, args=(writer, function, args), daemon=True)
            self._process.start()
            writer.close()
        else:  # pragma: no cover - Windows
            self._executor = ThreadPoolExecutor(1)
            self._future = self._executor.submit(function, *args)

    def wait(self) -> None:
        """Wait for the function to finish.

        Raises:
            OutputError: if it failed (the message says why).
        """
        if self._process is None:  # pragma: no cover - Windows
            try:
                self._future.result()
            except OSError as exc:
                raise OutputError(f"cannot save the build state ({exc})") from exc
            return
        try:
            error = self._reader.recv()
        except EOFError:
            error = "its process was killed"
        self._process.join()
        if error is not None:
            raise OutputError(f"cannot save the build state ({error})")

    def cancel(self) -> None:
        """Stop the function if it still runs."""
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
        else:  # pragma: no cover - Windows
            self._executor.shutdown(wait=True)


def _report(writer: Connection, function: Callable[..., object], args: tuple) -> None:
    # The parent handles Ctrl-C and stops this process; it dies quietly on SIGTERM.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        function(*args)
    except Exception as exc:  # reported to the parent, which raises it as an OutputError
        writer.send(str(exc))
    else:
        writer.send(None)
    finally:
        writer.close()


def merge_listings(papers: Iterable[Paper]) -> list[PaperRecord]:
    """Merge every listing of the same paper into one record, whatever the input order.

    Listings are the same paper when they share an arXiv id, or a normalised title (a listing
    without an id joins the one with an id of the same title). The kept listing is chosen by
    content (longest abstract, then text), never by position.
    """
    listings = list(papers)
    id_of_title: dict[str, str] = {}
    for p in listings:
        if p.arxiv_id:
            key = name_key(p.title)
            id_of_title[key] = min(id_of_title.get(key, p.arxiv_id), p.arxiv_id)
    groups: dict[str, list[Paper]] = {}
    for p in listings:
        arxiv_id = p.arxiv_id or id_of_title.get(name_key(p.title))
        groups.setdefault(paper_key(p.title, arxiv_id), []).append(p)
    records = []
    for key, group in sorted(groups.items()):
        chosen = min(group, key=lambda p: (-len(p.abstract), p.title, p.abstract, p.source))
        arxiv_id = chosen.arxiv_id or next((p.arxiv_id for p in group if p.arxiv_id), None)
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
    records = merge_listings(listings)
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


def _distinct(listings: Iterable[Paper]) -> Iterator[Paper]:
    """Each listing once: the same file read twice (``--update`` with inputs already built, or a
    directory and a glob that overlap) adds no listing."""
    seen: set[Paper] = set()
    for p in listings:
        if p not in seen:
            seen.add(p)
            yield p


def _clean_stale(out_dir: Path) -> None:
    """Remove what a killed build left behind, and put back a store it had moved aside.

    One build per output directory at a time: a second build would delete the first's work.
    """
    recover_dir(out_dir / STORE_DIR)
    for stale in out_dir.glob(".kg-build-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for stale in out_dir.glob(".*.tmp"):
        stale.unlink(missing_ok=True)


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
) -> BuildSummary:
    """Build the knowledge graph of ``inputs`` into ``out_dir``.

    Writes ``out_dir/store`` (the Oxigraph store) and one file per format. Everything is written
    beside its target first and renamed into place at the end, so a failed or interrupted build
    leaves the previous outputs as they were.

    Args:
        inputs: Files, directories, globs or ``-``; None or empty builds the bundled sample.
        out_dir: The output directory (created if needed).
        fmt: Force an input format (see :data:`graph.ingest.FORMATS`).
        formats: Export formats (see :data:`graph.export.FORMATS`).
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

    Raises:
        InputError: on bad input (unless ``skip_bad``), or when there is no paper at all.
        OutputError: when the outputs cannot be written.
    """
    from graph.ingest import read_inputs

    started = time.perf_counter()
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise OutputError(
            f"unknown export format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}"
        )
    summary = BuildSummary()
    skipped: list[InputError] = []
    known: dict[str, Extraction] = {}
    old: list[Paper] = []
    if update:
        if not inputs:
            raise InputError("--update needs the new inputs to add")
        old, known = load_state(out_dir)
    new = _display_sources(
        read_inputs(
            list(inputs) if inputs else default_inputs(),
            fmt,
            on_bad=skipped.append if skip_bad else None,
        )
    )
    papers: list[Paper] = []
    vocabulary = vocabulary or load_vocabulary()
    records = extract_records(
        _distinct(itertools.chain(old, new)),
        jobs=jobs or default_jobs(),
        vocabulary=vocabulary,
        progress=progress,
        known=known,
        engine=engine,
        scheduler=scheduler,
        listings=papers,
    )
    summary.listings = len(papers)
    if not papers:
        raise InputError(
            "no paper could be read from the inputs"
            + (f" ({len(skipped)} bad records skipped)" if skipped else "")
        )

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        _clean_stale(out_dir)
        work = Path(tempfile.mkdtemp(prefix=".kg-build-", dir=out_dir))
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot create the output directory ({exc})") from exc
    # Everything is written inside the work directory first and only renamed into place once
    # all of it exists, so a failure or a kill never leaves a mixed set of outputs. The build
    # state is saved by another process while this one resolves and writes the graph.
    state_saved = Background(save_state, work, papers, records)
    # The papers and their extractions live until the end: the garbage collector need not
    # scan them again and again while the graph is resolved and written.
    gc.freeze()
    try:
        resolution = resolve(records, vocabulary)
        if progress:
            progress("store", 0, None)
        terms = rdf.TurtleTerms(PREFIXES)
        header = terms.header().encode("utf-8")
        store = write_store(
            work / STORE_DIR,
            chunked(rdf.turtle(records, resolution, terms)),
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
                nx_graph = rdf.to_networkx(records, resolution)
            if name == "graphml":
                write_graphml(nx_graph, staged)
            else:
                from graph.export.html import write_html

                write_html(nx_graph, staged, **(html_options or {}))
        del store
        state_saved.wait()
        if skipped:
            (work / "skipped.jsonl").write_text(
                "".join(
                    json.dumps({"file": e.path, "line": e.line, "error": e.message}) + "\n"
                    for e in skipped
                ),
                encoding="utf-8",
            )
        replace_dir(work / STORE_DIR, out_dir / STORE_DIR)
        summary.outputs.append(out_dir / STORE_DIR)
        for staged in sorted(work.iterdir()):
            os.replace(staged, out_dir / staged.name)
            if staged.name != STATE_FILE:
                summary.outputs.append(out_dir / staged.name)
        if not skipped:
            (out_dir / "skipped.jsonl").unlink(missing_ok=True)
    except OSError as exc:
        raise OutputError(
            f"{out_dir}: cannot write the outputs ({exc}); the previous outputs are unchanged"
        ) from exc
    finally:
        gc.unfreeze()
        state_saved.cancel()
        shutil.rmtree(work, ignore_errors=True)

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
