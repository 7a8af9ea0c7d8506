"""The name scanner's fast path finds, on ASCII text, exactly the words its expression finds."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.extract.candidates import _INTERESTING, _interesting
from graph.ingest import read_inputs
from graph.resources import samples_dir

CORPORA = sorted((Path(__file__).parent.parent / "eval" / "corpora").glob("*.jsonl"))


def spans(matches) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


def test_every_sample_and_corpus_text():
    papers = list(read_inputs([str(samples_dir()), *map(str, CORPORA)]))
    texts = [f"{p.title}\n\n{p.abstract}" for p in papers]
    assert sum(t.isascii() for t in texts) > 2000
    for text in texts:
        assert spans(_interesting(text)) == spans(_INTERESTING.finditer(text))


pieces = st.sampled_from(
    [
        *("GPT", "-4o", "BERT", "base", "_", "-", ".", "+", "'", "/", " ", "(", ")", "3.5"),
        *("x", "X", "Llama-2-7B", "e.g.", "--", "__init__", "v1", "a/B", "+x", ",", "\n"),
        *("’", "É", "×"),  # non-ASCII: the expression itself
    ]
)


@settings(max_examples=500, deadline=None)
@given(text=st.lists(pieces | st.text(max_size=2), max_size=30).map("".join))
def test_any_text(text):
    assert spans(_interesting(text)) == spans(_INTERESTING.finditer(text))
