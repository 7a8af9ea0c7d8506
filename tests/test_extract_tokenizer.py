"""The pipeline's tokenisers: the fast one (the default) gives the same extractions as spaCy's
own tokens on every real abstract and covers any text; the spaCy one gives spaCy's default
tokens; both split where Chinese, Japanese or Korean script meets Latin letters or digits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.extract import extract_paper, make_pipeline
from graph.extract.tokenizer import CJK, FAST_TOKENIZER_CONFIG, SEPARATORS, TOKENIZER_CONFIG
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


@pytest.fixture(scope="module")
def fast():
    return spacy.blank("en", config=FAST_TOKENIZER_CONFIG)


def _papers():
    assert CORPORA, "eval/corpora is missing"
    papers = list(read_inputs([str(samples_dir()), *map(str, CORPORA)]))
    assert len(papers) > 2000
    return papers


def test_the_pipeline_tokenises_with_the_fast_rules_and_the_large_cache():
    nlp = make_pipeline(classifier="rules")
    assert nlp.config["nlp"]["tokenizer"]["@tokenizers"] == "kg.FastTokenizer.v1"
    assert nlp.tokenizer.max_cache_size > spacy.blank("en").tokenizer.max_cache_size
    spacy_tokens = make_pipeline(classifier="rules", tokenizer="spacy")
    assert spacy_tokens.config["nlp"]["tokenizer"]["@tokenizers"] == "kg.Tokenizer.v1"
    with pytest.raises(ValueError, match="unknown tokenizer"):
        make_pipeline(classifier="rules", tokenizer="whitespace")


def test_either_tokeniser_gives_the_same_extractions_on_every_sample_and_corpus_text():
    """The components read text by offsets: the tokens must not change what they find."""
    fast_nlp, spacy_nlp = make_pipeline(), make_pipeline(tokenizer="spacy")
    differ = [
        p.title[:80]
        for p in _papers()
        if extract_paper(fast_nlp, p.title, p.abstract)
        != extract_paper(spacy_nlp, p.title, p.abstract)
    ]
    assert differ == []


def test_fast_tokens_split_every_punctuation_mark_but_keep_numbers_and_words(fast):
    doc = fast.make_doc("GPT-3.5 (LoRA), 1,000 don't  snake_case µs 🤗Transformers.\n\nX")
    assert [t.text for t in doc] == [
        "GPT", "-", "3.5", "(", "LoRA", ")", ",", "1,000", "don", "'", "t", " ", "snake_case",
        "µs", "🤗", "Transformers", ".", "\n\n", "X",
    ]  # fmt: skip
    assert doc.text == "GPT-3.5 (LoRA), 1,000 don't  snake_case µs 🤗Transformers.\n\nX"


def test_fast_tokens_split_at_script_changes(fast):
    doc = fast.make_doc("我们使用BERT和LLaMA-2在GLUE上进行实验。モデルGPT4を評価")
    assert [t.text for t in doc] == [
        "我们使用", "BERT", "和", "LLaMA", "-", "2", "在", "GLUE", "上进行实验", "。", "モデル",
        "GPT4", "を評価",
    ]  # fmt: skip


def test_same_tokens_as_spacy_on_every_sample_and_corpus_text(reference, ours):
    papers = _papers()
    texts = [f"{p.title}\n\n{p.abstract}" for p in papers]
    default = spacy.blank("en")  # spaCy as shipped: its cache fills up, then stops taking chunks
    differ, cjk = [], []
    for text in texts + texts:  # the second round reads every chunk from our cache
        if _SCRIPT_CHANGE.search(text):  # ours splits there on purpose: checked below
            cjk.append(ours.make_doc(text))
            continue
        expected = tokens(reference.make_doc(text))
        if tokens(ours.make_doc(text)) != expected or tokens(default.make_doc(text)) != expected:
            differ.append(text[:80])
    assert differ == []
    assert len(cjk) <= 2 * 2  # one Chinese abstract in the corpora, read twice
    assert not [t.text for doc in cjk for t in doc if _SCRIPT_CHANGE.search(t.text)]


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
    assert tokens(first) == tokens(again)
    if not _SCRIPT_CHANGE.search(seen):
        assert tokens(first) == tokens(reference.make_doc(seen))


@settings(max_examples=300, deadline=None)
@given(text=texts)
def test_fast_tokens_cover_any_text_and_never_glue_a_mark_to_a_word(fast, text):
    seen = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)
    doc = fast.make_doc(text)
    assert doc.text == seen
    position = 0
    for t in doc:
        assert t.idx == position
        assert seen[t.idx : t.idx + len(t.text)] == t.text
        position += len(t.text_with_ws)
        if len(t.text) > 1:
            # A mark is a token of its own, or a point or comma between digits ("3.5").
            for m in _MARK.finditer(t.text):
                assert _IN_NUMBER.fullmatch(t.text, max(m.start() - 1, 0), m.end() + 1), t.text
    assert position == len(seen)
    assert tokens(doc) == tokens(fast.make_doc(text))


_MARK = re.compile(f"[{SEPARATORS}]")  # punctuation and symbols, not controls
_IN_NUMBER = re.compile(r"\d[.,]\d")


_SCRIPT_CHANGE = re.compile(rf"(?:{CJK.pattern})[A-Za-z0-9]|[A-Za-z0-9](?:{CJK.pattern})")


def test_latin_names_inside_cjk_text_are_tokens_of_their_own(ours):
    doc = ours.make_doc("我们使用BERT和LLaMA-2在GLUE上进行实验。モデルGPT4を評価")
    assert [t.text for t in doc] == [
        "我们使用", "BERT", "和", "LLaMA-2", "在", "GLUE", "上进行实验。モデル", "GPT4",
        "を評価",
    ]  # fmt: skip


def test_names_inside_chinese_text_are_found():
    """Issue 13, weak item: ML names glued into Chinese text (no spaces) were missed."""
    nlp = make_pipeline()
    found = extract_paper(
        nlp,
        "基于BERT的中文文本分类",
        "我们在GLUE上微调了BERT模型，并与LLaMA-2进行比较。",
    )
    got = {(m.text, m.type) for m in found.mentions}
    assert {("BERT", "Model"), ("LLaMA-2", "Model"), ("GLUE", "Dataset")} <= got
    assert all(not CJK.search(m.text) for m in found.mentions), got
