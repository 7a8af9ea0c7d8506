"""Training data for the extractor's learned decision: annotated papers -> labelled name groups.

The recipe (the README's "Retraining" section says how to run it):

1. Annotated papers: ``eval/gold/dev.jsonl`` (160 papers of the sample corpus, annotated under
   ``eval/gold/GUIDELINES.md``; their texts are read from the bundled sample corpus, joined by
   title) and ``eval/gold/venues.jsonl`` (ML/NLP venue abstracts of other years, annotated by
   this project under the same guidelines) and ``eval/gold/other-fields.jsonl`` (neuroscience
   and cryptography abstracts, nearly all without ML entities: the negatives of other fields).
   ``eval/gold/check.jsonl`` is never used here: it is for scoring only.
2. Each paper runs through the extraction pipeline without the classifier; every name group of
   its findings (:func:`graph.extract.classifier.name_groups`) becomes one example, with
   the features of :func:`graph.extract.classifier.name_features`.
3. A group is labelled with the type of the gold entity one of its surface forms names
   (names compared as the scorer compares them: lowercase letters and digits), else "none";
   and proposed when that gold entity is. Groups of languages are left to the rules.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from graph.extract import RULES, make_pipeline, paper_doc
from graph.extract.classifier import name_features, name_groups
from graph.ontology import Vocabulary

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "eval" / "gold"
#: The annotated files training may use (never check.jsonl).
TRAINING_GOLD = (
    GOLD / "dev.jsonl",
    GOLD / "project" / "sample-rest.jsonl",
    GOLD / "project" / "venues.jsonl",
    GOLD / "project" / "other-fields.jsonl",
)


def norm(name: str) -> str:
    """Lowercase ASCII letters and digits: the scorer's name matching."""
    return re.sub(r"[^0-9a-z]+", "", name.lower())


@dataclass
class GoldPaper:
    """One annotated paper with its text."""

    source: str
    title: str
    abstract: str
    entities: list[dict]
    relations: list[dict] = field(default_factory=list)


@dataclass
class Example:
    """One name group of one paper, its features and labels."""

    paper: int
    surfaces: tuple[str, ...]
    features: list[str]
    label: str
    proposed: bool


def load_gold(files: Iterable[Path], corpus: Sequence[str] | None = None) -> list[GoldPaper]:
    """Read annotated papers; those without an abstract get theirs from ``corpus`` by title.

    Args:
        files: Gold JSONL files.
        corpus: Inputs to read texts from (default: the bundled sample corpus).

    Raises:
        SystemExit: A gold paper's text is nowhere to be found.
    """
    from graph.ingest import read_inputs
    from graph.pipeline import default_inputs, merge_listings

    texts: dict[str, tuple[str, str]] | None = None
    papers = []
    for path in files:
        if "check" in path.name:
            raise SystemExit(f"{path}: check.jsonl is for scoring only, never for training")
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            abstract = row.get("abstract")
            title = " ".join(row["title"].split())  # as every reader normalises it
            if abstract is not None:
                abstract = " ".join(abstract.split())
            if abstract is None:
                if texts is None:
                    records = merge_listings(read_inputs(list(corpus or default_inputs())))
                    texts = {
                        norm(r.paper.title): (r.paper.title, r.paper.abstract) for r in records
                    }
                found = texts.get(norm(title))
                if found is None:
                    raise SystemExit(f"{path}: no text for gold paper {title!r}")
                title, abstract = found
            papers.append(
                GoldPaper(path.name, title, abstract, row["entities"], row.get("relations", []))
            )
    return papers


def label_group(surfaces: Iterable[str], entities: list[dict]) -> tuple[str, bool] | None:
    """The gold label of a name group: (type or "none", proposed); None for a language."""
    names = {norm(s) for s in surfaces} - {""}
    for e in entities:
        gold = {norm(e["name"]), *(norm(m) for m in e.get("mentions", []))}
        if names & gold:
            if e["type"] == "Language":
                return None
            return e["type"], bool(e.get("proposed"))
    return "none", False


def examples(
    papers: Sequence[GoldPaper],
    vocabulary: Vocabulary | None = None,
    without: Sequence[str] = (),
) -> list[Example]:
    """Every labelled name group of ``papers`` (the pipeline runs without the classifier).

    ``without``: pipeline parts to leave out (see :func:`graph.extract.make_pipeline`).
    """
    from graph.extract.vocab import CompoundMatcher
    from graph.ontology import load_vocabulary

    vocabulary = vocabulary or load_vocabulary()
    nlp = make_pipeline(vocabulary, RULES, without=without)
    compounds = CompoundMatcher(vocabulary)
    out = []
    for n, paper in enumerate(papers):
        doc = paper_doc(nlp, paper.title, paper.abstract)
        findings = doc._.kg_findings
        text = findings.text
        for group in name_groups(findings):
            spans = [findings.spans[i] for i in group.spans]
            if any(s.type == "Language" for s in spans):
                continue
            surfaces = tuple(dict.fromkeys(text[s.start : s.end] for s in spans))
            label = label_group(surfaces, paper.entities)
            if label is None:
                continue
            out.append(Example(n, surfaces, name_features(findings, group, compounds), *label))
    return out
