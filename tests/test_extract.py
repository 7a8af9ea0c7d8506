"""Extract: each rule on small examples, the vocabulary matcher, and the spaCy pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.extract import extract_paper, make_pipeline, paper_doc, patterns
from graph.extract.patterns import (
    GATES,
    NAMING,
    cue_noun_names,
    head_type,
    is_name_like,
    morphology_type,
    open_gates,
    proposals,
    shaped_names,
    title_prefix,
)
from graph.extract.vocab import VocabMatcher

STOP = frozenset({"LLM", "LLMs", "NLP", "AI"})


def found(text, candidates):
    return [(text[c.start : c.end], c.type, c.proposed) for c in candidates]


# --- name shape ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "word",
    [
        "ProLLaMA",
        "TabPFN",
        "S3T",
        "GEB-1.3B",
        "PEEKABOO",
        "Make-A-Shape",
        "E2E-QP",
        "λ-ECLIPSE",
        "LLaMA 2",
    ],
)
def test_name_like(word):
    assert is_name_like(word, STOP)


@pytest.mark.parametrize(
    "word",
    [
        "Phantom",
        "The",
        "LLM",
        "LLMs",
        "2023",
        "95.2%",
        "model",
        "Large Language Models",
        "In",
        "Towards",
    ],
)
def test_not_name_like(word):
    assert not is_name_like(word, STOP)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("A Protein Large Language Model", "Model"),
        ("a Multi-Granularity Dataset", "Dataset"),
        ("A Sparse and Scalable Architecture", "Method"),
        ("Natural Language Processing", None),
        ("Efficient Quantization-Aware Training", "Method"),
        ("Speech Recognition", None),
    ],
)
def test_head_type(phrase, expected):
    assert head_type(phrase) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("GEB-1.3B", "Model"),
        ("Mistral-7B-Instruct", "Model"),
        ("MVBench", "Dataset"),
        ("FaceID-6M", "Dataset"),
        ("Leaner-Instruct", "Dataset"),
        ("PEEKABOO", None),
    ],
)
def test_morphology(name, expected):
    assert morphology_type(name) == expected


# --- title prefixes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "name", "entity_type"),
    [
        (
            "ProLLaMA: A Protein Large Language Model for Multi-Task Protein Language Processing",
            "ProLLaMA",
            "Model",
        ),
        (
            "Job-SDF: A Multi-Granularity Dataset for Job Skill Demand Forecasting",
            "Job-SDF",
            "Dataset",
        ),
        (
            "EfficientQAT: Efficient Quantization-Aware Training for Large Language Models",
            "EfficientQAT",
            "Method",
        ),
        (
            "PEEKABOO: Hiding parts of an image for unsupervised object localization",
            "PEEKABOO",
            None,
        ),
        ("GEB-1.3B: Open Lightweight Large Language Model", "GEB-1.3B", "Model"),
    ],
)
def test_title_prefix(title, name, entity_type):
    c = title_prefix(title, "", STOP)
    assert c is not None and title[c.start : c.end] == name
    assert c.type == entity_type and c.proposed


def test_title_prefix_needs_a_name():
    assert title_prefix("Small Models, Big Impact: Efficient Corpus Adaptation", "", STOP) is None
    assert title_prefix("Towards Generalist Robots: A Promising Paradigm", "", STOP) is None
    # A capitalised phrase counts when the abstract uses it as a name.
    title = "Unified Embedding: Battle-Tested Feature Representations"
    assert title_prefix(title, "We show that Unified Embedding works.", STOP) is not None
    assert title_prefix(title, "We show that it works.", STOP) is None


# --- proposals and naming ------------------------------------------------------------------------


def test_we_introduce_name_with_appositive_type():
    text = "In this work, we introduce GEB-1.3B, a lightweight LLM trained on 550 billion tokens."
    assert found(text, proposals(text, STOP)) == [("GEB-1.3B", "Model", True)]


def test_we_propose_the_x_model():
    text = "Through training under this framework, we propose the ProLLaMA model, the first."
    assert found(text, proposals(text, STOP)) == [("ProLLaMA", "Model", True)]


def test_we_present_benchmark():
    text = "We present MatSci-NLP, a natural language benchmark for evaluating models."
    assert found(text, proposals(text, STOP)) == [("MatSci-NLP", "Dataset", True)]


def test_dubbed_and_called():
    text = "we propose a framework, dubbed PEEKABOO, for localization."
    assert found(text, proposals(text, STOP)) == [("PEEKABOO", "Method", True)]
    text = "Recently, a new paradigm was presented, called Interval Continual Learning."
    assert found(text, proposals(text, STOP)) == [("Interval Continual Learning", "Method", False)]


def test_proposal_skips_generic_words():
    text = "We propose a simple method that improves LLMs on many tasks."
    assert proposals(text, STOP) == []


# --- cue nouns and shapes ------------------------------------------------------------------------


def test_cue_nouns():
    text = "We evaluate on the MVBench benchmark with the TabPFN model and the AdamW optimizer."
    assert found(text, cue_noun_names(text, STOP)) == [
        ("MVBench", "Dataset", False),
        ("TabPFN", "Model", False),
        ("AdamW", "Method", False),
    ]


def test_sized_names_are_models():
    text = "outperforming MindLLM-1.3B and TinyLLaMA-1.1B at 7B scale"
    assert found(text, shaped_names(text, STOP)) == [
        ("MindLLM-1.3B", "Model", False),
        ("TinyLLaMA-1.1B", "Model", False),
    ]


# --- RE2 gates before the rarely matching rules ---------------------------------------------

GATED = patterns.GATED_RULES
#: Words and separators the rules are made of, so random texts hit them often.
_WORDS = """we our Our OUR the The a an dubbed called termed named coined nicknamed denoted as
referred to known which that call name term dub proposed new novel NEW simple efficient Efficient
fast hybrid sparse adversarial approach method loss scheme datasets benchmarks models baselines
such including namely like e.g. i.e. GLUE SQuAD X-Net MLP Llama-2 7B 1.3B -70B Qwen2.5 _3T T5"""
_SEPARATORS = [" ", " ", " ", "  ", "\n", "\t", "\x0b", "\x1c", ", ", ": ", ". ", "(", ")"]
#: Random texts: words of the rules, each followed by a separator.
_TEXTS = st.lists(
    st.tuples(st.sampled_from(_WORDS.split()), st.sampled_from(_SEPARATORS)).map("".join),
    max_size=30,
).map("".join)
_PHRASE_WORDS = [
    "a",
    "an",
    "our",
    "new",
    "novel",
    "simple",
    "efficient",
    "sparse",
    "hybrid",
    "low-rank",
    "approach",
    "method",
    "NEW",
]
#: Short phrases of words that "a novel ... approach" is made of, spaced any way.
_PHRASES = st.lists(
    st.tuples(st.sampled_from(_PHRASE_WORDS), st.sampled_from(_SEPARATORS[:8])).map("".join),
    min_size=3,
    max_size=9,
).map("".join)


def test_every_gated_rule_has_a_gate():
    assert set(GATED) == set(GATES)


@settings(max_examples=3000, deadline=None)
@given(st.one_of(_TEXTS, _PHRASES))
def test_gates_open_wherever_their_rule_matches(text):
    gates = open_gates(text)
    for name, rule in GATED.items():
        if rule.search(text):
            assert name in gates, (name, text)


@settings(max_examples=1000, deadline=None)
@given(_TEXTS)
def test_enumeration_hint_is_in_every_enumeration(text):
    if patterns.ENUMERATION.search(text):
        assert patterns._ENUMERATION_HINT.search(text), text


_PROPOSAL_WORDS = [
    "we",
    "We",
    "WE",
    "this",
    "This",
    "paper",
    "work",
    "study",
    "the",
    "present",
    "current",
    "here",
    "our",
    "authors",
    "have",
    "also",
    "further",
    "first",
    "newly",
    "Recently",
    "propose",
    "proposes",
    "proposed",
    "introduce",
    "presented",
    "develop",
    "open-source",
    "build",
    "curate",
    "a",
    "method",
    "X-Net",
]
_PROPOSAL_TEXTS = st.lists(
    st.tuples(st.sampled_from(_PROPOSAL_WORDS), st.sampled_from(_SEPARATORS)).map("".join),
    max_size=12,
).map("".join)


@settings(max_examples=2000, deadline=None)
@given(st.one_of(_PROPOSAL_TEXTS, _TEXTS))
def test_proposal_clauses_found_by_re2_equal_pythons(text):
    patterns.proposal_matches.cache_clear()
    assert list(patterns.proposal_matches(text)) == [
        m.span() for m in patterns.PROPOSAL.finditer(text)
    ]


def test_gates_open_on_the_sample_corpus_wherever_their_rule_matches():
    from graph.ingest import read_inputs
    from graph.resources import samples_dir

    for paper in read_inputs([str(samples_dir())]):
        text = f"{paper.title}\n\n{paper.abstract}"
        gates = open_gates(text)
        assert {n for n, rule in GATED.items() if rule.search(text)} <= gates
        assert list(patterns.proposal_matches(text)) == [
            m.span() for m in patterns.PROPOSAL.finditer(text)
        ]


def test_gates_of_non_ascii_text_are_those_of_its_ascii_fold():
    assert open_gates("Wir stellen ſo etwas vor: ﬁne") == frozenset()
    assert open_gates("plain text with nothing to find") == frozenset()
    # The Kelvin sign is a k to Python's case-insensitive engine, so "known as" matches.
    text = "a model \u212anown as Zürich"
    assert NAMING.search(text)
    assert open_gates(text) == {"naming"}


# --- vocabulary matching -------------------------------------------------------------------------


def matches(matcher, text):
    return [(text[m.start : m.end], m.concept.pref_label, m.variant) for m in matcher.find(text)]


def test_vocab_word_boundaries_case_and_plurals(mini_vocab):
    vm = VocabMatcher(mini_vocab)
    text = "BERTs and bert, mT5 but LLaMA2; Transformers; ProLLaMA; adam vs Adam."
    assert matches(vm, text) == [
        ("BERTs", "BERT", False),
        ("LLaMA2", "Llama 2", False),
        ("Transformers", "Transformer", False),
        ("Adam", "Adam", False),
    ]


def test_a_glued_name_written_with_one_capital_is_still_the_name():
    from graph.ontology import load_vocabulary_files

    vocab = load_vocabulary_files(
        [
            Path(__file__).parent / "fixtures" / "vocab" / "mini.ttl",
            Path(__file__).parent / "fixtures" / "vocab_extra" / "camel.ttl",
        ]
    )
    vm = VocabMatcher(vocab)
    text = "Lexinet synonyms with BERT on ReCoRD. A Record of lexinet results; Recordings."
    assert matches(vm, text) == [
        ("Lexinet", "LexiNet", False),
        ("BERT", "BERT", False),
        ("ReCoRD", "ReCoRD", False),
    ]


def test_vocab_versions_attach_to_family(mini_vocab):
    vm = VocabMatcher(mini_vocab)
    text = "We fine-tune Llama-2-70B and LLaMA-7B, and compare with Falcon 40B and GPT-4."
    assert matches(vm, text) == [
        ("Llama-2-70B", "Llama 2", True),
        ("LLaMA-7B", "LLaMA", True),
        ("Falcon 40B", "Falcon", True),
        ("GPT-4", "GPT-4", False),
    ]


def test_languages_that_are_english_words_need_a_cue(mini_vocab):
    vm = VocabMatcher(mini_vocab)
    assert matches(vm, "an Even distribution of Maltese texts") == [("Maltese", "Maltese", False)]
    assert matches(vm, "speech in the Even language") == [("Even", "Even", False)]
    assert matches(vm, "we study Indic languages") == [
        ("Indic languages", "Indic languages", False)
    ]


def _vocab_with(*extra):
    from graph.ontology import load_vocabulary_files

    fixtures = Path(__file__).parent / "fixtures"
    return load_vocabulary_files(
        [fixtures / "vocab" / "mini.ttl", *(fixtures / "vocab_extra" / f for f in extra)]
    )


def test_a_language_inside_a_dataset_name_counts_too():
    """The "English Web Treebank" names the dataset and the language the paper works on."""
    vocab = _vocab_with("senses.ttl")
    vm = VocabMatcher(vocab)
    text = "We parse the English Web Treebank with BERT, and English tweets."
    found = vm.find(text)
    assert [(text[m.start : m.end], m.concept.pref_label, m.nested) for m in found] == [
        ("English Web Treebank", "English Web Treebank", False),
        ("English", "English", True),
        ("BERT", "BERT", False),
        ("English", "English", False),
    ]
    # A language inside nothing longer, or inside another language's name, is not doubled.
    assert [m.nested for m in vm.find("Maltese and English texts")] == [False, False]
    nlp = make_pipeline(vocab)
    ex = extract_paper(nlp, "Parsing the English Web Treebank", "We train BERT on it.")
    assert {(m.type, m.text) for m in ex.mentions} == {
        ("Dataset", "English Web Treebank"),
        ("Language", "English"),
        ("Model", "BERT"),
    }


def test_a_long_name_never_swallows_another_known_name(shipped_nlp):
    """An "X and the Y Treebank" is two datasets, not one long name; each names its language."""
    ex = extract_paper(
        shipped_nlp,
        "Cross-lingual dependency parsing",
        "We train a parser on the English Web Treebank and the Penn Chinese Treebank.",
    )
    assert {(m.type, m.text) for m in ex.mentions} == {
        ("Dataset", "English Web Treebank"),
        ("Dataset", "Penn Chinese Treebank"),
        ("Language", "English"),
        ("Language", "Chinese"),
    }


def test_other_sense_phrases_suppress_the_ml_reading():
    """In "the Otter theorem prover" Otter is no model, nor is it later in the same text; in a
    text without the phrase it is the model."""
    vocab = _vocab_with("senses.ttl")
    assert [o.labels for o in vocab.other_senses] == [
        ("Gemini Observatory",),
        ("Otter theorem prover", "Otter prover"),
    ]
    vm = VocabMatcher(vocab)
    text = "We guide the Otter theorem prover with BERT. Otter then proves more theorems."
    assert matches(vm, text) == [("BERT", "BERT", False)]
    assert vm.other_senses(text) == [(13, 33)]
    assert matches(vm, "We compare Otter with BERT.") == [
        ("Otter", "Otter", False),
        ("BERT", "BERT", False),
    ]
    # Case-sensitive phrases only in their case.
    assert vm.other_senses("the gemini observatory") == []
    assert vm.other_senses("the Gemini Observatory.") == [(4, 22)]


def test_other_senses_hold_for_novel_names_too(shipped_nlp):
    """The shipped phrases: a clinical note format, a theorem prover, a journal, a person."""
    cases = [
        (
            "SOAP note generation from doctor-patient conversations with large language models",
            "We fine-tune GPT-4 and Llama 2 to write SOAP notes. SOAP improves documentation.",
            {("Model", "GPT-4"), ("Model", "Llama 2")},
        ),
        (
            "Graphene transport",
            "As reported in Phys. Rev. Lett. 2020, we train BERT and ResNet-50 on spectra.",
            {("Model", "BERT"), ("Model", "ResNet-50")},
        ),
        (
            "Information theory and deep networks",
            "Following Claude Shannon, we bound what Transformer layers trained with Adam store.",
            {("Method", "Transformer"), ("Method", "Adam")},
        ),
    ]
    for title, abstract, expected in cases:
        ex = extract_paper(shipped_nlp, title, abstract)
        assert {(m.type, m.text) for m in ex.mentions} == expected, title


def test_lett_of_journal_titles_is_no_language():
    """The "Lett" (an old name of Latvian) is the "Letters" of "Phys. Rev. Lett."."""
    from graph.ontology import load_vocabulary

    (latvian,) = [c for c in load_vocabulary().concepts.values() if c.pref_label == "Latvian"]
    assert "Lett" not in latvian.labels and "Lettish" in latvian.labels


# --- the whole pipeline ---------------------------------------------------------------------------


def test_pipeline_is_blank_english_plus_our_components(mini_nlp):
    assert mini_nlp.lang == "en"
    assert mini_nlp.pipe_names == [
        "kg_sentences",
        "kg_abbreviations",
        "kg_vocab",
        "kg_patterns",
        "kg_entities",
        "kg_classifier",
        "kg_relations",
    ]


def test_pipeline_finds_typed_mentions_with_evidence(mini_nlp):
    title = "ProLLaMA: A Protein Large Language Model"
    abstract = (
        "Large Language Models (LLMs) such as GPT-4 and LLaMA2 excel. We propose the "
        "ProLLaMA model, trained with Low-Rank Adaptation (LoRA) on English and Maltese "
        "proteins. ProLLaMA beats BERT on GLUE."
    )
    ex = extract_paper(mini_nlp, title, abstract)
    got = {(m.type, m.text, m.proposed) for m in ex.mentions}
    assert got == {
        ("Model", "ProLLaMA", True),
        ("Model", "GPT-4", False),
        ("Model", "LLaMA2", False),
        ("Method", "Low-Rank Adaptation", False),
        ("Method", "LoRA", False),
        ("Language", "English", False),
        ("Language", "Maltese", False),
        ("Model", "BERT", False),
        ("Dataset", "GLUE", False),
    }
    pro = next(m for m in ex.mentions if m.text == "ProLLaMA")
    assert pro.field == "title" and (pro.start, pro.end) == (0, 8) and pro.occurrences == 3
    lora = next(m for m in ex.mentions if m.text == "LoRA")
    assert abstract[lora.start : lora.end] == "LoRA" and lora.sentence.startswith("We propose")
    assert lora.concept.endswith("/method/lora") and 0 < lora.confidence <= 1
    assert ("LoRA", "Low-Rank Adaptation") in {(a.short, a.long) for a in ex.aliases}


def test_acronym_definition_of_a_new_method(mini_nlp):
    abstract = (
        "To address this, we propose Efficient Quantization-Aware Training "
        "(EfficientQAT), a novel quantization technique. EfficientQAT is fast."
    )
    ex = extract_paper(mini_nlp, "A Title", abstract)
    got = {(m.type, m.text, m.proposed) for m in ex.mentions}
    assert ("Method", "Efficient Quantization-Aware Training", True) in got
    assert ("Method", "EfficientQAT", True) in got


def test_papers_own_definition_beats_the_vocabulary(mini_nlp):
    abstract = "We revisit Sharpness-Aware Minimization (SAM) and show SAM converges."
    ex = extract_paper(mini_nlp, "A Title", abstract)
    assert {m.type for m in ex.mentions if m.text == "SAM"} == {"Method"}


def test_spans_are_labelled_on_the_doc(mini_nlp):
    doc = paper_doc(mini_nlp, "A study", "We fine-tune BERT on GLUE in Maltese.")
    assert [(s.text, s.label_) for s in doc.spans["kg_entities"]] == [
        ("BERT", "Model"),
        ("GLUE", "Dataset"),
        ("Maltese", "Language"),
    ]


def test_factories_are_registered():
    for name in ("kg_abbreviations", "kg_vocab", "kg_patterns", "kg_entities"):
        assert name in spacy.registry.factories.get_all()


NON_ML = [
    (
        "Dark matter halos in the Milky Way",
        "We measure the rotation curve of the Milky Way with Gaia DR3 and constrain the dark "
        "matter "
        "halo profile. An Even distribution of stars is ruled out at 3 sigma.",
    ),
    (
        "Knot invariants from Khovanov homology",
        "We construct a new knot invariant from Khovanov homology and prove it detects the unknot. "
        "The Jones polynomial is recovered as the graded Euler characteristic.",
    ),
]


@pytest.mark.parametrize(("title", "abstract"), NON_ML)
def test_non_ml_text_yields_no_model_or_dataset_mini(mini_nlp, title, abstract):
    ex = extract_paper(mini_nlp, title, abstract)
    assert not [m for m in ex.mentions if m.type in ("Model", "Dataset")]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300), st.text(max_size=600))
def test_offsets_always_slice_to_the_surface(mini_nlp, title, abstract):
    ex = extract_paper(mini_nlp, title, abstract)
    for m in ex.mentions:
        field = title if m.field == "title" else abstract
        assert field[m.start : m.end] == m.text


def test_make_pipeline_defaults_to_shipped_vocabulary():
    nlp = make_pipeline()
    assert nlp.get_pipe("kg_vocab").matcher is not None


def test_group_adjective_in_a_coordinated_phrase(mini_vocab):
    vm = VocabMatcher(mini_vocab)
    text = "between English and 13 Indic and 21 African low-resource languages"
    assert matches(vm, text) == [("English", "English", False), ("Indic", "Indic languages", False)]
    assert matches(vm, "the Indic script") == []


def test_non_language_prefix_is_not_a_mention(mini_vocab):
    vm = VocabMatcher(mini_vocab)
    assert matches(vm, "costs for non-English speakers") == []


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        ("We propose X. It works, e.g. on GLUE. Done!", [0, 14, 38]),
        ("A Title\n\nFirst sentence. Second (see Fig. 2) one.", [0, 9, 25]),
        ("Smith et al. show it. Accuracy is 97.5%. Next", [0, 22, 41]),
        ("", [0]),
    ],
)
def test_sentence_starts(text, starts):
    from graph.extract.sentences import sentence_starts

    assert sentence_starts(text) == starts


def test_sentences_component_sets_doc_sents(mini_nlp):
    doc = paper_doc(mini_nlp, "A Title", "One sentence here. Another one (LoRA) follows.")
    assert [s.text.strip() for s in doc.sents] == [
        "A Title",
        "One sentence here.",
        "Another one (LoRA) follows.",
    ]


@pytest.mark.parametrize("word", ["BERT-based", "BP-trained", "LLM-like"])
def test_modifiers_are_not_names(word):
    assert not is_name_like(word, STOP)


def test_title_prefix_rejects_possessives_and_verb_phrases():
    assert title_prefix("TinyHelen's First Curriculum: Training Tiny Models", "", STOP) is None
    c = title_prefix("LLM2LLM: Boosting LLMs with Novel Iterative Data Enhancement", "", STOP)
    assert c is not None and c.type is None


def test_more_proposal_shapes():
    text = (
        "This work introduces a simple yet highly effective framework, Feature Multiplexing, "
        "where one space is shared. We validate our proposed Retrieval-Augmented Data "
        "Augmentation framework. FlashSpeech applies a novel adversarial consistency training "
        "approach. We also release a gold hate speech evaluation benchmark HateEval-Hi and "
        "HateEval-Mr. Our training involves a novel 'Configuration-Invariant Knowledge "
        "Distillation' loss."
    )
    got = {(text[c.start : c.end], c.type) for c in proposals(text, STOP) if c.proposed}
    assert {
        ("Feature Multiplexing", "Method"),
        ("adversarial consistency training", "Method"),
        ("HateEval-Hi", "Dataset"),
        ("HateEval-Mr", "Dataset"),
        ("Configuration-Invariant Knowledge Distillation", "Method"),
    } <= got
    assert any(name.startswith("Retrieval-Augmented Data Augmentation") for name, _ in got)


def test_naming_credits_earlier_work():
    text = "Recently, a new paradigm was presented, called Interval Continual Learning."
    assert [c.proposed for c in proposals(text, STOP)] == [False]
    text = "UniTabE represents each table element with a module, termed TabUnit."
    assert [(text[c.start : c.end], c.proposed) for c in proposals(text, STOP)] == [
        ("TabUnit", True)
    ]


def test_list_after_cue_in_a_creation_sentence():
    text = (
        "We have created a suite of training and evaluation datasets: 71M Leaner-Pretrain, "
        "7M Leaner-Instruct, Leaner-Glue for linguistics."
    )
    got = [
        (text[c.start : c.end], c.type, c.proposed)
        for c in proposals(text, STOP)
        if c.rule == "list"
    ]
    assert got == [
        ("Leaner-Pretrain", "Dataset", True),
        ("Leaner-Instruct", "Dataset", True),
        ("Leaner-Glue", "Dataset", True),
    ]
    text = "We evaluate on datasets such as GLUE, SQuAD and MMLU."
    assert [c.proposed for c in proposals(text, STOP) if c.rule == "list"] == [False, False, False]


def test_list_after_cue_of_new_things_with_namely():
    text = (
        "The suite consists of two novel datasets, namely, OkapiQA for reading and OkapiSum "
        "for summaries."
    )
    got = [
        (text[c.start : c.end], c.type, c.proposed)
        for c in proposals(text, STOP)
        if c.rule == "list"
    ]
    assert got == [("OkapiQA", "Dataset", True), ("OkapiSum", "Dataset", True)]
    text = "Prior work used two datasets, namely, OkapiQA and OkapiSum."
    assert [c.proposed for c in proposals(text, STOP) if c.rule == "list"] == [False, False]


def test_a_capitalised_word_listed_with_known_names_takes_their_type(mini_nlp):
    from graph.extract import paper_doc

    abstract = (
        "We test on GLUE, Quokka and ImageNet with BERT. Results on ImageNet and Wombat improve."
    )
    doc = paper_doc(mini_nlp, "A Title", abstract)
    findings = doc._.kg_findings
    listed = {(findings.text[s.start : s.end], s.type) for s in findings.spans if s.rule == "list"}
    assert ("Quokka", "Dataset") in listed and ("Wombat", "Dataset") in listed
    assert not any(name == "Results" for name, _ in listed)


def test_ambiguous_model_names_need_ml_context():
    from graph.ontology import load_vocabulary_files

    vocab = load_vocabulary_files(
        [
            Path(__file__).parent / "fixtures" / "vocab" / "mini.ttl",
            Path(__file__).parent / "fixtures" / "vocab_extra" / "ambiguous.ttl",
        ]
    )
    vm = VocabMatcher(vocab)
    assert matches(vm, "Spectra from the Gemini North telescope.") == []
    assert matches(vm, "We compare GPT-4 with Gemini.") == [
        ("GPT-4", "GPT-4", False),
        ("Gemini", "Gemini", False),
    ]
    assert matches(vm, "the Gemini model family") == [("Gemini", "Gemini", False)]


def _non_ml_rows():
    import json

    path = Path(__file__).parent / "fixtures" / "non_ml.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.fixture(scope="module")
def shipped_nlp():
    return make_pipeline()


@pytest.mark.parametrize("row", _non_ml_rows(), ids=lambda r: r["title"][:30])
def test_non_ml_abstracts_yield_no_model_or_dataset(shipped_nlp, row):
    """Astrophysics, topology, neuroscience, power grids, plant biology, history."""
    ex = extract_paper(shipped_nlp, row["title"], row["abstract"])
    assert [(m.type, m.text) for m in ex.mentions if m.type in ("Model", "Dataset")] == []


def test_plus_names_are_not_their_base_names():
    from graph.ontology import load_vocabulary_files

    vocab = load_vocabulary_files([Path(__file__).parent / "fixtures" / "vocab_extra" / "plus.ttl"])
    vm = VocabMatcher(vocab)
    assert matches(vm, "HumanEval, HumanEval+ and (HumanEval) scores") == [
        ("HumanEval", "HumanEval", False),
        ("HumanEval+", "HumanEval+", False),
        ("HumanEval", "HumanEval", False),
    ]


def test_pattern_names_are_trimmed_and_need_two_characters(mini_nlp):
    abstract = (
        "We evaluate on datasets such as GLUE and ModelNet40. The operator, denoted as G_, is new."
    )
    ex = extract_paper(mini_nlp, "A Title", abstract)
    texts = {m.text for m in ex.mentions}
    assert "ModelNet40" in texts and "ModelNet40." not in texts
    assert not any(t.startswith("G_") for t in texts)


# --- shipped vocabularies: names with other senses, and the field's older vocabulary --------------
# Small sentences written for these tests; each pair shows a name in another field's sense (no link)
# and the same name beside other ML names or an ML cue (a link).


def _typed(nlp, title, abstract, types=("Model", "Dataset", "Method")):
    ex = extract_paper(nlp, title, abstract)
    return {(m.type, m.text) for m in ex.mentions if m.type in types}


@pytest.mark.parametrize(
    ("title", "abstract", "name"),
    [
        (
            "Merchant banking in Renaissance Florence",
            "Florence was the seat of the Medici bank. We trace letters of credit between "
            "Florence, Venice and Bruges from 1397 to 1494.",
            "Florence",
        ),
        (
            "Sparse regression with feature grouping",
            "OSCAR is a sparse regression tool that groups correlated predictors through an "
            "octagonal penalty. We derive a faster solver for the OSCAR path.",
            "OSCAR",
        ),
        (
            "Reasoning with quantified Boolean formulas",
            "We translate nonmonotonic reasoning tasks into QBFs and compare the QUIP system "
            "with other solvers on these encodings.",
            "QUIP",
        ),
        (
            "Cryptography questions on developer forums",
            "We clustered cryptography-related questions on the Stack Overflow website and "
            "analysed the misuse of cipher modes.",
            "the Stack",
        ),
    ],
    ids=["city", "regression-tool", "qbf-solver", "q-and-a-site"],
)
def test_names_with_another_sense_are_not_linked_outside_ml(shipped_nlp, title, abstract, name):
    assert not any(text == name for _, text in _typed(shipped_nlp, title, abstract))


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        (
            "We compare Florence with CLIP and BLIP-2 on COCO captioning.",
            {("Model", "Florence"), ("Model", "CLIP"), ("Dataset", "COCO")},
        ),
        (
            "We pre-train on the OSCAR corpus together with mC4 and evaluate on XNLI.",
            {("Dataset", "OSCAR corpus"), ("Dataset", "mC4")},
        ),
        ("We compare GPTQ, AWQ and QuIP on Llama 2 at two bits.", {("Method", "QuIP")}),
    ],
    ids=["florence-model", "oscar-corpus", "quip-quantisation"],
)
def test_names_with_another_sense_are_linked_beside_ml_names(shipped_nlp, abstract, expected):
    assert expected <= _typed(shipped_nlp, "A study", abstract)


def test_shared_task_names_with_year_and_task(shipped_nlp):
    found = _typed(
        shipped_nlp,
        "Sentiment in tweets",
        "We took part in SemEval-2017 Task 4 and Task 4 of SemEval-2016, and report "
        "chunking on CoNLL-2000 and translation on IWSLT14 De-En.",
    )
    assert {
        ("Dataset", "SemEval-2017 Task 4"),
        ("Dataset", "Task 4 of SemEval-2016"),
        ("Dataset", "CoNLL-2000"),
        ("Dataset", "IWSLT14 De-En"),
    } <= found


def test_version_bearing_names_are_distinct_concepts(shipped_nlp):
    ex = extract_paper(
        shipped_nlp,
        "Benchmarks",
        "We report accuracy on CIFAR-10 and CIFAR-100 and ranking results on MovieLens-1M and "
        "MovieLens-20M with ResNet-50 and ResNet-101.",
    )
    by_text = {m.text: m.concept or m.family for m in ex.mentions}
    names = ["CIFAR-10", "CIFAR-100", "MovieLens-1M", "MovieLens-20M", "ResNet-50", "ResNet-101"]
    assert all(by_text.get(n) for n in names)
    assert len({by_text[n] for n in names}) == len(names)


def test_a_language_pair_written_out_keeps_its_languages(shipped_nlp):
    ex = extract_paper(
        shipped_nlp, "Translation", "Our Transformer reaches 28.4 BLEU on WMT 2014 English-German."
    )
    got = {(m.type, m.text) for m in ex.mentions}
    # The edition's pair is part of the dataset's name (the guidelines' "WMT14 En-De"), and
    # its languages are named too.
    assert {
        ("Dataset", "WMT 2014 English-German"),
        ("Language", "English"),
        ("Language", "German"),
    } <= got
    assert ("Dataset", "WMT 2014") not in got


@pytest.mark.parametrize(
    ("title", "abstract", "method"),
    [
        (
            "Named entities with conditional random fields",
            "We combine a BiLSTM encoder with a CRF output layer on CoNLL-2003.",
            "conditional random fields",
        ),
        (
            "Driving policies",
            "We combine model-predictive control (MPC) with a learned dynamics model.",
            "model-predictive control",
        ),
        (
            "Exploration for agents",
            "We study reinforcement learning (RL) with sparse rewards on Atari games.",
            "reinforcement learning",
        ),
        (
            "Parsing with a shift-reduce parser",
            "Our shift-reduce parser uses beam search and a structured perceptron.",
            "shift-reduce parser",
        ),
        (
            "Submodular optimization for summarisation",
            "We select sentences by maximising a coverage function under a budget.",
            "Submodular optimization",
        ),
    ],
    ids=["crf", "mpc", "rl", "shift-reduce", "submodular"],
)
def test_techniques_of_earlier_eras_are_methods(shipped_nlp, title, abstract, method):
    assert ("Method", method) in _typed(shipped_nlp, title, abstract)


def test_a_batch_extracts_as_one_paper_at_a_time(mini_nlp):
    """Components run over a group of papers before the next one; the results are the same."""
    from graph.extract import extract_batch

    items = [
        (7, "BERT: Pre-training of Transformers", "We pre-train BERT on Wikipedia."),
        (3, "A Title", "Our model, based on RoBERTa, outperforms BERT on GLUE and SQuAD."),
        (5, "Another Title", "Nothing is named here."),
        (1, "FooNet", "We propose FooNet, a BERT-based model for Maltese."),
        (9, "Last", ""),
    ]
    expected = [(i, extract_paper(mini_nlp, t, a)) for i, t, a in items]
    assert extract_batch(mini_nlp, items, size=2) == expected
    assert extract_batch(mini_nlp, items) == expected
    assert any(ex.relations for _, ex in expected)


def test_the_build_leaves_out_lexical_attributes_and_extracts_alike(mini_vocab):
    """Workers skip spaCy's lexical attributes (no component reads them); a library caller's
    pipeline keeps them."""
    plain = make_pipeline(mini_vocab, lexical_attributes=False)
    full = make_pipeline(mini_vocab)
    papers = [
        ("BERT: Pre-training of Transformers", "We pre-train BERT on 3.5 GB of Wikipedia."),
        ("FooNet", "We propose FooNet, a BERT-based model for Maltese, and test it on GLUE."),
        ("Z\u00fcrich 2024", "Unseen words \u4f7f\u7528BERT\u548c, 10km, don't."),
    ]
    for title, abstract in papers:
        assert extract_paper(plain, title, abstract) == extract_paper(full, title, abstract)
    doc = paper_doc(full, "Sizes", "We train on 3.5 GB.")
    assert [t.text for t in doc if t.like_num] == ["3.5"]
    assert [t.lower_ for t in doc][:2] == ["sizes", "\n\n"]


def _non_ml_more_rows():
    import json

    path = Path(__file__).parent / "fixtures" / "non_ml_more.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.mark.parametrize("row", _non_ml_more_rows(), ids=lambda r: r["title"][:30])
def test_other_sciences_words_of_ml_make_no_model_or_dataset(shipped_nlp, row):
    """Astrophysics, topology, philosophy, history, chemistry, physics, economics and ecology
    written with the words ML shares with them ("training set", "dataset", "benchmark",
    "gradient", "a new model of", "the X dataset") and names ML also uses."""
    ex = extract_paper(shipped_nlp, row["title"], row["abstract"])
    assert [(m.type, m.text) for m in ex.mentions if m.type in ("Model", "Dataset")] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We fine-tune a pretrained encoder.", True),
        ("Results on question answering and summarization.", True),
        ("The classifier reaches 91% accuracy.", True),  # two words ML shares with others
        ("A classifier based on dispersion measure separates the bursts.", False),
        ("Teacher training and a dataset of 600 llamas; a temperature gradient.", False),
        ("Temperature effects in large scale neural network simulations.", False),
        ("Temperature effects in neural network simulations and a neural network model.", True),
    ],
)
def test_ml_context(text, expected):
    from graph.extract.entities import ml_context

    assert ml_context(text) is expected


def test_a_model_name_that_is_a_word_needs_ml_context(shipped_nlp):
    """ "Falcon" and "Mamba" are cooperatives in animal husbandry, models in ML."""
    farm = (
        "We measured fibre diameter in 600 llamas. The dataset of fleece samples from the "
        "Falcon and Mamba cooperatives shows that training of herders improved quality."
    )
    assert not [
        m for m in extract_paper(shipped_nlp, "Fibre quality", farm).mentions if m.type == "Model"
    ]
    ml = "We fine-tune Falcon and Mamba on instruction data and compare their accuracy."
    assert {("Model", "Falcon"), ("Model", "Mamba")} <= _typed(shipped_nlp, "Tuning", ml)


def test_a_new_model_outside_ml_is_no_model(shipped_nlp):
    """A science's own model ("a new model of magnetic reconnection") is not an ML model; the
    same sentence about a language model is."""
    solar = (
        "We propose HeliRec, a new model of magnetic reconnection in flaring loops, and fit its "
        "parameters to a training set of 40 flares."
    )
    assert not [
        m
        for m in extract_paper(shipped_nlp, "Solar flares", solar).mentions
        if m.type in ("Model", "Dataset")
    ]
    ml = "We propose HeliRec, a new language model for solar physics, fine-tuned on 40 papers."
    assert ("Model", "HeliRec") in _typed(shipped_nlp, "Solar flares", ml)


def test_a_known_dataset_of_another_science_needs_ml_context(shipped_nlp):
    """ERA5 is a climate reanalysis; in a climate paper without machine learning it is that
    science's data, in a forecasting network's paper a dataset."""
    climate = "We compare CMIP6 rainfall projections with the ERA5 reanalysis over the Sahel."
    assert not [
        m
        for m in extract_paper(shipped_nlp, "Sahel rainfall", climate).mentions
        if m.type == "Dataset"
    ]
    ml = "We train a graph neural network on ERA5 and evaluate it on WeatherBench."
    assert ("Dataset", "ERA5") in _typed(shipped_nlp, "Forecasting", ml)
