"""Extract: the seven causes of errors on papers nobody tuned the extractor on, each pinned.

Every example is written for the test (none comes from an annotated paper) and runs through the
shipped pipeline: the real vocabularies, the rules and the learned classifier.
"""

from __future__ import annotations

import pytest

from graph.extract import extract_paper, make_pipeline, paper_doc
from graph.extract.candidates import scan_names
from graph.extract.classifier.decision import object_of_proposal
from graph.extract.patterns import title_prefix
from graph.extract.sentences import sentence_starts
from graph.records import Paper, PaperRecord, SourceRef
from graph.resolve import display_name, resolve


@pytest.fixture(scope="module")
def nlp():
    return make_pipeline()


def typed(nlp, title, abstract):
    """{(type, text, proposed)} of what the pipeline finds."""
    return {(m.type, m.text, m.proposed) for m in extract_paper(nlp, title, abstract).mentions}


def names(nlp, title, abstract, entity_type=None):
    return {
        m.text
        for m in extract_paper(nlp, title, abstract).mentions
        if entity_type is None or m.type == entity_type
    }


# --- 1. a paper's own new names are typed by the noun phrase that says what they are -----------


@pytest.mark.parametrize(
    ("abstract", "name", "entity_type"),
    [
        (
            "We introduce QuarkBench, a comprehensive benchmark for chemistry reasoning. "
            "Models from the GPT-4 family fail on QuarkBench.",
            "QuarkBench",
            "Dataset",
        ),
        (
            "We present Quillset, a large-scale dataset of annotated diagrams collected from "
            "textbooks, and evaluate BERT and ViT on Quillset.",
            "Quillset",
            "Dataset",
        ),
        (
            "We propose Retrivo, a new QA-pair retriever trained with contrastive learning. "
            "Retrivo outperforms BM25 and DPR on Natural Questions.",
            "Retrivo",
            "Model",
        ),
    ],
)
def test_new_names_take_the_type_of_their_description(nlp, abstract, name, entity_type):
    assert (entity_type, name, True) in typed(nlp, "A study", abstract)


def test_title_prefix_typed_by_the_head_after_the_colon(nlp):
    title = "Zorblax: Designing Scalable Vision Models"
    abstract = (
        "We train Zorblax on ImageNet and compare it with ViT and ResNet-50. Zorblax reaches "
        "higher accuracy with fewer parameters."
    )
    assert ("Model", "Zorblax", True) in typed(nlp, title, abstract)


def test_a_title_description_with_coordinated_modifiers_still_types_its_name(nlp):
    title = "TagaSpeech 3: A Growing, Multi-Domain and Multilingual Speech Corpus for Tagalog"
    abstract = (
        "We present TagaSpeech 3, 12,000 hours of transcribed speech. Models trained on "
        "TagaSpeech 3 halve the word error rate of Whisper on Tagalog."
    )
    assert title_prefix(title, abstract).type == "Dataset"
    assert ("Dataset", "TagaSpeech 3", True) in typed(nlp, title, abstract)


def test_names_listed_after_their_head_noun_are_the_papers_own(nlp):
    abstract = (
        "We release three new Swahili BERT-style models (SwaBERT-S, SwaBERT-M and SwaBERT-L) "
        "pre-trained on news and web text, and evaluate them on MasakhaNER."
    )
    found = typed(nlp, "Swahili encoders", abstract)
    for name in ("SwaBERT-S", "SwaBERT-M", "SwaBERT-L"):
        assert ("Model", name, True) in found


def test_the_parts_a_new_suite_is_made_of_are_its_own_datasets(nlp):
    abstract = (
        "We build PolyBench, a benchmark for multilingual code. PolyBench consists of three "
        "novel multilingual datasets, namely, AlphaQA supporting reading comprehension, BetaNLI "
        "for inference between languages, and GammaSum for summarization. We evaluate ChatGPT "
        "on PolyBench."
    )
    found = typed(nlp, "PolyBench: multilingual code", abstract)
    for name in ("PolyBench", "AlphaQA", "BetaNLI", "GammaSum"):
        assert ("Dataset", name, True) in found, (name, found)
    assert ("Model", "ChatGPT", False) in found


def test_sizes_and_variants_of_a_new_name_are_new_names_too(nlp):
    abstract = (
        "We propose a family of flexible encoders. FlexoBERT-Tiny has 3% fewer parameters than "
        "BERT-Mini; FlexoBERT-Huge, another proposed model, leads GLUE."
    )
    found = typed(nlp, "FlexoBERT: flexible encoders", abstract)
    assert ("Model", "FlexoBERT-Tiny", True) in found, found
    assert ("Model", "FlexoBERT-Huge", True) in found, found
    doc = paper_doc(
        nlp,
        "Zorro: early-fusion mixtures",
        "We train Zorro 1.4B, an early-fusion mixture of experts, on interleaved text and images.",
    )
    findings = doc._.kg_findings
    sized = {(s.type, findings.text[s.start : s.end], s.proposed) for s in findings.spans}
    assert ("Model", "Zorro 1.4B", True) in sized, sized


def test_a_word_before_a_known_model_in_a_proposal_makes_a_new_model(nlp):
    abstract = (
        "Finally, we develop Legal mT5, the first multilingual text-to-text legal model, and "
        "compare it with mT5 and BERT on court rulings."
    )
    found = typed(nlp, "Legal text generation", abstract)
    assert ("Model", "Legal mT5", True) in found, found
    assert ("Model", "mT5", False) in found


# --- 2. proposals: only what the paper itself introduces ---------------------------------------


def test_a_modifier_before_a_known_name_makes_no_proposal(nlp):
    found = typed(nlp, "Hate speech", "We also release hateful BERT, trained on Reddit posts.")
    assert not any(p for _, _, p in found)


def test_the_object_of_we_present_is_not_the_names_after_it(nlp):
    abstract = "We present adaptation results using GPT-2 and ViT on CIFAR-10."
    found = typed(nlp, "Adaptation", abstract)
    assert ("Model", "GPT-2", False) in found and ("Model", "ViT", False) in found
    assert not any(p for _, _, p in found)


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("We propose Zelvora, a retriever for long documents.", "Zelvora", True),
        ("This paper introduces Quorbit (a sparse mixer) for speech.", "Quorbit", True),
        ("In this work we present AdaQuant that adapts bit widths.", "AdaQuant", True),
        ("We introduce dynamic programming techniques for decoding.", "dynamic programming", False),
        ("We propose Basis Training with a novel Basis Mixer (BM).", "Basis Training", False),
        ("Prior work proposed Zelvora, a retriever.", "Zelvora", False),
    ],
)
def test_the_whole_object_of_we_propose_is_the_papers_own(text, name, expected):
    start = text.index(name)
    assert object_of_proposal(text, start, start + len(name)) is expected


def test_a_name_proposed_in_so_many_words_is_proposed_even_if_known(nlp):
    abstract = (
        "Fine-tuning large models is costly. We propose AdaLoRA, which allocates the budget of "
        "low-rank updates by importance, and evaluate it with DeBERTaV3 on GLUE."
    )
    found = typed(nlp, "Adaptive budgets", abstract)
    assert ("Method", "AdaLoRA", True) in found
    assert ("Dataset", "GLUE", False) in found


def test_no_proposal_without_a_proposal_cue(nlp):
    abstract = (
        "Misspecification has made Bayesian approaches appear unattractive to practitioners "
        "training neural networks on ImageNet."
    )
    assert not any(p for _, _, p in typed(nlp, "Bayesian deep learning", abstract))


def test_genres_libraries_and_venues_are_not_proposed_methods(nlp):
    abstract = (
        "We propose a planner for real-time strategy (RTS) games, trained with a deep "
        "network built on the PyTorch Lightning (PL) library and presented at the Annual "
        "Meeting of the Association (AMA)."
    )
    found = names(nlp, "Planning in games", abstract)
    for name in ("RTS", "real-time strategy", "PL", "AMA"):
        assert name not in found


# --- 3. techniques written as lowercase prose, and the vocabulary of other eras ---------------


@pytest.mark.parametrize(
    ("title", "abstract", "name"),
    [
        (
            "Learning to steer",
            "We combine model-predictive control (MPC) with a neural dynamics model trained on "
            "robot data; MPC plans over a short horizon.",
            "MPC",
        ),
        (
            "Sparse rewards",
            "We train agents with reinforcement learning (RL) and show RL benefits from "
            "curricula on Atari.",
            "RL",
        ),
        (
            "Faster decoding",
            "We decode translations with beam search and show that beam search with a length "
            "penalty improves BLEU on WMT14.",
            "beam search",
        ),
        (
            "Parsing news",
            "We train a shift-reduce parsing model on the Penn Treebank; shift-reduce parsing "
            "is fast.",
            "shift-reduce parsing",
        ),
        (
            "Domain adaptation of language models",
            "We apply continued pre-training to BERT on biomedical text; continued pre-training "
            "improves every task.",
            "continued pre-training",
        ),
    ],
)
def test_established_techniques_are_methods(nlp, title, abstract, name):
    found = typed(nlp, title, abstract)
    assert any(t == "Method" and text.lower() == name.lower() for t, text, _ in found), found


def test_parsers_and_taggers_of_earlier_eras_are_models(nlp):
    abstract = (
        "We compare our dependency parser with MaltParser, MSTParser and ZPar on the Penn "
        "Treebank, tagging the input with the Stanford POS tagger."
    )
    found = names(nlp, "Parsing with fewer features", abstract, "Model")
    assert {"MaltParser", "MSTParser", "ZPar", "Stanford POS tagger"} <= found, found


def test_the_transformer_architecture_in_lowercase_is_a_method(nlp):
    abstract = (
        "Pretrained transformer models fine-tuned on SQuAD reach high accuracy; we stack "
        "transformer blocks with shared weights."
    )
    assert "transformer" in names(nlp, "Deeper encoders", abstract, "Method")
    # An electrical transformer in a text that does not speak of machine learning is nothing.
    other = "The substation transformer overheats when the grid load peaks in summer."
    assert "transformer" not in names(nlp, "Grid failures", other)


def test_a_descriptive_title_the_abstract_names_again_is_the_papers_method(nlp):
    title = "Ridge Echo Sampling for Sparse Graph Learning"
    abstract = (
        "Learning on sparse graphs needs many samples. We propose ridge echo sampling, which "
        "reuses walks across nodes, and show it beats uniform sampling on Cora."
    )
    found = typed(nlp, title, abstract)
    assert any(t == "Method" and x.lower() == "ridge echo sampling" and p for t, x, p in found)
    # A title phrase the abstract only repeats as a topic is not a name.
    plain = "Sparse graph learning is hard; sparse graph learning needs samples."
    assert not any(x.lower() == "sparse graph learning" for _, x, _ in typed(nlp, title, plain))


# --- 4. acronyms: model acronyms found, task and organisation acronyms not ----------------------


def test_acronyms_of_named_architectures_are_found(nlp):
    abstract = (
        "We propose Stochastic Quark Networks (SQNs) for sequence modelling and compare them "
        "with deep attention convolutional networks (DACNs) on Penn Treebank."
    )
    found = names(nlp, "Sequence models", abstract)
    assert "SQNs" in found and "DACNs" in found


def test_task_and_organisation_acronyms_are_not_entities(nlp):
    abstract = (
        "We study closed-book QA (CBQA) with T5 and analyse reports of the European Central "
        "Bank (ECB) with BERT."
    )
    found = names(nlp, "Questions", abstract)
    assert not found & {"CBQA", "closed-book QA", "ECB", "European Central Bank"}


def test_an_acronym_in_a_text_without_machine_learning_is_no_entity(nlp):
    abstract = (
        "We propose the Structural Functional Model (SFM) of social being and read Hegel and "
        "Heidegger through the SFM."
    )
    found = typed(nlp, "Being and structure", abstract)
    assert not {t for t, _, _ in found} & {"Model", "Dataset"}


# --- 5. boundaries and surface forms -----------------------------------------------------------


def test_versions_sizes_and_prefixes_stay_with_their_name(nlp):
    abstract = (
        "Our model is comparable to GPT-3.5 and better than KLUE-RoBERTa and Llama-2 (7B). We "
        "also test Llama 3, 3.1 and Qwen 2, 2.5 on GLUE, and a ResNet-101 224 baseline."
    )
    found = names(nlp, "Comparisons", abstract, "Model")
    assert {"GPT-3.5", "KLUE-RoBERTa", "Llama-2", "ResNet-101"} <= found
    assert "RoBERTa" not in found and "ResNet-101 224" not in found
    versions = {
        m.canonical
        for m in extract_paper(nlp, "Comparisons", abstract).mentions
        if m.rule == "elided"
    }
    assert versions == {"Llama 3.1", "Qwen 2.5"}


def test_a_prefix_glued_to_a_known_dataset_makes_a_dataset_of_its_own(nlp):
    abstract = (
        "We train a video model on Mini-Kinetics and a continual learner on Split-CIFAR100, "
        "with ImageNet-pretrained weights, and fine-tune KLUE-RoBERTa."
    )
    found = typed(nlp, "Variants of benchmarks", abstract)
    datasets = {text for t, text, _ in found if t == "Dataset"}
    assert {"Mini-Kinetics", "Split-CIFAR100"} <= datasets
    assert not datasets & {"Kinetics", "CIFAR100", "KLUE-RoBERTa", "ImageNet-pretrained"}
    assert "KLUE-RoBERTa" in {text for t, text, _ in found if t == "Model"}


def test_a_name_coordinated_with_a_prefixed_dataset_is_a_dataset(nlp):
    abstract = (
        "We introduce a convolutional neural network for action recognition. Experiments on "
        "Zorblat and Mini-Kinetics show that our network saves computation."
    )
    assert {"Zorblat", "Mini-Kinetics"} <= names(nlp, "Video models", abstract, "Dataset")


def test_a_list_item_holding_a_known_name_is_that_name_and_its_elided_version(nlp):
    abstract = (
        "Experiments on benchmark datasets including SVHN, CIFAR10/100, STL-10 and Zindora "
        "show consistent gains with ResNet-18."
    )
    found = extract_paper(nlp, "Robust training", abstract).mentions
    datasets = {m.canonical or m.text for m in found if m.type == "Dataset"}
    assert {"CIFAR10", "CIFAR100", "SVHN", "STL-10"} <= datasets
    assert "CIFAR10/100" not in datasets


def test_a_decimal_size_after_a_versioned_name_is_not_cut_at_its_point(nlp):
    abstract = "We distil Zephyr into Qwen2 1.5B and Qwen2.5 0.5B and compare them with Phi-3."
    found = names(nlp, "Small students", abstract, "Model")
    assert {"Qwen2 1.5B", "Qwen2.5 0.5B"} <= found, found
    assert "Qwen2 1" not in found


def test_an_editions_language_pair_or_task_is_part_of_its_name(nlp):
    abstract = (
        "We train on WMT16 English-Romanian and WMT'17 English-to-Finnish, test on WMT14 "
        "Cs-En and report results on Senseval-3 Task 12 and the CoNLL 2009 shared task."
    )
    found = extract_paper(nlp, "Translation and parsing", abstract).mentions
    datasets = {m.text for m in found if m.type == "Dataset"}
    assert {
        "WMT16 English-Romanian",
        "WMT'17 English-to-Finnish",
        "WMT14 Cs-En",
        "Senseval-3 Task 12",
        "CoNLL 2009 shared task",
    } <= datasets, datasets
    assert not {"WMT16", "WMT'17", "Senseval-3"} & datasets
    # The pair's languages are still named.
    assert {"English", "Romanian", "Finnish"} <= {m.text for m in found if m.type == "Language"}
    # Two words that are not languages make no pair: "WMT14 Large-Scale" is WMT14.
    other = names(nlp, "Scale", "We test on WMT14 Large-Scale splits.", "Dataset")
    assert "WMT14" in other


def test_a_detector_named_with_its_framework_is_one_name(nlp):
    abstract = "We fine-tune Detectron2 Keypoint R-CNN on COCO."
    assert "Detectron2 Keypoint R-CNN" in names(nlp, "Pose", abstract, "Model")


def test_a_long_name_is_not_cut_at_a_size_word(nlp):
    abstract = "We pre-train on the ImageNet Large Scale Visual Recognition Challenge data."
    found = names(nlp, "Pre-training", abstract, "Dataset")
    assert "ImageNet Large Scale Visual Recognition Challenge" in found
    assert "ImageNet Large" not in found


def test_labels_lose_a_final_period_and_latex():
    assert display_name("GPT-4.") == "GPT-4"
    assert display_name("ModelNet40.") == "ModelNet40"
    assert display_name("M$^3$ViT") == "M3ViT"
    assert display_name("λ$-ECLIPSE") == "λ-ECLIPSE"
    assert display_name("G_{stack}") == "G_stack"


def test_a_list_item_keeps_no_final_period(nlp):
    abstract = "We evaluate on KITTI, Argoverse and ModelNet40."
    assert "ModelNet40" in names(nlp, "3D", abstract)


def test_all_caps_titles_name_nothing_by_their_capitals(nlp):
    title = "WELL-READ STUDENTS LEARN BETTER: ON 8-BIT HIGH-QUALITY MODELS"
    found = names(nlp, title, "We distil BERT into smaller students on GLUE.")
    assert found == {"BERT", "GLUE"}


def test_a_system_name_with_several_hyphens_is_scanned_whole():
    text = "Title\n\nOur system NITS-Hinglish-SentiMix ranked first."
    found = [text[a:b] for a, b, _ in scan_names(text, 5, sentence_starts(text))]
    assert "NITS-Hinglish-SentiMix" in found


# --- 6. wrong sense: a name shared with something else -----------------------------------------


def test_a_clinical_note_format_is_not_an_optimizer(nlp):
    abstract = (
        "Physicians wrote SOAP notes for 400 outpatients; we compare note length across "
        "clinics and years."
    )
    found = typed(nlp, "Clinical documentation", abstract)
    assert not {t for t, _, _ in found} & {"Model", "Dataset", "Method"}


# --- 7. resolution: versions never merge, one entity per real thing -----------------------------


def _records(nlp, texts):
    records = []
    for i, (title, abstract) in enumerate(texts):
        paper = Paper(title, abstract, SourceRef("test", i + 1))
        record = PaperRecord(key=f"p{i}", paper=paper, sources=[paper.source])
        record.extraction = extract_paper(nlp, title, abstract)
        records.append(record)
    return records


def test_a_parenthesised_version_is_not_an_alias(nlp):
    from graph.ontology import load_vocabulary

    records = _records(
        nlp,
        [
            ("Robust vision", "We train ResNet-18 on CIFAR-10 (CIFAR-100) and SVHN."),
            ("More vision", "Results on CIFAR-100 improve with ResNet-50."),
        ],
    )
    entities = resolve(records, load_vocabulary()).entities.values()
    labels = {e.label: e for e in entities if e.type == "Dataset"}
    assert "CIFAR-10" in labels and "CIFAR-100" in labels
    assert not any({"CIFAR-10", "CIFAR-100"} <= {e.label, *e.alt_labels} for e in entities)


def test_one_name_is_one_entity_across_types(nlp):
    from graph.ontology import load_vocabulary

    records = _records(
        nlp,
        [
            ("Detection", "We propose QuarkDet, a detector network, and train QuarkDet on COCO."),
            ("Speed", "We apply the QuarkDet method to video frames from KITTI with ResNet-50."),
            ("More", "We compare QuarkDet with YOLOv3 on COCO."),
        ],
    )
    entities = resolve(records, load_vocabulary()).entities.values()
    assert len([e for e in entities if e.label == "QuarkDet"]) == 1


def test_an_acronym_and_its_long_form_are_one_entity(nlp):
    from graph.ontology import load_vocabulary

    records = _records(
        nlp,
        [
            (
                "Quantisation",
                "We propose Quark-Aware Quantization Training (QAQT), a method for LLaMA. QAQT "
                "keeps accuracy; Quark-Aware Quantization Training is cheap.",
            )
        ],
    )
    entities = [
        e
        for e in resolve(records, load_vocabulary()).entities.values()
        if {"QAQT", "Quark-Aware Quantization Training"} & {e.label, *e.alt_labels}
    ]
    assert len(entities) == 1
