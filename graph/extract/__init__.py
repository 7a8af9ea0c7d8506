"""Extract: a spaCy pipeline that finds the models, datasets, methods and languages a paper names.

The pipeline is ``spacy.blank("en")`` plus our own components::

    kg_sentences -> kg_abbreviations -> kg_vocab -> kg_patterns -> kg_entities -> kg_relations

Each paper is one Doc, ``title + "\\n\\n" + abstract``; ``doc._.kg_extraction`` holds the result.
To use several cores, :func:`extract_papers` ships raw text to worker processes and gets small
:class:`~graph.records.Extraction` records back (never Docs: pickling Docs costs more than it
saves).
"""

from __future__ import annotations

import collections
import multiprocessing
import os
import signal
from collections.abc import Iterable, Iterator
from multiprocessing.pool import AsyncResult

import spacy
from spacy.language import Language
from spacy.tokens import Doc

# Importing the modules registers their factories with spaCy.
from graph.extract import abbreviations as _abbreviations  # noqa: F401
from graph.extract import entities as _entities  # noqa: F401
from graph.extract import relations as _relations  # noqa: F401
from graph.extract import sentences as _sentences  # noqa: F401
from graph.extract import vocab as _vocab  # noqa: F401
from graph.ontology import Vocabulary, load_vocabulary
from graph.records import Extraction, Paper

PIPE_NAMES = (
    "kg_sentences",
    "kg_abbreviations",
    "kg_vocab",
    "kg_patterns",
    "kg_entities",
    "kg_relations",
)


def make_pipeline(vocabulary: Vocabulary | None = None) -> Language:
    """Build the extraction pipeline on ``spacy.blank("en")``.

    Args:
        vocabulary: The vocabularies to match (default: the shipped ontology/vocab).

    Returns:
        A ready spaCy ``Language``.
    """
    vocabulary = vocabulary or load_vocabulary()
    nlp = spacy.blank("en")
    for name in PIPE_NAMES:
        nlp.add_pipe(name)
    nlp.get_pipe("kg_vocab").initialize(vocabulary=vocabulary)
    nlp.get_pipe("kg_patterns").initialize(vocabulary=vocabulary)
    nlp.get_pipe("kg_entities").initialize(stoplist=vocabulary.stoplist)
    return nlp


def paper_doc(nlp: Language, title: str, abstract: str) -> Doc:
    """Run the pipeline over one paper and return its Doc."""
    doc = _new_doc(nlp, title, abstract)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def _new_doc(nlp: Language, title: str, abstract: str) -> Doc:
    text = f"{title}\n\n{abstract}"
    doc = nlp.make_doc(text)
    doc.user_data["kg_text"] = text
    doc._.title_length = len(title)
    return doc


def extract_paper(nlp: Language, title: str, abstract: str) -> Extraction:
    """Return what the pipeline finds in one paper's title and abstract."""
    return paper_doc(nlp, title, abstract)._.kg_extraction


def extract_batch(
    nlp: Language, items: Iterable[tuple[int, str, str]], size: int = 64
) -> list[tuple[int, Extraction]]:
    """What :func:`extract_paper` finds in each ``(index, title, abstract)``, in order.

    The papers go through in groups of ``size``, each component over the whole group before
    the next one starts: a component's code and tables stay in the CPU caches for the group
    instead of being evicted by the other components at every paper (about 15% less CPU per
    paper than one paper at a time, measured here).
    """
    results: list[tuple[int, Extraction]] = []
    for group in _batches(iter(items), size):
        docs = [_new_doc(nlp, title, abstract) for _, title, abstract in group]
        for _, proc in nlp.pipeline:
            docs = [proc(doc) for doc in docs]
        results += [(i, doc._.kg_extraction) for (i, _, _), doc in zip(group, docs, strict=True)]
    return results


_WORKER_NLP: Language | None = None


def _init_worker(vocabulary: Vocabulary | None) -> None:
    global _WORKER_NLP
    # Ctrl-C reaches the whole process group: the parent handles it and stops the pool, so
    # workers ignore it (no traceback per worker), and die quietly on the pool's SIGTERM.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _WORKER_NLP = make_pipeline(vocabulary)


def _work(batch: list[tuple[int, str, str]]) -> list[tuple[int, Extraction]]:
    assert _WORKER_NLP is not None
    return extract_batch(_WORKER_NLP, batch)


def default_jobs() -> int:
    """The number of CPU cores this process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def extract_papers(
    papers: Iterable[Paper],
    *,
    jobs: int = 1,
    vocabulary: Vocabulary | None = None,
    batch_size: int = 64,
) -> Iterator[tuple[int, Extraction]]:
    """Extract from many papers, yielding ``(index, extraction)`` as results come in.

    Args:
        papers: The papers, in any order; results carry each paper's index in this iterable.
        jobs: Worker processes; 1 runs in this process.
        vocabulary: The vocabularies to match (default: the shipped ontology/vocab).
        batch_size: Papers per task sent to a worker.
    """
    items = ((i, p.title, p.abstract) for i, p in enumerate(papers))
    if jobs <= 1:
        nlp = make_pipeline(vocabulary)
        for batch in _batches(items, batch_size):
            yield from extract_batch(nlp, batch, batch_size)
        return
    vocabulary = vocabulary or load_vocabulary()
    ctx = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    # The papers are read here, in this process, while the workers extract the batches sent so
    # far: reading overlaps extraction, and at most a few batches per worker wait in the queue.
    with ctx.Pool(jobs, initializer=_init_worker, initargs=(vocabulary,)) as pool:
        pending: collections.deque[AsyncResult] = collections.deque()
        for batch in _batches(items, batch_size):
            pending.append(pool.apply_async(_work, (batch,)))
            while pending and (pending[0].ready() or len(pending) > 4 * jobs):
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def _batches(
    items: Iterator[tuple[int, str, str]], size: int
) -> Iterator[list[tuple[int, str, str]]]:
    batch: list[tuple[int, str, str]] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
