"""Evaluate: links and relations scored against gold rows (graph/evaluate.py)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.evaluate import evaluate


@pytest.fixture
def store(fixtures) -> ox.Store:
    s = ox.Store()
    s.load(path=str(fixtures / "eval" / "statements.ttl"), format=ox.RdfFormat.TURTLE)
    return s


def _row(title: str, relations: list[dict] | None) -> dict:
    row = {
        "title": title,
        "entities": [
            {"type": "Model", "name": "Zorb", "mentions": ["Zorb 7B"], "proposed": True},
            {"type": "Model", "name": "Quux", "mentions": [], "proposed": False},
            {"type": "Dataset", "name": "BLIP-Bench", "mentions": [], "proposed": False},
        ],
    }
    if relations is not None:
        row["relations"] = relations
    return row


def test_relations_match_by_type_direction_and_names(store):
    gold = [
        _row(
            "Zorb: a tiny model",
            [
                # Matched through the subject's alias ("Zorb-7B" ~ the mention "Zorb 7B").
                {"type": "evaluatedOn", "head": "Zorb", "tail": "BLIP-Bench"},
                # The graph states the opposite direction: one miss and one false hit.
                {"type": "outperforms", "head": "Zorb", "tail": "Quux"},
            ],
        )
    ]
    result = evaluate(store, gold)
    rel = result.relations
    assert (rel["evaluatedOn"].tp, rel["evaluatedOn"].fp, rel["evaluatedOn"].fn) == (1, 0, 0)
    assert (rel["outperforms"].tp, rel["outperforms"].fp, rel["outperforms"].fn) == (0, 1, 1)
    micro = result.relations_micro
    assert (micro.tp, micro.fp, micro.fn) == (1, 1, 1)
    assert micro.precision == micro.recall == 0.5
    assert ("FN", "Zorb: a tiny model", "Zorb -> Quux") in rel["outperforms"].errors


def test_rows_without_relations_score_no_relation(store):
    # p2's statement is not counted: its gold row was annotated for entities only.
    gold = [_row("Zorb: a tiny model", []), _row("Another paper", None)]
    result = evaluate(store, gold)
    micro = result.relations_micro
    assert (micro.tp, micro.fp, micro.fn) == (0, 2, 0)
    assert evaluate(store, [_row("Another paper", None)]).relations == {}


def test_entities_are_scored_beside_relations(store):
    result = evaluate(store, [_row("Zorb: a tiny model", [])])
    assert result.scores["Model"].tp == 2 and result.scores["Dataset"].tp == 1
    assert result.proposed_recall == 1.0
