#!/usr/bin/env python3
"""What each part of the extractor contributes: leave one out, retrain, score.

For every variant the classifier is retrained on the training gold with that part left out,
the sample corpus is extracted, resolved and built, and the result is scored on
``eval/gold/check.jsonl`` (papers no part was tuned on) and, by 5-fold cross-validation, on
``eval/gold/dev.jsonl``. Prints one Markdown table (F1 per type, proposed recall).

    python scripts/train/ablation.py
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cross_validate import add
from data import GOLD, TRAINING_GOLD, Example, examples, load_gold
from train_classifier import fit

from graph.evaluate import Evaluation, evaluate
from graph.extract import RULES, ClassifierChoice, extract_paper, make_pipeline

#: (name, parts left out, learned decision?)
VARIANTS: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    ("everything (shipped)", (), True),
    ("hand rules decide (no classifier)", (), False),
    ("no name scanner", ("scan",), True),
    ("no acronym definitions", ("kg_abbreviations",), True),
    ("no pattern rules", ("kg_patterns",), True),
    ("no vocabularies", ("kg_vocab",), True),
)


def build_store(classifier: ClassifierChoice, without: Sequence[str]):
    """Extract (in this process), resolve and load the sample corpus into a memory store."""
    import pyoxigraph as ox

    from graph import build as rdf
    from graph.ingest import read_inputs
    from graph.ontology import load_vocabulary
    from graph.pipeline import default_inputs, merge_listings
    from graph.resolve import resolve

    vocabulary = load_vocabulary()
    nlp = make_pipeline(vocabulary, classifier, without=without)
    records = merge_listings(read_inputs(default_inputs()))
    for r in records:
        r.extraction = extract_paper(nlp, r.paper.title, r.paper.abstract)
    store = ox.Store()
    resolution = resolve(records, vocabulary)
    store.bulk_load("".join(rdf.ntriples(records, resolution)).encode(), ox.RdfFormat.N_TRIPLES)
    return store


def _cv(data: list[Example], n_dev: int, rows: list[dict], learned: bool, without) -> Evaluation:
    order = list(range(n_dev))
    random.Random(0).shuffle(order)
    total = None
    for k in range(5):
        fold = sorted(order[k::5])
        held = set(fold)
        classifier = fit([e for e in data if e.paper not in held]) if learned else RULES
        total = add(total, evaluate(build_store(classifier, without), [rows[i] for i in fold]))
        if not learned:  # the rules do not depend on the fold: one build scores all
            return evaluate(build_store(RULES, without), rows)
    return total


def _cells(e: Evaluation) -> str:
    f1 = [e.scores[t].f1 for t in ("Model", "Dataset", "Method")]
    return " | ".join(f"{v:.3f}" for v in [*f1, e.proposed_recall])


def main(argv: Sequence[str] | None = None) -> int:
    """Run every variant and print the table."""
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    dev_file = GOLD / "dev.jsonl"
    dev = load_gold([dev_file])
    papers = dev + load_gold([p for p in TRAINING_GOLD if p != dev_file])
    dev_rows = [json.loads(line) for line in dev_file.read_text(encoding="utf-8").splitlines()]
    check_rows = [
        json.loads(line)
        for line in (GOLD / "check.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    print(
        "| variant | check Model | Dataset | Method | proposed R "
        "| dev (5-fold) Model | Dataset | Method | proposed R |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, without, learned in VARIANTS:
        data = examples(papers, without=without)
        classifier = fit(data) if learned else RULES
        check = evaluate(build_store(classifier, without), check_rows)
        cv = _cv(data, len(dev), dev_rows, learned, without)
        print(f"| {name} | {_cells(check)} | {_cells(cv)} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
