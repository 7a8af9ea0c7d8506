"""Extract: a spaCy pipeline that finds the models, datasets, methods and languages a paper names.

The pipeline is ``spacy.blank("en")`` with a fast tokeniser (:mod:`graph.extract.tokenizer`)
plus our own components::

    kg_sentences -> kg_abbreviations -> kg_vocab -> kg_patterns -> kg_entities -> kg_classifier
        -> kg_relations

The first five find names and give the hand rules' opinions of them; ``kg_classifier``, a linear
model trained on annotated papers, decides each name's type and whether the paper proposes it
(without it, the hand rules' own decision stands); ``kg_relations`` reads what the paper says
about the names it kept (built on, trained on, evaluated on ...). Each paper is one Doc,
``title + "\\n\\n" + abstract``; ``doc._.kg_extraction`` holds the result.
To use several cores, :func:`extract_papers` ships raw text to worker processes
(:mod:`graph.extract.workers`) and gets small :class:`~graph.records.Extraction` records back
(never Docs: pickling Docs costs more than it saves).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence

import spacy
from spacy.language import Language
from spacy.tokens import Doc

# Importing the modules registers their factories with spaCy.
from graph.extract import abbreviations as _abbreviations  # noqa: F401
from graph.extract import classifier as _classifier  # noqa: F401
from graph.extract import entities as _entities  # noqa: F401
from graph.extract import relations as _relations  # noqa: F401
from graph.extract import sentences as _sentences  # noqa: F401
from graph.extract import tokenizer as _tokenizer  # noqa: F401
from graph.extract import vocab as _vocab  # noqa: F401
from graph.extract.classifier import Classifier
from graph.extract.tokenizer import FAST_TOKENIZER_CONFIG, TOKENIZER_CONFIG
from graph.extract.workers import Workers
from graph.ontology import Vocabulary, load_vocabulary
from graph.records import Extraction, Paper

PIPE_NAMES = (
    "kg_sentences",
    "kg_abbreviations",
    "kg_vocab",
    "kg_patterns",
    "kg_entities",
    "kg_classifier",
    "kg_relations",
)
#: How a pipeline decides: the shipped learned classifier, or the hand rules alone.
RULES = "rules"
ClassifierChoice = Classifier | str | None


_TOKENIZERS = {"fast": FAST_TOKENIZER_CONFIG, "spacy": TOKENIZER_CONFIG}

#: Parts of the pipeline an ablation may switch off (see scripts/train/ablation.py).
OPTIONAL_PARTS = ("kg_abbreviations", "kg_vocab", "kg_patterns", "scan")


def make_pipeline(
    vocabulary: Vocabulary | None = None,
    classifier: ClassifierChoice = None,
    *,
    without: Sequence[str] = (),
    tokenizer: str = "fast",
    lexical_attributes: bool = True,
) -> Language:
    """Build the extraction pipeline on ``spacy.blank("en")``.

    Args:
        vocabulary: The vocabularies to match (default: the shipped ontology/vocab).
        classifier: The learned decision: None for the shipped weights, a :class:`Classifier`,
            the path of a weights file, or ``"rules"`` for the hand rules alone.
        without: Parts to leave out, among :data:`OPTIONAL_PARTS` (for ablations).
        tokenizer: ``"fast"`` (:func:`~graph.extract.tokenizer.create_fast_tokenizer`) or
            ``"spacy"`` (spaCy's own tokens, :class:`~graph.extract.tokenizer.KgTokenizer`);
            the extractions are the same.
        lexical_attributes: Whether tokens get spaCy's lexical attributes (``lower_``,
            ``like_num``, ``shape_`` ...). No component reads them: the build leaves them out,
            since computing them for every new word is about a sixth of the extraction's CPU
            on distinct abstracts; a caller who reads the Doc's tokens keeps the default.

    Returns:
        A ready spaCy ``Language``.
    """
    unknown = set(without) - set(OPTIONAL_PARTS)
    if unknown:
        raise ValueError(f"cannot leave out {sorted(unknown)}; choose from {OPTIONAL_PARTS}")
    if tokenizer not in _TOKENIZERS:
        raise ValueError(f"unknown tokenizer {tokenizer!r}; choose from {sorted(_TOKENIZERS)}")
    vocabulary = vocabulary or load_vocabulary()
    nlp = spacy.blank("en", config=_TOKENIZERS[tokenizer])
    if not lexical_attributes:
        nlp.vocab.lex_attr_getters = {}
    for name in PIPE_NAMES:
        if (name == "kg_classifier" and classifier == RULES) or name in without:
            continue
        config = (
            {"scan": "scan" not in without, "decide": classifier == RULES}
            if name == "kg_entities"
            else {}
        )
        nlp.add_pipe(name, config=config)
    if "kg_vocab" not in without:
        nlp.get_pipe("kg_vocab").initialize(vocabulary=vocabulary)
    if "kg_patterns" not in without:
        nlp.get_pipe("kg_patterns").initialize(vocabulary=vocabulary)
    nlp.get_pipe("kg_entities").initialize(stoplist=vocabulary.stoplist)
    if classifier != RULES:
        if isinstance(classifier, str):
            classifier = Classifier.load(classifier)
        nlp.get_pipe("kg_classifier").initialize(classifier=classifier, vocabulary=vocabulary)
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


def _init_worker(vocabulary: Vocabulary | None, classifier: ClassifierChoice = None) -> None:
    global _WORKER_NLP
    _WORKER_NLP = make_pipeline(vocabulary, classifier, lexical_attributes=False)


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
    classifier: ClassifierChoice = None,
) -> Iterator[tuple[int, Extraction]]:
    """Extract from many papers, yielding ``(index, extraction)`` as results come in.

    Args:
        papers: The papers, in any order; results carry each paper's index in this iterable.
        jobs: Worker processes; 1 runs in this process.
        vocabulary: The vocabularies to match (default: the shipped ontology/vocab).
        batch_size: Papers per task sent to a worker.
        classifier: The learned decision (see :func:`make_pipeline`).
    """
    items = ((i, p.title, p.abstract) for i, p in enumerate(papers))
    if jobs <= 1:
        nlp = make_pipeline(vocabulary, classifier, lexical_attributes=False)
        for batch in _batches(items, batch_size):
            yield from extract_batch(nlp, batch, batch_size)
        return
    vocabulary = vocabulary or load_vocabulary()
    # The papers are read here, in this process, while the workers extract the batches sent so
    # far: reading overlaps extraction, and at most a few batches per worker wait to be done.
    with Workers(jobs, _work, _init_worker, (vocabulary, classifier)) as workers:
        for batch in _batches(items, batch_size):
            workers.submit(batch)
            while workers.pending and (workers.ready() or workers.pending > 4 * jobs):
                yield from workers.result()
        while workers.pending:
            yield from workers.result()


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
