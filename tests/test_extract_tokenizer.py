"""The pipeline's tokeniser gives spaCy's default tokens, on real abstracts and on any text."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.extract import make_pipeline
from graph.extract.tokenizer import TOKENIZER_CONFIG
from graph.ingest import read_inputs
from graph.resources import samples_dir

CORPORA = sorted((Path(__file__).parent.parent / "eval" / "corpora").glob("*.jsonl"))


def tokens(doc) -> list[tuple[str, int, str]]:
    return [(t.text, t.idx, t.whitespace_) for t in doc]


@pytest.fixture(scope="module")
def reference():
    """spaCy's default English tokeniser with its cache off: the rules alone decide."""
    nlp = spacy.blank("en")
    nlp.tokenizer.max_cache_size = 0
    return nlp


@pytest.fixture(scope="module")
def ours():
    return spacy.blank("en", config=TOKENIZER_CONFIG)


def test_the_pipeline_tokenises_with_the_large_cache():
    nlp = make_pipeline(classifier="rules")
    assert nlp.config["nlp"]["tokenizer"]["@tokenizers"] == "kg.Tokenizer.v1"
    assert nlp.tokenizer.max_cache_size > spacy.blank("en").tokenizer.max_cache_size


def test_same_tokens_as_spacy_on_every_sample_and_corpus_text(reference, ours):
    assert CORPORA, "eval/corpora is missing"
    papers = list(read_inputs([str(samples_dir()), *map(str, CORPORA)]))
    assert len(papers) > 2000
    texts = [f"{p.title}\n\n{p.abstract}" for p in papers]
    default = spacy.blank("en")  # spaCy as shipped: its cache fills up, then stops taking chunks
    differ = []
    for text in texts + texts:  # the second round reads every chunk from our cache
        expected = tokens(reference.make_doc(text))
        if tokens(ours.make_doc(text)) != expected or tokens(default.make_doc(text)) != expected:
            differ.append(text[:80])
    assert differ == []


texts = st.text(
    alphabet=st.characters(codec=None, categories=None, blacklist_categories=()), max_size=200
) | st.lists(
    st.sampled_from(
        [
            "BERT",
            "(LoRA)",
            "e.g.",
            "U.S.",
            "don't",
            "GPT-4o",
            "3.5%",
            "\n",
            " ",
            "\t",
            "\x00",
            "\u200b",
            "\ud800",
            "\udfff",
            "https://x.org/a?b=1",
            "—",
            "'s",
            "...",
            "α-β",
            ":-)",
        ]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=texts)
def test_any_text_tokens_cover_it_with_consistent_offsets(reference, ours, text):
    # spaCy's strings cannot hold a lone surrogate: ours reads it as U+FFFD, in its place.
    seen = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)
    first = ours.make_doc(text)
    again = ours.make_doc(text)
    assert first.text == seen
    assert "".join(t.text_with_ws for t in first) == seen
    position = 0
    for t in first:
        assert t.idx == position
        assert seen[t.idx : t.idx + len(t.text)] == t.text
        position += len(t.text_with_ws)
    assert tokens(first) == tokens(again) == tokens(reference.make_doc(seen))
