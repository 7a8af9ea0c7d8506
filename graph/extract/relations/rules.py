"""The rules that read relations: cue phrases, verbs before their objects, sentence shapes, and
two that look at the whole paper.

Each rule returns :class:`Found` items: a relation type, the head and tail mentions, the rule's
name and its confidence.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import NamedTuple

from graph.extract.relations.expressions import (
    ANALYSIS,
    APPLIED_TO,
    APPOSITION,
    APPOSITIVE_ASIDE,
    BASED_CALLED,
    BASED_LIST,
    BASELINE_BEFORE,
    BETTER_VERB,
    CLAUSE_VERB,
    COMPARED,
    COMPARISON,
    COMPONENT_AFTER,
    COMPONENT_BEFORE,
    COMPONENT_NAMED,
    COMPONENT_WORDS,
    EVALUATE_VERB,
    EVALUATION_WORD,
    FRONTED,
    HEDGE,
    JOINING,
    KIND_NAME,
    KIND_SUCH_AS,
    KIND_THEN_NAME,
    LANGUAGE_BEFORE,
    LANGUAGE_DATA,
    LOCAL_CUES,
    MAKING,
    NEGATION,
    NOMINAL_TRAINING,
    OTHERS_CLAUSE,
    OTHERS_USING,
    OUR_ARTEFACT,
    PREPOSITION,
    RESULT_LEAD,
    RESULT_NOUN_AFTER,
    RESULT_ON_FIRST,
    RESULT_ON_FIRST_GATE,
    RESULT_WORD,
    ROLE,
    TITLE_DERIVED,
    TITLE_MEANS,
    TRAIN_VERB,
    USING_LITERAL,
    VERB_FAMILIES,
    WE,
    WITH_AFTER,
    Cue,
    cue_scanner,
)
from graph.extract.relations.occurrences import Occurrence
from graph.extract.relations.sentence import (
    PRIMARY,
    Sentence,
    list_at,
    list_ending_at,
    objects,
    pairs,
    subjects,
)
from graph.records import RELATION_SIGNATURES, Mention

_MODEL_OR_METHOD = frozenset({"Model", "Method"})
_OUTPERFORMS = {"Model": "outperforms", "Method": "outperforms"}
_BASED_ON = {"Model": "basedOn", "Method": "basedOn"}
_USES = {"Model": "uses", "Method": "uses"}
_EVALUATED = {"Dataset": "evaluatedOn"}


class Found(NamedTuple):
    """A relation one rule read."""

    type: str
    head: Mention
    tail: Mention
    rule: str
    confidence: float


def typed(relation_of: dict[str, str], head: Mention, tail: Mention) -> str | None:
    """The relation the tail's type gives, if the head's and tail's types fit its signature."""
    relation = relation_of.get(tail.type)
    if relation is None:
        return None
    domain, scope = RELATION_SIGNATURES[relation]
    return relation if head.type in domain and tail.type in scope else None


def _found(
    s: Sentence,
    relation_of: dict[str, str],
    item_pairs: list[tuple[int, int]],
    rule: str,
    confidence: float,
) -> list[Found]:
    out = []
    for h, o in item_pairs:
        head, tail = s.mention(h), s.mention(o)
        if head is not tail and (rel := typed(relation_of, head, tail)) is not None:
            out.append(Found(rel, head, tail, rule, confidence))
    return out


# -------------------------------------------------------------------------------- cue phrases


def cue_relations(s: Sentence) -> list[Found]:
    """What the cue phrases of a sentence state (see :data:`~.expressions.CUES`)."""
    t = s.template
    if s.primary is None and len(s.occurrences) < 2:
        return []
    scanner = cue_scanner(frozenset(o.mention.type for o in s.occurrences))
    found: list[Found] = []
    spans: list[tuple[int, int]] = []
    if scanner is not None:
        for cue, start, end in scanner.finditer(s.data):
            spans.append((start, end))
            if cue.policy == "verb-object":
                found += _verb_object(s, start, end - 1)
            else:
                found += _cue_match(s, cue, start, end)
    # The common words ("on", "for") are read only right before an object they may take.
    for cue, words in LOCAL_CUES:
        done: set[int] = set()
        for i, o in enumerate(s.occurrences):
            if o.mention.type not in cue.relation_of:
                continue
            at = s.at[i]
            since = s.at[i - 1] + 2 if i else 0
            # the last such word before the name that is no part of a longer cue ("trained on")
            word = None
            for m in reversed(list(words.finditer(t, max(since, at - 80), at))):
                if not any(a <= m.start() < b for a, b in spans):
                    word = m
                    break
            if word is None or word.start() in done:
                continue
            done.add(word.start())
            found += _cue_match(s, cue, word.start(), word.end())
    return found


def _cue_match(s: Sentence, cue: Cue, start: int, end: int) -> list[Found]:
    """What one cue phrase at ``start:end`` states."""
    t = s.template
    # Only a cue a few words before a name of a type it takes can have an object.
    nxt = bisect.bisect_left(s.at, end)
    if nxt == len(s.at) or t.count(" ", end, s.at[nxt]) > 9:
        return []
    if s.mention(nxt).type not in cue.objects and not (
        cue.name == "uses" and JOINING.search(t, start, end)
    ):
        return []
    # ... and only if its subject can be there at all.
    if cue.policy == "primary" and s.primary is None:
        return []
    if cue.policy == "adjacent" and not (s.in_title and s.primary_in_title_prefix):
        # its subject stands at most two words before it, or is the anchor of an appositive
        before = t[s.at[nxt - 1] + 2 : start] if nxt else ""
        if not nxt or (before.count(" ") > 3 and not any(a in before for a in _APPOSITION_WORDS)):
            return []
    if cue.policy == "main-evaluation-clause" and not EVALUATION_WORD.search(t, 0, start):
        return []
    if not _subject_possible(s, cue, nxt):
        return []
    relation_of, items, filler_start = _cue_objects(s, cue, start, end)
    if not items:
        return []
    clause = s.clause_start(start)
    if (
        cue.name == "uses"
        and t[start:end].lower().endswith("by")
        and COMPARISON.search(t, clause, start)
    ):
        return []  # "outperform the ones learned by X": X is compared, not used
    if cue.name in ("using", "uses") and OTHERS_USING.search(t, max(clause, start - 40), start):
        return []  # "LLMs using X": those others use it
    others = OTHERS_CLAUSE.search(t, clause, start)
    if others is not None and "," not in t[others.end() : start]:
        return []  # "unlike previous works using X", not "unlike previous works, we use X"
    if cue.policy == "passive":
        heads, window = subjects(s, start, "near", _MODEL_OR_METHOD)
        if not heads or s.uncertain(window, clause, filler_start):
            return []
        return _found(s, relation_of, pairs(items, heads, False), "cue-" + cue.name, cue.confidence)
    if cue.policy == "main-evaluation" and not EVALUATION_WORD.search(t):
        return []
    domains = frozenset().union(*(RELATION_SIGNATURES[r][0] for r in relation_of.values()))
    heads, window = subjects(s, start, cue.policy, domains)
    if heads and all(h in s.taken for h in heads) and cue.policy == "near":
        # "X outperforms A by 2% and surpasses B": the second verb's subject is X, not A.
        between = t[s.at[heads[-1]] + 2 : start]
        if " and " in between or between.lstrip().startswith(","):
            heads = sorted({x for h in heads for x in s.taken[h]})
    if not heads or s.uncertain(window, clause, filler_start):
        return []
    for i in items:
        s.taken.setdefault(i, heads)
    nominal = cue.name == "trained-on" and NOMINAL_TRAINING.match(t, start)
    if nominal and BASELINE_BEFORE.search(t, max(clause, start - 60), start):
        # "X performs on par with standard fine-tuning on D": a result of X on D, the training
        # being the baseline
        if any(h == PRIMARY or s.mention(h).type in _MODEL_OR_METHOD for h in heads):
            return _found(s, _EVALUATED, pairs(heads, items, False), "baseline-on", 0.65)
        return []
    found = _found(
        s,
        relation_of,
        pairs(heads, items, bool(nominal) or s.respectively),
        "cue-" + cue.name,
        cue.confidence,
    )
    if nominal:
        found += _training_results(s, start, heads, items)
    return found


_SUBJECT_TYPES = {
    "passive": frozenset({"Model", "Method"}),
}
_ANY_SUBJECT = frozenset({"Model", "Method", "Dataset"})
_OWN_WORDS = (
    "we ",
    "We ",
    "our ",
    "Our ",
    " it ",
    "It ",
    " its ",
    "Its ",
    "this ",
    "This ",
    "proposed",
)


def _subject_possible(s: Sentence, cue: Cue, nxt: int) -> bool:
    """A cheap necessary condition for a cue before occurrence ``nxt`` to have a subject: an
    occurrence that may be one, or words speaking for the paper's artefact."""
    if s.in_title:
        return s.primary_in_title_prefix or nxt > 0
    types = _SUBJECT_TYPES.get(cue.policy, _ANY_SUBJECT)
    # under a "main" policy the clause's subject may follow the cue ("... of our X")
    candidates = s.occurrences if cue.policy.startswith("main") else s.occurrences[:nxt]
    if any(o.mention.type in types for o in candidates):
        return True
    if cue.policy in ("explicit", "adjacent", "passive"):
        return False
    t = s.template
    return any(w in t for w in _OWN_WORDS)


def _cue_objects(
    s: Sentence, cue: Cue, start: int, end: int
) -> tuple[dict[str, str], list[int], int]:
    """What a cue's object list holds, and the relation each object's type gives.

    Returns the relation per object type, the objects, and where the words before them start.
    """
    t = s.template
    relation_of = cue.relation_of
    if cue.name == "uses" and t[start:end].lower().startswith("replac"):
        # "replacing X with Y": Y is what is used
        replaced, _, replaced_end = objects(s, end)
        after = WITH_AFTER.match(t, replaced_end) if replaced else None
        if after is None:
            return relation_of, [], end
        items, filler_start, _ = objects(s, after.end(), 2)
        return relation_of, [i for i in items if s.object_ok(i, relation_of)], filler_start
    joining = cue.name == "uses" and JOINING.search(t, start, end) is not None
    items, filler_start, items_end = objects(s, end, joining=joining)
    if not items and cue.name in ("uses", "involves"):
        # "X involves two phases: A and B"
        ahead = _PARTS_BEFORE_COLON.match(t, end)
        if ahead is not None:
            items, filler_start, items_end = objects(s, ahead.end(), 0)
    if not items:
        return relation_of, [], filler_start
    if cue.name in ("uses", "using") and t[start:end].lower().startswith("appl"):
        target = APPLIED_TO.match(t, items_end)
        if target is not None and s.mention(s.index_at(target.end() - 2)).type == "Model":
            return relation_of, [], filler_start  # "apply X to the Y model"
    if cue.name not in ("using", "dataset-use"):
        return relation_of, [i for i in items if s.object_ok(i, relation_of)], filler_start
    clause = s.clause_start(start)
    if cue.name in ("using", "dataset-use"):
        # A dataset used in a clause about evaluation ("we validate ... using LibriSpeech") is
        # evaluated on; elsewhere it may be anything.
        relation_of = dict(relation_of)
        if EVALUATION_WORD.search(t, clause, start):
            relation_of["Dataset"] = "evaluatedOn"
        else:
            relation_of.pop("Dataset", None)
    if cue.name == "using":
        if MAKING.match(t, items_end):
            return relation_of, [], filler_start
        relation_of["Language"] = "forLanguage"
        analysing = ANALYSIS.search(t, clause, start) is not None
        # "using X" is too common to mean "X is a component" for a model, unless its role
        # says so ("using a LLaMA-7B student model", "using GPT-4 as the teacher").
        literal = USING_LITERAL.search(t, start, end) is not None
        role = ROLE.match(t, items_end) is not None
        # "using English data", "using three language pairs English-Tamil and ..."
        language_data = LANGUAGE_DATA.match(t, items_end) is not None or bool(
            _LANGUAGE_WORDS.search(t, end, s.at[items[0]])
        )

        def keep(i: int) -> bool:
            kind = s.mention(i).type
            if kind == "Dataset":
                return True
            if kind == "Language":
                return language_data
            if analysing:
                return False
            return not (kind == "Model" and literal and not role)

        items = [i for i in items if keep(i)]
    return relation_of, [i for i in items if s.object_ok(i, relation_of)], filler_start


def _training_results(
    s: Sentence, cue_start: int, heads: Sequence[int], items: Sequence[int]
) -> list[Found]:
    """ "Our method speeds up BERT fine-tuning on GLUE": our method has a result on GLUE."""
    primary = s.primary
    if primary is None or primary.type not in _MODEL_OR_METHOD or PRIMARY in heads:
        return []
    before = s.indices_between(0, cue_start)
    ours = WE.search(s.template, 0, cue_start) is not None or any(s.is_primary(i) for i in before)
    if not ours or any(s.is_primary(h) for h in heads):
        return []
    return [
        Found("evaluatedOn", primary, s.mention(i), "training-result", 0.65)
        for i in items
        if s.mention(i).type == "Dataset"
    ]


# ---------------------------------------------------------------------- verbs before objects


def _verb_object(s: Sentence, start: int, at: int) -> list[Found]:
    """ "fine-tune X on D", "we evaluate X on D", "adapt X, a ... model, for L1 and L2".

    The verb starts at ``start``; its object list at ``at``.
    """
    t = s.template
    if s.in_title:
        return []
    heads, after = list_at(s, at)
    heads = [i for i in heads if s.mention(i).type in _MODEL_OR_METHOD]
    if not heads:
        return []
    verb = t[start:at]
    family = (
        "train" if TRAIN_VERB.search(verb) else "evaluate" if EVALUATE_VERB.match(verb) else "adapt"
    )
    relation_of = VERB_FAMILIES[family]
    clause = s.clause_start(start)
    if s.uncertain(clause, clause, start):
        return []
    found: list[Found] = []
    for prep in PREPOSITION.finditer(t, after, s.clause_end(after)):
        # The preposition belongs to the verb, not to a verb of its own after the object
        # (asides apart): in "tuned X achieves results on D", D is no object of "tuned".
        if CLAUSE_VERB.search(APPOSITIVE_ASIDE.sub(" ", t[after : prep.start()])):
            break
        items, filler_start, _ = objects(s, prep.end())
        items = [i for i in items if s.object_ok(i, relation_of)]
        if items and not s.uncertain(after, clause, filler_start):
            found += _found(
                s, relation_of, pairs(heads, items, s.respectively), "verb-object", 0.75
            )
    return found


# ---------------------------------------------------------------------------- sentence shapes


_APPOSITION_WORDS = (
    *(", a ", ", an ", ", the ", ", our ", ", one ", ", two "),
    *(" - a ", " - an ", " -- a ", " -- an ", " - the ", " -- the "),
)


def shape_relations(s: Sentence) -> list[Found]:
    """Apposition, "Y-based models such as", "compared with", language modifiers."""
    t = s.template
    found: list[Found] = []
    if any(a in t for a in _APPOSITION_WORDS):
        found += _apposition(s)
    if ", " in t:
        if "ompared" in t:
            found += _compared_with(s)
        if t[:20].lstrip(" (").lower().startswith(_FRONTED_WORDS):
            found += _fronted(s)
    if "-based" in t or " based " in t:
        found += _based_list(s)
    if "such as" in t or "including" in t or "like" in t or "e.g." in t:
        found += _kind_such_as(s)
    if any(o.mention.type == "Language" for o in s.occurrences):
        found += _language_modifiers(s)
    if s.in_title and s.primary_in_title_prefix:
        found += _title_derived(s) + _title_means(s)
    if RESULT_ON_FIRST_GATE.match(t):
        found += _result_on_first(s)
    found += _components(s)
    if any(o.mention.type == "Dataset" for o in s.occurrences):
        found += _result_nouns(s)
    found += _kind_named(s)
    return found


def _kind_named(s: Sentence) -> list[Found]:
    """ "the linear attention architecture TransNormer": TransNormer is based on linear
    attention."""
    t = s.template
    found: list[Found] = []
    for i in range(len(s.occurrences) - 1):
        kind = s.mention(i)
        if kind.type != "Method" or s.excluded(i):
            continue
        m = KIND_THEN_NAME.match(t, s.at[i] + 2)
        if m is None or s.index_at(m.end()) != i + 1:
            continue
        found += _found(s, _BASED_ON, [(i + 1, i)], "kind-named", 0.65)
    return found


def _result_nouns(s: Sentence) -> list[Found]:
    """ "X achieves a higher GLUE score", "MMLU and BIG-bench scores competitive to ...": the
    clause's subject has a result on the datasets before the result's noun."""
    t = s.template
    found: list[Found] = []
    for i, o in enumerate(s.occurrences):
        if o.mention.type != "Dataset" or not RESULT_NOUN_AFTER.match(t, s.at[i] + 2):
            continue
        if s.index_at(s.at[i] + 2) is not None:
            continue
        items, first = list_ending_at(s, i, s.clause_start(s.at[i]))
        items = [j for j in items if s.object_ok(j, _EVALUATED)]
        lead = RESULT_LEAD.search(t, max(0, first - 60), first)
        if not items or lead is None or (s.words_before(first, 1) or [""])[0] in ("on", "of"):
            continue
        heads, window = subjects(s, lead.start(), "main", _MODEL_OR_METHOD)
        clause = s.clause_start(lead.start())
        if heads and not s.uncertain(window, clause, first):
            found += _found(s, _EVALUATED, pairs(heads, items, False), "result-noun", 0.65)
    return found


def _kind_such_as(s: Sentence) -> list[Found]:
    """ "Transformers (MMTs), such as mBERT and XLM-R": models of that kind are based on it."""
    found: list[Found] = []
    for m in KIND_SUCH_AS.finditer(s.template):
        base = s.index_at(m.start("base"))
        if base is None or s.mention(base).type != "Method" or s.excluded(base):
            continue
        items, _ = list_at(s, m.end())
        pairs_ = [(i, base) for i in items if s.mention(i).type == "Model"]
        found += _found(s, _BASED_ON, pairs_, "kind-such-as", 0.65)
    return found


def _title_derived(s: Sentence) -> list[Found]:
    """A title "X: Fine-Tuning Y for ...": the model X is derived from Y."""
    if s.primary is None or s.primary.type != "Model":
        return []
    m = TITLE_DERIVED.match(s.template, s.at[0] + 2) if s.at and s.is_primary(0) else None
    base = s.index_at(m.start("base")) if m else None
    if base is None or s.mention(base).type not in _MODEL_OR_METHOD:
        return []
    return _found(s, _BASED_ON, [(PRIMARY, base)], "title-derived", 0.7)


def _title_means(s: Sentence) -> list[Found]:
    """A title "X: Doing Something via Y" (with, through, by leveraging Y): X uses Y."""
    if s.primary.type not in _MODEL_OR_METHOD or not s.at or not s.is_primary(0):
        return []
    m = TITLE_MEANS.search(s.template, s.at[0] + 2)
    if m is None:
        return []
    items, _ = list_at(s, m.end())
    items = [i for i in items if s.object_ok(i, _USES)]
    return _found(s, _USES, [(PRIMARY, i) for i in items], "title-means", 0.65)


def _result_on_first(s: Sentence) -> list[Found]:
    """ "On ImageNet-1K, our best model outperforms ViT": our model has a result on it."""
    t = s.template
    lead = RESULT_ON_FIRST.match(t)
    if lead is None:
        return []
    items, _, end = objects(s, lead.end(), 2)
    items = [i for i in items if s.mention(i).type == "Dataset" and s.object_ok(i, _EVALUATED)]
    comma = t.find(",", end, end + 3)
    if comma < 0 and (tail := _DATASET_NOUN.match(t, end)) and s.index_at(tail.end()) is not None:
        comma = tail.end() - 1  # "on the D benchmark X is able to ...": no comma before X
    if not items or comma < 0 or not RESULT_WORD.search(t, comma):
        return []
    heads, _ = subjects(s, len(t), "main", _MODEL_OR_METHOD)
    if not heads or s.uncertain(comma, comma, len(t)):
        return []
    return _found(s, _EVALUATED, pairs(heads, items, False), "result-on", 0.7)


def _components(s: Sentence) -> list[Found]:
    """ "we fine-tune a LoRA expert on each", "X connects a pretrained CLIP vision encoder":
    the clause's subject uses what names the component."""
    t = s.template
    found: list[Found] = []
    for m in COMPONENT_NAMED.finditer(t):
        i = s.index_at(m.start())
        if i is None or s.mention(i).type not in _MODEL_OR_METHOD:
            continue
        at = m.start()
        words = s.words_before(at, 3)
        if not any(w in ("a", "an", "the", "its", "our") for w in words):
            continue
        clause = s.clause_start(at)
        if COMPARISON.search(t, clause, s.clause_end(at)):
            continue
        heads, window = subjects(s, at, "main", _MODEL_OR_METHOD)
        if heads and not s.uncertain(window, clause, at):
            found += _found(s, _USES, [(h, i) for h in heads if h != i], "component-noun", 0.6)
    return found


def _apposition(s: Sentence) -> list[Found]:
    """ "X, a BERT-based model", "X and Y, the first BERT models ...": based on BERT."""
    found: list[Found] = []
    t = s.template
    for m in APPOSITION.finditer(t):
        base = s.index_at(m.start("base"))
        # the name right before the comma, maybe closing a bracket: "Foo Tuning (FooTune), a"
        anchor = s.index_at(m.start() - 2)
        if anchor is None and m.start() >= 3 and t[m.start() - 1] in ")\"'":
            anchor = s.index_at(m.start() - 3)
        if base is None or anchor is None or s.mention(base).type not in _MODEL_OR_METHOD:
            continue
        if m.group("headed") is not None and not (
            s.mention(base).type == "Method" and KIND_NAME.search(s.mention(base).text)
        ):
            continue  # "X, a Y designed for ...": only a kind's name makes X one of its kind
        if s.indices_between(m.start(), m.start("base")):
            continue  # another name stands between: "X, a Y and Z model"
        clause = s.clause_start(m.start())
        if s.uncertain(m.start(), clause, m.end()):
            continue
        anchors, _ = list_ending_at(s, anchor, clause)
        found += _found(s, _BASED_ON, [(a, base) for a in anchors], "apposition", 0.75)
    return found


def _based_list(s: Sentence) -> list[Found]:
    """ "Transformer-based models such as A and B": A and B are based on the Transformer; "a
    meta-learning based method called RAML": RAML is based on meta-learning."""
    found: list[Found] = []
    for m in BASED_CALLED.finditer(s.template):
        base, name = s.index_at(m.start("base")), s.index_at(m.start("name"))
        if base is not None and name is not None:
            found += _found(s, _BASED_ON, [(name, base)], "based-called", 0.75)
    for m in BASED_LIST.finditer(s.template):
        base = s.index_at(m.start("base"))
        if base is None or s.mention(base).type not in _MODEL_OR_METHOD:
            continue
        items, _ = list_at(s, m.end())
        found += _found(s, _BASED_ON, [(i, base) for i in items], "based-list", 0.75)
    return found


def _compared_with(s: Sentence) -> list[Found]:
    """ "Compared with Y, X excels" / "..., our model is faster": X (our model) outperforms Y."""
    t = s.template
    compared = COMPARED.match(t)
    if compared is None or NEGATION.search(t) or HEDGE.search(t):
        return []
    tails, _, end = objects(s, compared.end(), max_filler=4)
    comma = t.find(",", end)
    if not tails or comma < 0:
        return []
    pos = comma + 1
    while pos < len(t) and t[pos].isspace():
        pos += 1
    heads: list[int] = []
    if (subject := s.index_at(pos)) is not None:
        heads, verb_at = [subject], pos + 2
    elif s.primary is not None and (ours := OUR_ARTEFACT.match(t, comma + 1)):
        heads, verb_at = [PRIMARY], ours.end()
    if not heads or not BETTER_VERB.match(t, verb_at):
        return []
    return _found(s, _OUTPERFORMS, pairs(heads, tails, False), "compared-with", 0.7)


#: "involves two consecutive phases:": a few words naming the parts a colon lists.
_PARTS_BEFORE_COLON = re.compile(r"\s+(?:[\w-]+\s+){0,3}?[\w-]+\s*:\s*")
#: A dataset's noun after its name: "the OpenAssistant benchmark".
_DATASET_NOUN = re.compile(r"\s+(?:benchmarks?|datasets?|corpus|test\s+set|suite)\s+")
#: Words before a list of languages that make them the languages worked in.
_LANGUAGE_WORDS = re.compile(r"\b(?:languages?|language\s+pairs?|directions?)\b", re.I)
#: Between a list's last item and the subject the list was read on into: "D suite, X".
_BARE_COMMA = re.compile(r"(?:\s+(?!and\b|or\b)[a-z][\w-]*){0,2}\s*,\s*")
_FRONTED_WORDS = (
    *("based", "built", "building", "develop", "initiali", "fine", "distill"),
    *("evaluat", "test", "benchmark", "validat", "assess", "train", "pre", "post"),
)
_FRONTED_RELATIONS = {
    "base": _BASED_ON,
    "evaluated": {"Dataset": "evaluatedOn", "Language": "forLanguage"},
    "trained": {"Dataset": "trainedOn", "Language": "forLanguage"},
}


def _fronted(s: Sentence) -> list[Found]:
    """ "Based on Y as our backbone, our model ...", "Built on Y, X ...": X (our artefact) is
    based on Y; "Evaluated on D, X ..." evaluated on D; "Trained on D, X ..." trained on it."""
    t = s.template
    lead = FRONTED.match(t)
    if lead is None or NEGATION.search(t) or HEDGE.search(t, 0, lead.end() + 40):
        return []
    relation_of = _FRONTED_RELATIONS[lead.lastgroup]
    rule = "fronted-" + lead.lastgroup
    tails, _, end = objects(s, lead.end(), max_filler=3)
    tails = [i for i in tails if s.mention(i).type in relation_of or i == tails[-1]]
    if (
        len(tails) > 1
        and _BARE_COMMA.fullmatch(t, s.at[tails[-2]] + 2, s.at[tails[-1]])
        and t[end : end + 1] == " "
    ):
        # "Built on A, X is ...": the list read on into the subject
        subject = tails.pop()
        return _found(s, relation_of, pairs([subject], tails, False), rule, 0.7)
    comma = t.find(",", end)
    if not tails or comma < 0 or ";" in t[end:comma] or comma - end > 60:
        return []
    pos = comma + 1
    while pos < len(t) and t[pos].isspace():
        pos += 1
    if (subject := s.index_at(pos)) is not None:
        heads = [subject]
    elif s.primary is not None and (
        OUR_ARTEFACT.match(t, comma + 1) or WE.match(t, pos) or WE.search(t, end, comma)
    ):
        heads = [PRIMARY]
    else:
        return []
    return _found(s, relation_of, pairs(heads, tails, False), rule, 0.7)


def _language_modifiers(s: Sentence) -> list[Found]:
    """ "the Maltese BERT", "a Swahili corpus X": made for that language."""
    found = []
    for m in LANGUAGE_BEFORE.finditer(s.template):
        lang, named = s.index_at(m.start("lang")), s.index_at(m.start("name"))
        if lang is None or named is None or s.mention(lang).type != "Language":
            continue
        if s.mention(named).type in ("Model", "Dataset"):
            found.append(
                Found("forLanguage", s.mention(named), s.mention(lang), "language-modifier", 0.65)
            )
    return found


# ------------------------------------------------------------------------------ whole papers


def name_built_on(proposed: Mention, known: Mention) -> bool:
    """Whether a proposed name is a known name with a word grown onto its front, CamelCase:
    "HindTweetBERT", "DistilBERT", "AdaLoRA".

    Names joined by a space or hyphen ("White-Box Diffusion Transformer", "Dyn-Perceiver")
    describe rather than derive, and one-letter prefixes ("xCoT", "mBERT") are too often
    something else; neither counts.
    """
    p, k = proposed.text, known.text
    if len(k) < 3 or not k[0].isupper() or not p.endswith(k):
        return False
    prefix = p[: -len(k)]
    return len(prefix) >= 3 and prefix.isalpha() and prefix[0].isupper() and prefix[-1].islower()


def paper_relations(
    text: str,
    mentions: Sequence[Mention],
    occurrences: Sequence[Occurrence],
    primary: Mention | None,
    sentence_of,
    keys: dict[int, str],
) -> list[tuple[Found, int, int]]:
    """Names grown on known names, and the components a paper introduces for its artefact.

    ``sentence_of(offset)`` gives the (start, end) of the sentence holding an offset; the
    evidence of each relation is the sentence of the proposed name's first occurrence.
    ``keys`` has each mention's :func:`~graph.iri.name_key` by ``id``.
    """
    found: list[tuple[Found, int, int]] = []
    first_at: dict[int, Occurrence] = {}
    for o in occurrences:
        first_at.setdefault(id(o.mention), o)
    proposed = [
        m for m in mentions if m.proposed and m.type in _MODEL_OR_METHOD and id(m) in first_at
    ]
    known = [m for m in mentions if m.type in _MODEL_OR_METHOD and not m.proposed]
    for p in proposed:
        for k in known:
            # "ArtGPT-4" in a paper naming MiniGPT-4: which GPT-4 it grows on is unclear
            longer = any(o is not k and o.text.endswith(k.text) for o in known)
            if name_built_on(p, k) and not longer:
                s, e = sentence_of(first_at[id(p)].start)
                found.append((Found("basedOn", p, k, "name-built-on", 0.6), s, e))
    # "Norwegian Generative Language Models", "the English Wikipedia": a name holding a
    # language's name is made for, or covers, that language
    languages = [m for m in mentions if m.type == "Language" and len(m.text) >= 4]
    for m in mentions:
        if m.type not in ("Model", "Dataset") or id(m) not in first_at:
            continue
        for lang in languages:
            if lang.text != m.text and re.search(rf"(?<!\w){re.escape(lang.text)}(?!\w)", m.text):
                s, e = sentence_of(first_at[id(m)].start)
                found.append((Found("forLanguage", m, lang, "name-language", 0.6), s, e))
    if primary is None:
        return found
    primary_key = keys[id(primary)]
    for p in proposed:
        if p.type != "Method" or keys[id(p)] == primary_key:
            continue
        at = first_at[id(p)]
        s, e = sentence_of(at.start)
        before, after = text[max(s, at.start - 80) : at.start], text[at.end : e]
        lower = before.lower()
        if (
            COMPONENT_AFTER.match(after)
            or (any(w in lower for w in COMPONENT_WORDS) and COMPONENT_BEFORE.search(before))
        ) and not (NEGATION.search(text, s, at.start) or HEDGE.search(text, s, at.start)):
            found.append((Found("uses", primary, p, "component", 0.6), s, e))
    return found


def primary_artefact(mentions: Sequence[Mention], title: str | None = None) -> Mention | None:
    """The model or method the paper introduces, which "we" and "our model" speak for.

    The title's "X: ..." prefix first (by its rule, or, given the ``title``, any proposed name
    that opens it before a colon, whichever rule found it), then a name the paper proposes ("we
    propose X", "called X", an acronym it defines for it), then any other name marked proposed;
    the earliest of those wins. None when the paper names no artefact of its own.
    """
    candidates = [m for m in mentions if m.proposed and m.type in _MODEL_OR_METHOD]
    if not candidates:
        return None

    def rank(m: Mention) -> tuple[int, bool, int]:
        if (
            title is not None
            and m.field == "title"
            and m.start <= 2
            and title[m.end : m.end + 1] == ":"
        ):
            return (0, False, m.start)
        return (_PROPOSAL_RULES.get(m.rule, 2), m.field != "title", m.start)

    return min(candidates, key=rank)


#: Rules of the entity extractor that name a paper's own artefact, best first.
_PROPOSAL_RULES = {"title-prefix": 0, "proposal": 1, "naming": 1, "acronym": 1}
