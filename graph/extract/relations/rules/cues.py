"""Relations read around a cue phrase (:func:`cue_relations`), and verbs before their objects
("fine-tune X on D").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from graph.extract.relations.expressions import (
    ANALYSIS,
    APPLIED_TO,
    APPOSITIVE_ASIDE,
    BASELINE_BEFORE,
    CLAUSE_VERB,
    COMPARISON,
    EVALUATE_VERB,
    EVALUATION_WORD,
    JOINING,
    LANGUAGE_DATA,
    LOCAL_CUES,
    MAKING,
    NOMINAL_TRAINING,
    OTHERS_CLAUSE,
    OTHERS_USING,
    PREPOSITION,
    ROLE,
    TRAIN_VERB,
    USING_LITERAL,
    VERB_FAMILIES,
    WE,
    WITH_AFTER,
    Cue,
    cue_scanner,
)
from graph.extract.relations.rules.found import (
    _APPOSITION_WORDS,
    _EVALUATED,
    _MODEL_OR_METHOD,
    Found,
    _found,
)
from graph.extract.relations.sentence import PRIMARY, Sentence, list_at, objects, pairs, subjects
from graph.records import RELATION_SIGNATURES

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


#: "involves two consecutive phases:": a few words naming the parts a colon lists.
_PARTS_BEFORE_COLON = re.compile(r"\s+(?:[\w-]+\s+){0,3}?[\w-]+\s*:\s*")

#: Words before a list of languages that make them the languages worked in.
_LANGUAGE_WORDS = re.compile(r"\b(?:languages?|language\s+pairs?|directions?)\b", re.I)
