"""Abbreviation definitions: Schwartz–Hearst, adapted to ML abstracts."""

from __future__ import annotations

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.extract.abbreviations import (
    AbbreviationPair,
    best_long_form,
    find_abbreviations,
    is_short_form,
    plural_stripped,
)


def pairs(text: str) -> list[tuple[str, str]]:
    """(short, long) for every definition, after checking that the offsets slice to the strings."""
    found = find_abbreviations(text)
    for pair in found:
        assert text[pair.short_start : pair.short_end] == pair.short
        assert text[pair.long_start : pair.long_end] == pair.long
    return [(pair.short, pair.long) for pair in found]


# --- the classic Schwartz–Hearst examples ----------------------------------------------------


def test_schwartz_hearst_sbma_and_ar() -> None:
    text = (
        "Spinal and bulbar muscular atrophy (SBMA) is an inherited motor neuron disease caused by "
        "the expansion of a polyglutamine tract within the androgen receptor (AR). SBMA can be "
        "caused by this easily."
    )
    assert pairs(text) == [
        ("SBMA", "Spinal and bulbar muscular atrophy"),
        ("AR", "androgen receptor"),
    ]


def test_schwartz_hearst_word_without_a_letter_is_inside_the_long_form() -> None:
    text = "We study the Saccharomyces cerevisiae heat shock transcription factor (HSF)."
    assert pairs(text) == [("HSF", "heat shock transcription factor")]


# --- ML short forms: hyphens, camel case, digits, plurals --------------------------------------


@pytest.mark.parametrize(
    ("text", "short", "long"),
    [
        ("We fine-tune with Low-Rank Adaptation (LoRA).", "LoRA", "Low-Rank Adaptation"),
        ("Although quantization-aware training (QAT) helps,", "QAT", "quantization-aware training"),
        (
            "To address this, we propose Efficient Quantization-Aware Training (EfficientQAT).",
            "EfficientQAT",
            "Efficient Quantization-Aware Training",
        ),
        (
            "In this work, we introduce Gradient Weight-Normalized Low-Rank Projection "
            "(GradNormLoRP).",
            "GradNormLoRP",
            "Gradient Weight-Normalized Low-Rank Projection",
        ),
        (
            "It has two phases: Block-wise training of all parameters (Block-AP) first.",
            "Block-AP",
            "Block-wise training of all parameters",
        ),
        (
            "Then end-to-end training of quantization parameters (E2E-QP) follows.",
            "E2E-QP",
            "end-to-end training of quantization parameters",
        ),
        ("A sparse mixture-of-experts (MoE) layer.", "MoE", "mixture-of-experts"),
        (
            "We present Sequence-aware Sharded Sliced Training (S3T).",
            "S3T",
            "Sequence-aware Sharded Sliced Training",
        ),
        (
            "Protein Large Language Models (ProLLMs) excel at generation.",
            "ProLLMs",
            "Protein Large Language Models",
        ),
        ("we introduce Mixture-of-Transformers (MoT).", "MoT", "Mixture-of-Transformers"),
        (
            "during multi-head self-attention (MHSA, see Section 3).",
            "MHSA",
            "multi-head self-attention",
        ),
        (
            "we propose Pre-training with Representative wOrds Prediction (PROP) for IR.",
            "PROP",
            "Pre-training with Representative wOrds Prediction",
        ),
        ("Chain-of-thought (CoT) prompting", "CoT", "Chain-of-thought"),
        (
            "advances in personalized text-to-image (P-T2I) models",
            "P-T2I",
            "personalized text-to-image",
        ),
        (
            "focusing on the Generalized Cross-Lingual Transfer (G-XLT) setting",
            "G-XLT",
            "Generalized Cross-Lingual Transfer",
        ),
        ("single cell RNA sequencing (scRNA-seq) data", "scRNA-seq", "single cell RNA sequencing"),
        ("we introduce Dynamic-Length Float (DFloat11)", "DFloat11", "Dynamic-Length Float"),
        ("we report accuracy (ACC) and recall", "ACC", "accuracy"),
    ],
)
def test_long_form_before_short_form(text: str, short: str, long: str) -> None:
    assert pairs(text) == [(short, long)]


def test_reverse_short_form_before_long_form() -> None:
    assert pairs("Each MoE (mixture of experts) layer routes tokens.") == [
        ("MoE", "mixture of experts")
    ]


def test_pair_offsets_point_into_the_text() -> None:
    text = "We use Low-Rank Adaptation (LoRA)."
    assert find_abbreviations(text) == [
        AbbreviationPair("LoRA", "Low-Rank Adaptation", 28, 32, 7, 26)
    ]


def test_definitions_come_in_text_order_and_do_not_cross_an_earlier_parenthesis() -> None:
    text = "Post-training quantization (PTQ) and quantization-aware training (QAT) are common."
    assert pairs(text) == [
        ("PTQ", "Post-training quantization"),
        ("QAT", "quantization-aware training"),
    ]


def test_plural_short_form_also_matches_a_singular_long_form() -> None:
    assert pairs("a Large Language Model (LLMs) family") == [("LLMs", "Large Language Model")]


def test_possessive_is_not_part_of_the_short_form() -> None:
    assert pairs("Large Language Models (LLMs') outputs") == [("LLMs", "Large Language Models")]


# --- where the long form starts --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "long"),
    [
        (
            "we propose a novel Neural Architecture Search (NAS) method",
            "Neural Architecture Search",
        ),
        (
            "a framework called Retrieval-Augmented Generation (RAG)",
            "Retrieval-Augmented Generation",
        ),
        ("the proposed Neural Architecture Search (NAS)", "Neural Architecture Search"),
        ("and our Mix Prompt Tuning (MPT)", "Mix Prompt Tuning"),
        ("Learning on Low-Rank Adaptation (LoRA) is cheap", "Low-Rank Adaptation"),
    ],
)
def test_long_form_starts_at_the_word_giving_the_first_letter(text: str, long: str) -> None:
    assert [lf for _, lf in pairs(text)] == [long]


def test_a_function_word_never_supplies_the_first_letter() -> None:
    # Only "the" could give the first T, and a long form never starts with it.
    assert pairs("we study the Thinking Transformer (TTT) here") == []


def test_word_starts_beat_letters_inside_words() -> None:
    # Greedy right-to-left matching would take the second "s" of "supervised".
    text = "a self-supervised learning (SSL) objective"
    assert pairs(text) == [("SSL", "self-supervised learning")]


def test_long_form_does_not_cross_a_sentence_end() -> None:
    assert pairs("We go Large. Language Models (LLMs) rule.") == []


# --- what is not a definition ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The results (see Table 1) are good.",
        "as shown before (2023).",
        "Transformers (Smith et al., 2020) work well.",
        "the baseline (i.e., the model) fails.",
        "diverse networks (e.g., BERT, RoBERTa and GPT-2) gain.",
        "it reaches high accuracy (97.2%).",
        "we beat the model (ours) easily.",
        "three challenges: (1) speed, (2) memory and (iii) cost.",
        "the previous SOTA results from GPT4V (IG-VLM) lag behind.",
        "a cross-lingual instruction fine-tuning framework (xCOT)",
        "a novel approach that leverages LLMs (GPT-4) to generate data",
        "a fully automated generative pipeline (termed as generative simulation)",
        "the gradient of the model(s) is",
        "a strong BERT (BERT) model",
    ],
)
def test_not_a_definition(text: str) -> None:
    assert pairs(text) == []


def test_long_form_with_more_than_ten_words_is_rejected() -> None:
    text = "Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda (ABGDEZETIKL)"
    assert pairs(text) == []


# --- helpers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("short", "stem"),
    [
        ("LLMs", "LLM"),
        ("ProLLMs", "ProLLM"),
        ("MoEs", "MoE"),
        ("GPTs", "GPT"),
        ("DS", "DS"),
        ("LLM's", "LLM"),
        ("Adams", "Adams"),
        ("T5s", "T5"),
    ],
)
def test_plural_stripped(short: str, stem: str) -> None:
    assert plural_stripped(short) == stem


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [
        ("LoRA", True),
        ("E2E-QP", True),
        ("GradNormLoRP", True),
        ("Code LLMs", True),
        ("ours", False),
        ("2023", False),
        ("97.2%", False),
        ("see Table 1", False),
        ("Scalarization", False),
        ("s", False),
    ],
)
def test_is_short_form(candidate: str, expected: bool) -> None:
    assert is_short_form(candidate) is expected


def test_best_long_form_returns_offsets_in_the_candidate() -> None:
    candidate = "we use quantization-aware training"
    assert best_long_form("QAT", candidate) == (7, len(candidate))
    assert best_long_form("XYZ", candidate) is None


# --- spaCy component -------------------------------------------------------------------------


def test_spacy_component_on_a_blank_pipeline() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("kg_abbreviations")
    doc = nlp(
        "We train with end-to-end training of quantization parameters (E2E-QP). "
        "Each MoE (mixture of experts) layer routes tokens."
    )
    found = [(short.text, long.text) for short, long in doc._.abbreviations]
    assert found == [
        ("E2E-QP", "end-to-end training of quantization parameters"),
        ("MoE", "mixture of experts"),
    ]
    short, long = doc._.abbreviations[0]
    assert short.doc is doc and long.end <= short.start


# --- property --------------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "(", ")", " ", "-", ",", ";", ".", ". ", "'s", "e.g.", "i.e.,", "et al.", "2020", "97%",
        "LoRA", "Low", "Rank", "Adaptation", "MoE", "mixture", "of", "experts", "E2E", "QP", "x",
        "Cross", "to", "the", "a", "S3T", "s", "İ", "²", "\n", "ǅ", "ß", "ﬁ",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(_PIECES, max_size=40).map("".join)))
def test_never_raises_and_offsets_slice_to_the_strings(text: str) -> None:
    for pair in find_abbreviations(text):
        assert text[pair.short_start : pair.short_end] == pair.short
        assert text[pair.long_start : pair.long_end] == pair.long
        assert pair.short and pair.long
