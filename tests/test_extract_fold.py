"""RE2 runs the proposal clause, the rules' gates and the machine-learning words on an ASCII
fold of non-ASCII text: the same clauses and words as Python's engine on the text itself, and
no rule that can match is gated out."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.extract import patterns
from graph.extract.patterns import ascii_fold, has_ml_words, open_gates, proposal_matches
from graph.ingest import read_inputs
from graph.resources import samples_dir

CORPORA = sorted((Path(__file__).parent.parent / "eval" / "corpora").glob("*.jsonl"))

RULES = patterns.GATED_RULES


def check(text: str) -> None:
    assert len(ascii_fold(text)) == len(text) and ascii_fold(text).isascii()
    assert proposal_matches(text) == tuple(m.span() for m in patterns.PROPOSAL.finditer(text))
    assert has_ml_words(text) == bool(patterns.ML_WORDS.search(text))
    gates = open_gates(text)
    for name, rule in RULES.items():
        if rule.search(text):
            assert name in gates, name


def test_the_gates_name_every_rule():
    assert set(RULES) == set(patterns.GATES)


@pytest.mark.parametrize(
    "text",
    [
        "Here, wé propose ZüriNet, dubbed Ünïcode-7B, our proposed Ωmega.",
        "WE PROPOSE X; the K\u212aelvin-sign and long \u017f: we pre\u017fent Y.",  # case partners
        "we\u00a0propose X\u2009called\u3000Y",  # other whitespace
        "datasets: Ärzte-QA, Straße-Bench. Llama\u0661-7B",
        "ütraining, pre-trainedé, \u017fupervised, LLM\u0661s, GPUſ",  # no word boundary
        "a new datäset, grädient, trüining; we häve proposed X; the äuthors propose Y",
        "the d\u0430taset (a Cyrillic a)",
    ],
)
def test_non_ascii_examples(text):
    check(text)


def test_every_sample_and_corpus_text():
    papers = list(read_inputs([str(samples_dir()), *map(str, CORPORA)]))
    texts = [f"{p.title}\n\n{p.abstract}" for p in papers]
    assert sum(not t.isascii() for t in texts) > 100
    for text in texts:
        check(text)


words = st.sampled_from(
    [
        "we",
        "We",
        "propose",
        "introduce",
        "present",
        "this paper",
        "our proposed",
        "called",
        "dubbed",
        "novel",
        "datasets:",
        "models such as",
        "Ω",
        "é",
        "ſ",
        "\u212a",
        "İ",
        "ı",
        "٣",
        "\u00a0",
        "\u2028",
        "—",
        "-7B",
        "Net",
        "X",
        " ",
        ", ",
        "(",
        ")",
        "“",
        "”",
        "a",
        "method",
        "neural",
        "pre-trained",
        "fine-tuning",
        "LLMs",
        "GPU",
        "dataset",
        "\u017fupervi\u017fed",
        "ä",
        "\u0430",
        "d",
        "tas",
        "et",
    ]
)


@settings(max_examples=400, deadline=None)
@given(text=st.lists(words | st.text(max_size=3), max_size=30).map("".join))
def test_any_text(text):
    check(text)
