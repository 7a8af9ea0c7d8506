#!/usr/bin/env python3
"""k-fold cross-validation of the extractor's learned decision, end to end.

The dev papers are split into k folds (by paper). For each fold the classifier is trained on
the other folds plus the other training files, the whole sample corpus is extracted, resolved
and built into a graph with it, and the fold's papers are scored as ``kg eval`` scores them. The
counts of all folds are summed, so every dev paper is scored by a model that never saw it.

    python scripts/train/cross_validate.py [--folds 5] [--also-rules]

Prints one line per type (P, R, F1 over all folds) and the proposal recall; ``--also-rules``
adds the hand rules' figures on the same papers.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from data import GOLD, TRAINING_GOLD, examples, load_gold
from train_classifier import fit

from graph.evaluate import Evaluation, Score, evaluate
from graph.extract import RULES, ClassifierChoice
from graph.records import ENTITY_TYPES


def build_store(inputs: Sequence[str] | None, classifier: ClassifierChoice, jobs: int = 2):
    """Extract, resolve and load ``inputs`` (default: the sample corpus) into a memory store."""
    import pyoxigraph as ox

    from graph import build as rdf
    from graph.ingest import read_inputs
    from graph.ontology import load_vocabulary
    from graph.pipeline import default_inputs, extract_records
    from graph.resolve import resolve

    vocabulary = load_vocabulary()
    papers = read_inputs(list(inputs or default_inputs()))
    records = extract_records(papers, jobs=jobs, vocabulary=vocabulary, classifier=classifier)
    resolution = resolve(records, vocabulary)
    store = ox.Store()
    store.bulk_load("".join(rdf.ntriples(records, resolution)).encode(), ox.RdfFormat.N_TRIPLES)
    return store


def add(total: Evaluation | None, part: Evaluation) -> Evaluation:
    """Sum two evaluations' counts."""
    if total is None:
        return part
    for t in ENTITY_TYPES:
        a, b = total.scores[t], part.scores[t]
        total.scores[t] = Score(a.tp + b.tp, a.fp + b.fp, a.fn + b.fn, a.errors + b.errors)
    return Evaluation(
        total.scores,
        total.proposed_hit + part.proposed_hit,
        total.proposed_total + part.proposed_total,
        total.missing_papers + part.missing_papers,
        proposed_missed=total.proposed_missed + part.proposed_missed,
        proposed_predicted=total.proposed_predicted + part.proposed_predicted,
        proposed_correct=total.proposed_correct + part.proposed_correct,
    )


def report(name: str, e: Evaluation) -> None:
    """Print one evaluation's figures."""
    print(f"== {name}")
    tp = fp = fn = 0
    for t in ENTITY_TYPES:
        s = e.scores[t]
        tp, fp, fn = tp + s.tp, fp + s.fp, fn + s.fn
        print(
            f"{t:10} P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}  ({s.tp}/{s.fp}/{s.fn})"
        )
    micro = Score(tp, fp, fn)
    print(f"{'micro':10} P {micro.precision:.3f}  R {micro.recall:.3f}  F1 {micro.f1:.3f}")
    print(f"proposed recall {e.proposed_recall:.3f} ({e.proposed_hit}/{e.proposed_total})")
    print(
        f"proposed precision {e.proposed_precision:.3f} "
        f"({e.proposed_correct}/{e.proposed_predicted})"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the cross-validation and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--also-rules", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--proposed-threshold",
        type=float,
        default=None,
        help="the proposal model's threshold (default: the one training chooses)",
    )
    parser.add_argument("--errors", action="store_true", help="list the errors")
    parser.add_argument(
        "--gold",
        type=Path,
        default=GOLD / "dev.jsonl",
        help="the training file to cross-validate (default: eval/gold/dev.jsonl)",
    )
    args = parser.parse_args(argv)
    dev_file = args.gold.resolve()
    if dev_file not in [p.resolve() for p in TRAINING_GOLD]:
        raise SystemExit(f"{dev_file}: not one of the training files {TRAINING_GOLD}")
    others = [p for p in TRAINING_GOLD if p.resolve() != dev_file]
    dev = load_gold([dev_file])
    rest = load_gold(others)
    papers = dev + rest
    data = examples(papers)
    order = list(range(len(dev)))
    random.Random(args.seed).shuffle(order)
    folds = [sorted(order[k :: args.folds]) for k in range(args.folds)]
    import json

    rows = [json.loads(line) for line in dev_file.read_text(encoding="utf-8").splitlines()]
    # Papers without their text in the file are papers of the sample corpus.
    inputs = None if "abstract" not in rows[0] else [str(dev_file)]
    total = None
    for k, fold in enumerate(folds):
        held_out = set(fold)
        train = [e for e in data if e.paper not in held_out]
        classifier = fit(train)
        if args.proposed_threshold is not None:
            classifier = replace(classifier, proposed_threshold=args.proposed_threshold)
        store = build_store(inputs, classifier)
        total = add(total, evaluate(store, [rows[i] for i in fold]))
        print(f"fold {k + 1}/{args.folds}: {len(fold)} papers", file=sys.stderr)
    report(
        f"learned, {args.folds}-fold cross-validation on {len(dev)} papers of {dev_file.name}",
        total,
    )
    if args.errors:
        for t in ENTITY_TYPES:
            for kind, title, name in total.scores[t].errors:
                print(t, kind, title[:60], name)
        for title, name in total.proposed_missed:
            print("proposed FN", title[:60], name)
    if args.also_rules:
        report("hand rules alone, same papers", evaluate(build_store(inputs, RULES), rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
