"""Rules that find names never seen before, and decide their type.

Everything here is a plain function over strings, so each rule is tested on its own:

- :func:`title_prefix` — a title's "X: ..." prefix names the paper's own artefact;
- :func:`proposals` — "we propose/introduce/present X", "dubbed/called/termed X";
- :func:`cue_noun_names` — "X dataset", "X benchmark", "X model", "X algorithm" ...;
- :func:`morphology_type` — names whose shape tells their type ("GEB-1.3B", "MMLU-Bench");
- :func:`head_type` — the type a noun phrase's head word implies ("... Large Language Model").

The modules: :mod:`.names` (name shapes, :class:`Candidate`), :mod:`.heads` (head nouns),
:mod:`.gates` (the rules RE2 runs and its gates), :mod:`.ml_words` (words of machine learning),
:mod:`.title` (title prefixes), :mod:`.proposal` (the paper's own names), :mod:`.cues` (cue nouns,
appositions, sized names), :mod:`.lists` (enumerations). Every name is importable from here.
"""

from __future__ import annotations

from graph.extract.patterns.cues import (
    APPOSITION,
    CUE_NOUN,
    appositive_names,
    cue_noun_names,
    shaped_names,
)
from graph.extract.patterns.gates import (
    GATED_RULES,
    GATES,
    LIST_AFTER_CUE,
    NAMING,
    NOVEL_PHRASE,
    OUR_NAME,
    OUR_PROPOSED,
    PROPOSAL,
    SHAPED,
    ascii_fold,
    open_gates,
    proposal_matches,
)
from graph.extract.patterns.heads import (
    DATASET_HEADS,
    METHOD_HEADS,
    MODEL_HEADS,
    TASK_HEADS,
    first_head_type,
    head_type,
    names_no_entity,
)
from graph.extract.patterns.lists import _ENUMERATION_HINT as _ENUMERATION_HINT
from graph.extract.patterns.lists import ENUMERATION, enumerations
from graph.extract.patterns.ml_words import (
    BRAIN_NETWORKS,
    ML_CONTEXT,
    ML_CONTEXT_WEAK,
    ML_WORDS,
    has_ml_words,
)
from graph.extract.patterns.names import (
    COMMON_CAPITALISED,
    DATASET_SUFFIX,
    SIZE_SUFFIX,
    WORD,
    Candidate,
    is_name_like,
    morphology_type,
)
from graph.extract.patterns.proposal import (
    APPOSITIVE_NAME,
    CUE_BEFORE,
    GENERIC_ADJECTIVES,
    PRIOR_WORK,
    QUOTED,
    proposals,
)
from graph.extract.patterns.title import title_description_type, title_prefix

__all__ = [
    "APPOSITION",
    "APPOSITIVE_NAME",
    "BRAIN_NETWORKS",
    "COMMON_CAPITALISED",
    "CUE_BEFORE",
    "CUE_NOUN",
    "DATASET_HEADS",
    "DATASET_SUFFIX",
    "ENUMERATION",
    "GATED_RULES",
    "GATES",
    "GENERIC_ADJECTIVES",
    "LIST_AFTER_CUE",
    "METHOD_HEADS",
    "ML_CONTEXT",
    "ML_CONTEXT_WEAK",
    "ML_WORDS",
    "MODEL_HEADS",
    "NAMING",
    "NOVEL_PHRASE",
    "OUR_NAME",
    "OUR_PROPOSED",
    "PRIOR_WORK",
    "PROPOSAL",
    "QUOTED",
    "SHAPED",
    "SIZE_SUFFIX",
    "TASK_HEADS",
    "WORD",
    "Candidate",
    "appositive_names",
    "ascii_fold",
    "cue_noun_names",
    "enumerations",
    "first_head_type",
    "has_ml_words",
    "head_type",
    "is_name_like",
    "morphology_type",
    "names_no_entity",
    "open_gates",
    "proposal_matches",
    "proposals",
    "shaped_names",
    "title_description_type",
    "title_prefix",
]
