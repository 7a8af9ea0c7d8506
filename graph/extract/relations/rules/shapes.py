"""Relations read from a sentence's shape (:func:`shape_relations`): appositions, "Y-based models
such as A", "compared with Y, X ...", fronted phrases, results named by a dataset, languages
before names, a title's "X: ... via Y".
"""

from __future__ import annotations

import re

from graph.extract.relations.expressions import (
    APPOSITION,
    BASED_CALLED,
    BASED_LIST,
    BETTER_VERB,
    COMPARED,
    COMPARISON,
    COMPONENT_NAMED,
    FRONTED,
    HEDGE,
    KIND_NAME,
    KIND_SUCH_AS,
    KIND_THEN_NAME,
    LANGUAGE_BEFORE,
    NEGATION,
    OUR_ARTEFACT,
    RESULT_LEAD,
    RESULT_NOUN_AFTER,
    RESULT_ON_FIRST,
    RESULT_ON_FIRST_GATE,
    RESULT_WORD,
    TITLE_DERIVED,
    TITLE_MEANS,
    WE,
)
from graph.extract.relations.rules.found import (
    _APPOSITION_WORDS,
    _BASED_ON,
    _EVALUATED,
    _MODEL_OR_METHOD,
    _OUTPERFORMS,
    _USES,
    Found,
    _found,
)
from graph.extract.relations.sentence import (
    PRIMARY,
    Sentence,
    list_at,
    list_ending_at,
    objects,
    pairs,
    subjects,
)

# ---------------------------------------------------------------------------- sentence shapes


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


#: A dataset's noun after its name: "the OpenAssistant benchmark".
_DATASET_NOUN = re.compile(r"\s+(?:benchmarks?|datasets?|corpus|test\s+set|suite)\s+")

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
