"""Relations between a paper's entities: each cue family on small sentences written for the tests.

The sentences use made-up names (FooNet, BarNet, QuxBench ...) so no rule can lean on a name it
knows; the mentions are given by hand, as ``kg_entities`` would give them.
"""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.extract.entities import sentence_starts as doc_sentence_starts
from graph.extract.relations import find_occurrences, find_relations, primary_artefact
from graph.extract.sentences import sentence_starts
from graph.records import RELATION_SIGNATURES, AliasPair, Extraction, Mention, Relation

# The entity types of the names the sentences below use.
TYPES = {
    "FooNet": "Model",
    "BarNet": "Model",
    "BazNet": "Model",
    "FooBERT": "Model",
    "FooLM": "Model",
    "FooLM-16B": "Model",
    "BERT": "Model",
    "LoRA": "Method",
    "QuxNorm": "Method",
    "QuxUnit": "Method",
    "ZapAttention": "Method",
    "Transformer": "Method",
    "linear attention": "Method",
    "latent diffusion model": "Method",
    "mixture of experts": "Method",
    "MoE": "Method",
    "FooTune": "Method",
    "Foo Linear Expansion": "Method",
    "FLE": "Method",
    "GLUE": "Dataset",
    "SuperGLUE": "Dataset",
    "SQuAD": "Dataset",
    "TriviaQA": "Dataset",
    "ImageNet": "Dataset",
    "QuxBench": "Dataset",
    "FooCorpus": "Dataset",
    "English": "Language",
    "Hindi": "Language",
    "Marathi": "Language",
    "Maltese": "Language",
    "Swahili": "Language",
    "Yoruba": "Language",
}


def mentions_of(title: str, abstract: str, proposed: dict[str, str] | None = None) -> list[Mention]:
    """One mention per known name the paper holds; ``proposed`` maps names to their rule."""
    proposed = proposed or {}
    out = []
    for name, kind in TYPES.items():
        for field, text in (("title", title), ("abstract", abstract)):
            at = text.find(name)
            if at >= 0 and find_occurrences(text, [_mention(name, kind, field, at)]):
                out.append(
                    _mention(name, kind, field, at, name in proposed, proposed.get(name, "vocab"))
                )
                break
    return out


def _mention(
    name: str, kind: str, field: str, at: int, proposed: bool = False, rule: str = "vocab"
) -> Mention:
    return Mention(kind, name, field, at, at + len(name), "", rule, 0.9, proposed=proposed)


def relations(
    abstract: str,
    title: str = "A paper",
    proposed: dict[str, str] | None = None,
    aliases: tuple[AliasPair, ...] = (),
) -> set[tuple[str, str, str]]:
    """The (type, head, tail) triples found in a paper."""
    text = f"{title}\n\n{abstract}"
    found = find_relations(
        title, abstract, mentions_of(title, abstract, proposed), sentence_starts(text), aliases
    )
    return {(r.type, r.head, r.tail) for r in found}


# ------------------------------------------------------------------ outperforms, and direction


def test_outperforms_active_voice():
    assert relations("FooNet consistently outperforms BarNet.") == {
        ("outperforms", "FooNet", "BarNet")
    }


def test_passive_swaps_the_direction():
    assert relations("BarNet is clearly outperformed by FooNet.") == {
        ("outperforms", "FooNet", "BarNet")
    }
    assert relations("BarNet was surpassed by FooNet and BazNet.") == {
        ("outperforms", "FooNet", "BarNet"),
        ("outperforms", "BazNet", "BarNet"),
    }


def test_outperforms_a_list_after_such_as():
    assert relations("FooNet beats strong optimizers such as LoRA and QuxNorm.") == {
        ("outperforms", "FooNet", "LoRA"),
        ("outperforms", "FooNet", "QuxNorm"),
    }


def test_compared_with_then_our_model_is_better():
    found = relations(
        "Compared with BarNet, our model achieves higher accuracy.",
        "FooNet: x",
        {"FooNet": "title-prefix"},
    )
    assert found == {("outperforms", "FooNet", "BarNet")}


# ------------------------------------------------------------------ negation and hedges


@pytest.mark.parametrize(
    "sentence",
    [
        "FooNet does not outperform BarNet.",
        "FooNet doesn't surpass BarNet.",
        "FooNet never beats BarNet.",
        "FooNet fails to outperform BarNet.",
        "FooNet may outperform BarNet.",
        "FooNet could be based on BarNet.",
        "We ask whether FooNet outperforms BarNet.",
        "It is unclear if FooNet is built on BarNet.",
    ],
)
def test_negated_or_hedged_clauses_state_nothing(sentence):
    assert relations(sentence) == set()


def test_a_contrast_or_an_inspiration_is_no_participant():
    assert relations("Unlike BarNet, FooNet uses ZapAttention.") == {
        ("uses", "FooNet", "ZapAttention")
    }
    assert relations("FooNet is inspired by BarNet.") == set()
    assert relations("FooNet outperforms methods, rather than BarNet.") == set()


def test_what_others_do_is_not_said_of_the_artefact():
    """ "unlike previous works using X" speaks of those works; after its comma, of ours."""
    found = relations(
        "Different from previous works using LoRA for fine-tuning, our model is built on BERT.",
        "FooNet: x",
        {"FooNet": "title-prefix"},
    )
    assert found == {("basedOn", "FooNet", "BERT")}
    assert relations("Unlike prior methods, FooNet uses LoRA.") == {("uses", "FooNet", "LoRA")}


def test_a_negation_in_another_clause_does_not_block():
    assert relations("FooNet is built on BarNet, but it does not need QuxNorm.") == {
        ("basedOn", "FooNet", "BarNet")
    }


# ------------------------------------------------------------------ coordination


def test_coordinated_datasets_give_one_statement_each():
    found = relations("We evaluate FooNet on GLUE, SuperGLUE and SQuAD.")
    assert found == {
        ("evaluatedOn", "FooNet", "GLUE"),
        ("evaluatedOn", "FooNet", "SuperGLUE"),
        ("evaluatedOn", "FooNet", "SQuAD"),
    }


def test_results_on_each_dataset_of_a_list_of_figures():
    found = relations(
        "We gain 3.1% on GLUE, 2.0% on SQuAD and 1.2% on TriviaQA.",
        "FooTune: x",
        {"FooTune": "title-prefix"},
    )
    assert found == {
        ("evaluatedOn", "FooTune", "GLUE"),
        ("evaluatedOn", "FooTune", "SQuAD"),
        ("evaluatedOn", "FooTune", "TriviaQA"),
    }


def test_respectively_pairs_the_lists():
    found = relations(
        "We introduce FooNet and BarNet, the first BERT models pre-trained on Hindi and "
        "Marathi tweets, respectively."
    )
    assert found == {
        ("basedOn", "FooNet", "BERT"),
        ("basedOn", "BarNet", "BERT"),
        ("forLanguage", "FooNet", "Hindi"),
        ("forLanguage", "BarNet", "Marathi"),
    }


def test_a_list_reads_on_past_a_capitalised_item_that_is_no_name():
    assert relations("FooNet combines BERT, Radiomics, and BarNet to extract features.") == {
        ("uses", "FooNet", "BERT"),
        ("uses", "FooNet", "BarNet"),
    }
    # a lowercase word is no list item: the list ends there
    assert relations("FooNet is evaluated on GLUE, then fine-tuned on SQuAD.") == {
        ("evaluatedOn", "FooNet", "GLUE"),
        ("trainedOn", "FooNet", "SQuAD"),
    }


def test_combines_a_with_b():
    assert relations("FooNet combines LoRA with QuxNorm.") == {
        ("uses", "FooNet", "LoRA"),
        ("uses", "FooNet", "QuxNorm"),
    }


# ------------------------------------------------------------------ apposition and based on


def test_apposition_names_what_a_model_is_based_on():
    assert relations("We release FooBERT, a BERT-based model for legal text.") == {
        ("basedOn", "FooBERT", "BERT")
    }


def test_based_models_such_as():
    assert relations("Transformer-based models such as FooNet and BarNet dominate.") == {
        ("basedOn", "FooNet", "Transformer"),
        ("basedOn", "BarNet", "Transformer"),
    }


@pytest.mark.parametrize(
    "sentence",
    [
        "FooNet is built on BarNet.",
        "FooNet builds upon BarNet.",
        "FooNet is derived from BarNet.",
        "FooNet is initialized from BarNet.",
        "FooNet is distilled from BarNet.",
        "FooNet, which is based on BarNet, is small.",
        "FooNet is a variant of BarNet.",
    ],
)
def test_based_on_cues(sentence):
    assert relations(sentence) == {("basedOn", "FooNet", "BarNet")}


def test_a_version_of_needs_a_named_subject():
    # "fine-tuned versions of BarNet" are unnamed: no relation takes our artefact as their head
    found = relations(
        "We present fine-tuned versions of BarNet.", "FooTune: x", {"FooTune": "title-prefix"}
    )
    assert found == set()


def test_a_name_grown_on_a_known_name():
    found = relations(
        "We release FooBERT for contracts. It is fast.", proposed={"FooBERT": "proposal"}
    )
    assert ("basedOn", "FooBERT", "BERT") not in found  # BERT is not named apart
    found = relations(
        "BERT is popular. We release LegalBERT for contracts.",
        proposed={"LegalBERT": "proposal"},
    )
    assert found == set()  # LegalBERT is no mention of this paper: nothing to relate
    title, abstract = "LegalBERT: contracts", "We start from BERT and release LegalBERT."
    ms = [
        _mention("LegalBERT", "Model", "title", 0, True, "title-prefix"),
        _mention("BERT", "Model", "abstract", abstract.index("BERT")),
    ]
    text = f"{title}\n\n{abstract}"
    found = find_relations(title, abstract, ms, sentence_starts(text))
    assert {(r.type, r.head, r.tail) for r in found} == {("basedOn", "LegalBERT", "BERT")}


# ------------------------------------------------------------------ training, evaluation, use


def test_our_model_is_the_subject_of_we_sentences():
    found = relations(
        "We fine-tune our model on SQuAD and evaluate it on TriviaQA.",
        "FooNet: a reader",
        {"FooNet": "title-prefix"},
    )
    assert found == {("trainedOn", "FooNet", "SQuAD"), ("evaluatedOn", "FooNet", "TriviaQA")}


def test_nothing_is_said_for_an_unnamed_approach():
    assert relations("We fine-tune our model on SQuAD and evaluate it on TriviaQA.") == set()


def test_verb_before_its_object():
    assert relations("We fine-tune FooNet on SQuAD.") == {("trainedOn", "FooNet", "SQuAD")}
    assert relations(
        "We adapt FooLM, a model trained mostly in English, for Swahili and Yoruba."
    ) == {
        ("forLanguage", "FooLM", "English"),
        ("forLanguage", "FooLM", "Swahili"),
        ("forLanguage", "FooLM", "Yoruba"),
    }


def test_training_of_a_model_named_before_the_noun():
    found = relations(
        "Our method speeds up BarNet training on ImageNet.",
        "FooTune: x",
        {"FooTune": "title-prefix"},
    )
    assert found == {("trainedOn", "BarNet", "ImageNet"), ("evaluatedOn", "FooTune", "ImageNet")}


def test_experiments_on_a_list_in_brackets():
    found = relations(
        "Our experiments on three datasets (i.e., GLUE, SQuAD, and TriviaQA) show that FooNet "
        "scales.",
        "FooNet: x",
        {"FooNet": "title-prefix"},
    )
    assert found == {
        ("evaluatedOn", "FooNet", "GLUE"),
        ("evaluatedOn", "FooNet", "SQuAD"),
        ("evaluatedOn", "FooNet", "TriviaQA"),
    }


def test_uses_cues_and_roles():
    assert relations("FooNet is built on BarNet and applies QuxNorm.") == {
        ("basedOn", "FooNet", "BarNet"),
        ("uses", "FooNet", "QuxNorm"),
    }
    proposed = {"FooTune": "title-prefix"}
    assert relations("We distil it using a BarNet teacher model.", "FooTune: x", proposed) == {
        ("uses", "FooTune", "BarNet")
    }
    # a model merely used to report results is no component
    assert relations("We present results using BarNet and BazNet.", "FooTune: x", proposed) == set()


def test_a_component_the_paper_introduces():
    found = relations(
        "FooNet represents each cell with a module, termed QuxUnit.",
        "FooNet: tables",
        {"FooNet": "title-prefix", "QuxUnit": "naming"},
    )
    assert found == {("uses", "FooNet", "QuxUnit")}


def test_the_title_speaks_only_for_its_prefix():
    assert relations(
        "Nothing here.", "FooNet: Fast Tables by Leveraging LoRA", {"FooNet": "title-prefix"}
    ) == {("uses", "FooNet", "LoRA")}
    assert relations("Nothing here.", "Towards FooNet Using LoRA") == set()


# ------------------------------------------------------------------ languages


def test_languages():
    assert relations("We release FooBERT, a BERT model for Maltese.") == {
        ("basedOn", "FooBERT", "BERT"),
        ("forLanguage", "FooBERT", "Maltese"),
    }
    assert relations("We collect the Swahili FooCorpus.") == {
        ("forLanguage", "FooCorpus", "Swahili")
    }
    assert relations("FooNet is trained in English.") == {("forLanguage", "FooNet", "English")}


def test_a_method_naming_a_kind_of_models_is_no_subject():
    assert relations("Most Transformer language models are trained on English text.") == set()


# ------------------------------------------------------------------ the paper's artefact


def test_primary_artefact_prefers_the_title_prefix_then_proposals():
    # title "FooNet: x", abstract "We compare BarNet and propose QuxNorm."
    ms = [
        _mention("BarNet", "Model", "abstract", 11, True, "vocab"),
        _mention("QuxNorm", "Method", "abstract", 30, True, "proposal"),
        _mention("FooNet", "Model", "title", 0, True, "title-prefix"),
    ]
    assert primary_artefact(ms).text == "FooNet"
    assert primary_artefact(ms[:2]).text == "QuxNorm"
    assert primary_artefact([_mention("GLUE", "Dataset", "title", 0, True)]) is None


def test_an_acronym_and_its_long_form_are_never_related():
    found = relations(
        "We propose Foo Tuning (FooTune), which uses FooTune blocks.",
        proposed={"FooTune": "acronym"},
        aliases=(AliasPair("FooTune", "Foo Tuning"),),
    )
    assert found == set()


# ------------------------------------------------------------------ who "we" and "our X" are


def test_a_proposed_name_opening_the_title_is_the_artefact_whatever_rule_found_it():
    found = relations(
        "We also propose QuxUnit. Our model outperforms BarNet.",
        "FooNet: x",
        {"FooNet": "vocab", "QuxUnit": "proposal"},
    )
    assert found == {("outperforms", "FooNet", "BarNet")}


def test_the_artefacts_acronym_speaks_for_it():
    abstract = (
        "We propose Foo Linear Expansion (FLE). Experiments on ImageNet show that FLE achieves "
        "better accuracy."
    )
    proposed = {"Foo Linear Expansion": "acronym", "FLE": "acronym"}
    aliases = (AliasPair("FLE", "Foo Linear Expansion"),)
    assert relations(abstract, proposed=proposed, aliases=aliases) == {
        ("evaluatedOn", "FLE", "ImageNet")
    }


def test_the_name_our_stands_before_is_the_subject():
    found = relations(
        "Our instruction-tuned FooLM-16B achieves new results on QuxBench.",
        "FooLM: x",
        {"FooLM": "title-prefix", "FooLM-16B": "variant"},
    )
    # the name after "our", not the title's; and "tuned X achieves ... on" trains X on nothing
    assert found == {("evaluatedOn", "FooLM-16B", "QuxBench")}


def test_a_verb_object_ends_where_the_object_has_a_verb_of_its_own():
    assert relations("The tuned FooNet achieves the best accuracy on SQuAD.") == {
        ("evaluatedOn", "FooNet", "SQuAD")
    }


def test_a_sentence_opening_on_what_it_is_built_on():
    proposed = {"FooNet": "title-prefix"}
    assert relations(
        "Based on BarNet as our backbone, our results show large gains.", "FooNet: x", proposed
    ) == {("basedOn", "FooNet", "BarNet")}
    assert relations("Built on BERT, BazNet is fast.") == {("basedOn", "BazNet", "BERT")}
    assert relations("Based on BERT, it may be fast.", "FooNet: x", proposed) == set()


def test_evolves_from_is_based_on():
    assert relations("FooNet evolves from the earlier BarNet.") == {("basedOn", "FooNet", "BarNet")}


# ------------------------------------------------------------------ comparisons


@pytest.mark.parametrize(
    "sentence",
    [
        "FooNet demonstrates a consistently better accuracy than BarNet.",
        "FooNet is even superior to BarNet.",
        "The representations learned by our model outperform the ones learned by BarNet.",
    ],
)
def test_more_ways_to_say_outperforms(sentence):
    found = relations(sentence, "FooNet: x", {"FooNet": "title-prefix"})
    assert found == {("outperforms", "FooNet", "BarNet")}


def test_fine_tuning_named_as_a_baseline_is_a_result():
    assert relations(
        "FooTune performs on par with standard fine-tuning on GLUE and outperforms full "
        "fine-tuning on SuperGLUE."
    ) == {("evaluatedOn", "FooTune", "GLUE"), ("evaluatedOn", "FooTune", "SuperGLUE")}


# ------------------------------------------------------------------ what is not used


@pytest.mark.parametrize(
    "sentence",
    [
        "By applying this approach on BarNet, we halve the cost.",
        "We apply LoRA to the BarNet model.",
        "We find it applicable to many LLMs using QuxNorm.",
    ],
)
def test_a_target_or_others_tools_are_not_used(sentence):
    assert relations(sentence, "FooTune: x", {"FooTune": "title-prefix"}) == set()


def test_a_name_grown_on_one_of_two_known_names_is_unclear():
    title, abstract = "ArtFooLM: x", "We adapt MiniFooLM and compare with FooLM."
    ms = [
        _mention("ArtFooLM", "Model", "title", 0, True, "title-prefix"),
        _mention("MiniFooLM", "Model", "abstract", abstract.index("MiniFooLM")),
        _mention("FooLM", "Model", "abstract", abstract.rindex("FooLM")),
    ]
    text = f"{title}\n\n{abstract}"
    found = find_relations(title, abstract, ms, sentence_starts(text))
    assert ("basedOn", "ArtFooLM", "FooLM") not in {(r.type, r.head, r.tail) for r in found}


def test_an_acronyms_plural_is_the_same_name():
    text = "FooLMs beat BarNet; one FooLM-style model."
    got = find_occurrences(text, [_mention("FooLM", "Model", "title", 0)])
    assert [text[o.start : o.end] for o in got] == ["FooLMs"]
    assert relations("Our FooLMs are built on BERT.", "FooLM: x", {"FooLM": "title-prefix"}) == {
        ("basedOn", "FooLM", "BERT")
    }


def test_we_use_and_passive_means():
    proposed = {"FooTune": "title-prefix"}
    assert relations("We use QuxNorm together with a decay.", "FooTune: x", proposed) == {
        ("uses", "FooTune", "QuxNorm")
    }
    assert relations(
        "The proposed model is modified by a QuxNorm technique.", "FooTune: x", proposed
    ) == {("uses", "FooTune", "QuxNorm")}
    assert relations(
        "We propose FooTune, which works by using BarNet embeddings.", "FooTune: x", proposed
    ) == {("uses", "FooTune", "BarNet")}


def test_tuning_in_its_ing_form_before_its_object():
    assert relations("By fine-tuning BarNet on GLUE, we close the gap.") == {
        ("trainedOn", "BarNet", "GLUE")
    }


def test_a_list_of_datasets_in_brackets_and_a_named_dataset_in_brackets():
    proposed = {"FooNet": "title-prefix"}
    assert relations(
        "Our evaluation spans several datasets (GLUE, SQuAD, and TriviaQA).", "FooNet: x", proposed
    ) == {
        ("evaluatedOn", "FooNet", "GLUE"),
        ("evaluatedOn", "FooNet", "SQuAD"),
        ("evaluatedOn", "FooNet", "TriviaQA"),
    }
    # one dataset named in brackets is no list of evaluations
    assert (
        relations(
            "We use an open dataset (FooCorpus) to evaluate benchmarks.", "FooNet: x", proposed
        )
        == set()
    )


def test_a_sentence_opening_on_its_evaluation_or_training():
    assert relations("Benchmarked against the QuxBench suite, FooNet shows gains.") == {
        ("evaluatedOn", "FooNet", "QuxBench")
    }
    assert relations(
        "Trained on FooCorpus, our model is fast.", "FooNet: x", {"FooNet": "title-prefix"}
    ) == {("trainedOn", "FooNet", "FooCorpus")}


def test_a_result_named_by_the_datasets_score():
    assert relations("FooNet achieves a 3% higher GLUE score than before.") == {
        ("evaluatedOn", "FooNet", "GLUE")
    }
    assert relations("FooNet reaches strong GLUE and SQuAD results.") == {
        ("evaluatedOn", "FooNet", "GLUE"),
        ("evaluatedOn", "FooNet", "SQuAD"),
    }
    assert relations("We report the GLUE score of the tokenizer.") == set()


def test_x_allows_y_to_achieve_speaks_of_y():
    assert relations("FooTune allows BarNet to achieve higher accuracy on GLUE.") == {
        ("evaluatedOn", "BarNet", "GLUE")
    }
    # who achieves is not named: nothing, not FooTune
    assert relations("FooTune allows small models to achieve higher accuracy on GLUE.") == set()


def test_a_named_subject_involves_or_introduces_a_component():
    assert relations("FooNet involves two phases: QuxUnit and ZapAttention.") == {
        ("uses", "FooNet", "QuxUnit"),
        ("uses", "FooNet", "ZapAttention"),
    }
    assert relations("FooNet introduces the QuxUnit method.") == {("uses", "FooNet", "QuxUnit")}
    # "we introduce X" proposes X: nothing uses it
    assert relations("We introduce QuxUnit.", "FooNet: x", {"FooNet": "title-prefix"}) == set()


def test_more_efficient_than_is_outperforms():
    assert relations("FooNet is more compute-efficient than BarNet.") == {
        ("outperforms", "FooNet", "BarNet")
    }
    assert relations("FooNet is more expensive than BarNet.") == set()


@pytest.mark.parametrize(
    ("sentence", "base"),
    [
        ("We present FooNet -- a BERT-based model for law.", "BERT"),
        (
            "We present FooNet, a novel latent diffusion model designed for speed.",
            "latent diffusion model",
        ),
        (
            "We introduce FooNet, a sparse mixture of experts (MoE) architecture for text.",
            "mixture of experts",
        ),
    ],
)
def test_more_appositions(sentence, base):
    assert ("basedOn", "FooNet", base) in relations(sentence)


def test_a_method_named_in_an_appositive_is_no_kind_unless_its_name_says_so():
    assert relations("We present FooNet, a QuxNorm designed for speed.") == set()


def test_an_appositive_describing_its_anchor_for_a_language():
    assert relations(
        "We introduce QuxBench -- a human-translated benchmark dataset for Swahili."
    ) == {("forLanguage", "QuxBench", "Swahili")}
    assert relations("We release FooCorpus, a large web corpus for Yoruba.") == {
        ("forLanguage", "FooCorpus", "Yoruba")
    }


def test_our_benchmark_is_the_dataset_the_paper_proposes():
    found = relations(
        "We evaluate the strong model BarNet on our benchmark.",
        "QuxBench: a benchmark",
        {"QuxBench": "title-prefix"},
    )
    assert found == {("evaluatedOn", "BarNet", "QuxBench")}
    # a paper proposing no dataset: "our benchmark" names nothing
    assert relations("We evaluate the strong model BarNet on our benchmark.") == set()


def test_a_kind_noun_between_a_kind_and_its_member():
    assert relations("FooNet evolves from the linear attention architecture BarNet.") == {
        ("basedOn", "FooNet", "BarNet"),
        ("basedOn", "BarNet", "linear attention"),
    }


def test_via_or_through_a_method_our_artefact_uses_it():
    proposed = {"FooNet": "title-prefix"}
    assert relations(
        "We extend the context through lightweight QuxNorm.", "FooNet: x", proposed
    ) == {("uses", "FooNet", "QuxNorm")}
    # no artefact of the paper's own: nobody to use it
    assert relations("We extend the context through lightweight QuxNorm.") == set()


def test_a_result_opening_after_a_discourse_word():
    proposed = {"FooNet": "title-prefix"}
    assert relations(
        "For example, on the QuxBench benchmark FooNet achieves the best accuracy.",
        "FooNet: x",
        proposed,
    ) == {("evaluatedOn", "FooNet", "QuxBench")}


def test_a_comma_before_a_name_of_another_kind_ends_a_list():
    assert relations("On QuxBench, FooNet outperforms BarNet and BazNet.") == {
        ("evaluatedOn", "FooNet", "QuxBench"),
        ("outperforms", "FooNet", "BarNet"),
        ("outperforms", "FooNet", "BazNet"),
    }


def test_a_datasets_name_for_a_tool_is_no_data():
    assert relations("We fine-tune FooNet for calling using the QuxBench framework.") == set()
    assert relations("We fine-tune FooNet using QuxBench.") == {("trainedOn", "FooNet", "QuxBench")}


def test_language_pairs_are_languages_worked_in():
    text = "pairs English-Swahili and Hindi-Marathi, and an Englishman."
    ms = [_mention(n, "Language", "title", 0) for n in ("English", "Swahili", "Hindi", "Marathi")]
    got = [text[o.start : o.end] for o in find_occurrences(text, ms)]
    assert got == ["English", "Swahili", "Hindi", "Marathi"]
    found = relations(
        "We evaluate FooTune using two language pairs English-Swahili and Hindi-Marathi.",
        "FooTune: x",
        {"FooTune": "title-prefix"},
    )
    assert found == {
        ("forLanguage", "FooTune", x) for x in ("English", "Swahili", "Hindi", "Marathi")
    }
    # "using" a language without data or language words says nothing of it
    assert (
        relations("We build FooTune using English.", "FooTune: x", {"FooTune": "title-prefix"})
        == set()
    )


def test_a_name_holding_a_languages_name_is_made_for_it():
    title, abstract = "A paper", "We release Maltese FooCorpus, a corpus. Maltese is small."
    ms = [
        _mention("Maltese FooCorpus", "Dataset", "abstract", abstract.index("Maltese"), True),
        _mention("Maltese", "Language", "abstract", abstract.rindex("Maltese")),
    ]
    text = f"{title}\n\n{abstract}"
    found = {
        (r.type, r.head, r.tail) for r in find_relations(title, abstract, ms, sentence_starts(text))
    }
    assert found == {("forLanguage", "Maltese FooCorpus", "Maltese")}


# ------------------------------------------------------------------ occurrences


def test_a_name_glued_to_markup_is_part_of_a_longer_name():
    text = "M^{3}BERT and x$BERT beat BERT."
    got = find_occurrences(text, [_mention("BERT", "Model", "title", 0)])
    assert [o.start for o in got] == [text.rindex("BERT")]


def test_occurrences_are_whole_names_longest_first():
    text = "BERT-based, BERT-Large, Adam-mini, Spike-Aware Adam and a bert-based transformer."
    ms = [
        _mention("BERT", "Model", "title", 0),
        _mention("Adam", "Method", "title", 0),
        _mention("Spike-Aware Adam", "Method", "title", 0),
        _mention("Transformer", "Method", "title", 0),
    ]
    got = [(text[o.start : o.end], o.mention.text) for o in find_occurrences(text, ms)]
    assert got == [
        ("BERT", "BERT"),
        ("Spike-Aware Adam", "Spike-Aware Adam"),
        ("transformer", "Transformer"),
    ]


# ------------------------------------------------------------------ records and evidence


def test_relation_evidence_is_the_sentence_by_offsets():
    title, abstract = "FooNet: x", "It is new. FooNet consistently outperforms BarNet. Done."
    text = f"{title}\n\n{abstract}"
    found = find_relations(
        title,
        abstract,
        mentions_of(title, abstract, {"FooNet": "title-prefix"}),
        sentence_starts(text),
    )
    (r,) = found
    assert r.field == "abstract"
    assert abstract[r.start : r.end] == "FooNet consistently outperforms BarNet."
    assert r.rule == "cue-outperforms" and 0 < r.confidence <= 1
    assert pickle.loads(pickle.dumps(r)) == r


def test_extractions_without_relations_still_work():
    e = Extraction(mentions=())
    assert e.relations == ()


def test_the_component_runs_after_kg_entities(mini_nlp):
    from graph.extract import paper_doc

    doc = paper_doc(
        mini_nlp,
        "FooNet: fast adapters",
        "We introduce FooNet. FooNet is built on LLaMA and outperforms LoRA on GLUE.",
    )
    found = {(r.type, r.head, r.tail) for r in doc._.kg_extraction.relations}
    assert ("basedOn", "FooNet", "LLaMA") in found
    assert ("outperforms", "FooNet", "LoRA") in found
    assert ("evaluatedOn", "FooNet", "GLUE") in found
    assert doc_sentence_starts(doc)[0] == 0


# ------------------------------------------------------------------ any text


_NAMES = st.sampled_from(sorted(TYPES))
_GLUE = st.sampled_from(
    [
        " ",
        ", ",
        " and ",
        " is outperformed by ",
        " outperforms ",
        " is based on ",
        " uses ",
        " on ",
        " for ",
        " not ",
        " trained on ",
        ". ",
        " (",
        ") ",
        " such as ",
        " - ",
        "; ",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(_NAMES, _GLUE), min_size=1, max_size=14),
    st.text(max_size=30),
)
def test_any_text_gives_well_formed_relations(parts, noise):
    abstract = noise + "".join(name + glue for name, glue in parts)
    title = "FooNet: " + noise
    text = f"{title}\n\n{abstract}"
    ms = mentions_of(title, abstract, {"FooNet": "title-prefix"})
    found = find_relations(title, abstract, ms, sentence_starts(text))
    names = {(m.type, m.text) for m in ms}
    keys = set()
    for r in found:
        assert isinstance(r, Relation)
        domain, scope = RELATION_SIGNATURES[r.type]
        assert r.head_type in domain and r.tail_type in scope
        assert (r.head_type, r.head) in names and (r.tail_type, r.tail) in names
        field = title if r.field == "title" else abstract
        assert 0 <= r.start < r.end <= len(field)
        assert (r.type, r.head, r.tail) not in keys
        keys.add((r.type, r.head, r.tail))


# ------------------------------------------------------------------ more shapes


@pytest.mark.parametrize(
    "sentence",
    [
        "FooNet performs better than BarNet.",
        "FooNet achieves higher accuracy than BarNet.",
        "FooNet shows a 3% improvement compared to BarNet.",
        "FooNet not only runs faster but also outperforms BarNet.",
    ],
)
def test_comparisons_name_what_is_beaten(sentence):
    assert relations(sentence) == {("outperforms", "FooNet", "BarNet")}


def test_coordinated_verbs_share_their_subject():
    assert relations("FooNet outperforms BarNet by 2% and surpasses BazNet by 1%.") == {
        ("outperforms", "FooNet", "BarNet"),
        ("outperforms", "FooNet", "BazNet"),
    }


def test_models_of_a_kind_a_method_names():
    assert relations("Efficient Transformer models (ETMs), such as FooNet and BarNet, win.") == {
        ("basedOn", "FooNet", "Transformer"),
        ("basedOn", "BarNet", "Transformer"),
    }
    # methods of a kind are no derivations: "PEFT methods such as LoRA"
    assert relations("Norms such as QuxNorm and FooTune help.") == set()


def test_a_based_method_called():
    assert relations("We propose a LoRA-based method called FooTune.") == {
        ("basedOn", "FooTune", "LoRA")
    }


def test_a_title_naming_what_a_model_is_tuned_from():
    found = relations(
        "Nothing.", "FooBERT: Fine-Tuning BERT for Legal Text", {"FooBERT": "title-prefix"}
    )
    assert found == {("basedOn", "FooBERT", "BERT")}


@pytest.mark.parametrize(
    ("title", "used"),
    [
        ("FooNet: Faster Training via LoRA and QuxNorm", {"LoRA", "QuxNorm"}),
        ("FooNet: Training Deep Models with Pipelined QuxNorm", {"QuxNorm"}),
        ("FooNet: Personalised Models by Leveraging BERT", {"BERT"}),
        ("FooNet: A Model for Text, Compared with BERT", set()),  # no means
        ("Training FooNet with LoRA", set()),  # no artefact prefix
    ],
)
def test_a_title_naming_the_means_of_its_artefact(title, used):
    found = relations("Nothing.", title, {"FooNet": "title-prefix"})
    assert found == {("uses", "FooNet", u) for u in used}


def test_results_on_datasets_named_first():
    found = relations(
        "On GLUE and SQuAD, our model outperforms BarNet.", "FooNet: x", {"FooNet": "title-prefix"}
    )
    assert found == {
        ("evaluatedOn", "FooNet", "GLUE"),
        ("evaluatedOn", "FooNet", "SQuAD"),
        ("outperforms", "FooNet", "BarNet"),
    }


def test_replacing_one_thing_with_another_uses_the_other():
    assert relations("FooNet replaces LoRA with QuxNorm.") == {("uses", "FooNet", "QuxNorm")}


def test_our_named_artefact_speaks_for_the_clause():
    # no proposed artefact is known, but the text calls FooNet its own
    assert relations("Experiments on GLUE and SQuAD verify the effectiveness of our FooNet.") == {
        ("evaluatedOn", "FooNet", "GLUE"),
        ("evaluatedOn", "FooNet", "SQuAD"),
    }


def test_components_named_by_their_role():
    proposed = {"FooNet": "title-prefix"}
    assert relations("We train a LoRA expert per task.", "FooNet: x", proposed) == {
        ("uses", "FooNet", "LoRA")
    }
    assert relations("BarNet connects a pretrained BazNet vision encoder to a decoder.") == {
        ("uses", "BarNet", "BazNet")
    }
    # a competitor named by its role is no component
    assert relations("We compare against a BarNet encoder.", "FooNet: x", proposed) == set()
