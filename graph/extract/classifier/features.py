"""The features of one name in one paper: its written form, the words around each occurrence,
the rules' opinions of it (:func:`name_features`).
"""

from __future__ import annotations

import functools
import re

from graph.extract.candidates import word_shape
from graph.extract.classifier.groups import NameGroup
from graph.extract.entities import Findings, _Span
from graph.extract.entities.findings import _sentence_of
from graph.extract.patterns import (
    DATASET_SUFFIX,
    SIZE_SUFFIX,
    head_type,
    proposal_matches,
    title_description_type,
)
from graph.extract.vocab import CompoundMatcher

#: At most this many occurrences of a name give context features.
_MAX_CONTEXTS = 3

_CONTEXT_WORD = re.compile(r"[\w][\w.+-]*")
_IS_A = re.compile(r"\s+(?:is|are|was|as)\s+(?:a|an|the|our)\s+([^,.;:()]{1,80})")
_NP_CUT = re.compile(r"\s(?:for|of|that|which|with|to|in|on|from|by|and|trained|designed|built)\s")
_APPOSITIVE = re.compile(r"\s*(?:\([^)]{0,40}\)\s*)?,\s*(?:a|an|the|our)\s+([^,.;:()]{1,80})")
_NAMING_WORDS = frozenset(["called", "named", "dubbed", "termed"])
#: Words before a name that say how it is used ("trained on X", "outperforms X").
_BIGRAM_CUES = frozenset(
    [
        "trained on",
        "pretrained on",
        "pre-trained on",
        "finetuned on",
        "fine-tuned on",
        "evaluated on",
        "tested on",
        "results on",
        "experiments on",
        "such as",
        "compared with",
        "compared to",
        "based on",
        "built on",
    ]
)
_UNIGRAM_CUES = frozenset(
    [
        "benchmark",
        "benchmarks",
        "dataset",
        "datasets",
        "including",
        "e.g.",
        "i.e.",
        "like",
        "than",
        "using",
        "use",
        "used",
        "uses",
        "with",
        "via",
        "on",
        "of",
        "and",
        "or",
        "called",
        "dubbed",
        "named",
        "termed",
        "propose",
        "proposes",
        "proposed",
        "introduce",
        "introduces",
        "introduced",
        "present",
        "presents",
        "presented",
        "our",
        "the",
    ]
)
_DIGITS = re.compile(r"\d+")
_PIECES = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


@functools.lru_cache(maxsize=1 << 16)
def surface_features(surface: str) -> tuple[str, ...]:
    """Features of a name's written form: its shape, its pieces, its head word.

    >>> "piece=bench" in surface_features("MVBench"), "shape=XxXxX" in surface_features("ProLLaMA")
    (True, True)
    """
    words = surface.split()
    features = [f"words={min(len(words), 4)}"]
    features.append(f"shape={_char_shape(surface)}")
    features.append(f"wshape0={word_shape(words[0])}")
    features.append(f"wshapeN={word_shape(words[-1])}")
    last = words[-1].lower()
    features.append(f"suffix3={last[-3:]}")
    pieces = [p.lower() for p in _PIECES.findall(surface)]
    for p in pieces:
        if not p.isdigit():
            features.append(f"piece={p}")
    if pieces:
        features.append(f"last_piece={'#' if pieces[-1].isdigit() else pieces[-1]}")
        features.append(f"first_piece={pieces[0]}")
    if surface.islower():
        features.append(f"head={last}")
    if (t := head_type(surface)) is not None and len(words) > 1:
        features.append(f"head_type={t}")
    if SIZE_SUFFIX.search(surface):
        features.append("size_suffix")
    if DATASET_SUFFIX.search(surface):
        features.append("dataset_suffix")
    if any(c.isdigit() for c in surface):
        features.append("digit")
    if "-" in surface:
        features.append("hyphen")
    if surface.isupper():
        features.append("all_caps")
    if len(surface) <= 3:
        features.append("short")
    return tuple(features)


@functools.lru_cache(maxsize=1 << 16)
def _char_shape(surface: str) -> str:
    out = []
    for c in surface:
        k = "X" if c.isupper() else "x" if c.islower() else "d" if c.isdigit() else c
        if not out or out[-1] != k:
            out.append(k)
    return "".join(out)[:8]


@functools.lru_cache(maxsize=1 << 16)
def _word(w: str | None) -> str:
    return "" if w is None else _DIGITS.sub("0", w.lower())


def context_features(findings: Findings, span: _Span) -> list[str]:
    """Features of one occurrence: the words around it, a cue noun or appositive after it."""
    text = findings.text
    start, end = span.start, span.end
    features = []
    left = list(_CONTEXT_WORD.finditer(text, max(0, start - 40), start))
    l1 = left[-1].group() if left else None
    l2 = left[-2].group() if len(left) > 1 else None
    if l1 is not None and l1.endswith(".") and l1.count(".") == 1:
        left = []  # the name starts a sentence: the words before it are another sentence's
        l1, l2 = "<s>", None
    features.append(f"l1={_word(l1)}")
    features.append(f"l2={_word(l2)}_{_word(l1)}")
    right = _CONTEXT_WORD.findall(text, end, min(len(text), end + 60))
    r1, r2, r3 = [*right, None, None, None][:3]
    features.append(f"r1={_word(r1)}")
    features.append(f"r2={_word(r1)}_{_word(r2)}")
    for w in (r1, r2, r3):
        if w is not None and (t := head_type(w)):
            features.append(f"rhead={t}")
            break
    if text.startswith(",", end) or text.startswith(" (", end):
        appos = _APPOSITIVE.match(text, end, min(len(text), end + 120))
        if appos:
            features.append(f"appos={head_type(_NP_CUT.split(appos[1])[0])}")
    is_a = (
        _IS_A.match(text, end, min(len(text), end + 120))
        if text.startswith((" is ", " are ", " was ", " as "), end)
        else None
    )
    if is_a:
        features.append(f"is_a={head_type(_NP_CUT.split(is_a[1])[0])}")
    if left:
        last = left[-1]
        if text[last.end() : start].strip(" (,:\"'“‘") == "":
            head = l1
            if l1 and l1.lower() in _NAMING_WORDS and l2 is not None:
                head = l2
            if head and (t := head_type(head)):
                features.append(f"lhead={t}")
            cue = None
            if l2 is not None and f"{l2} {l1}".lower() in _BIGRAM_CUES:
                cue = f"{l2} {l1}".lower()
            elif l1 and (w := l1.lower()) in _UNIGRAM_CUES:
                cue = w
            elif l1 and l1.lower().startswith(("outperform", "surpass")):
                cue = l1.lower()
            if cue:
                features.append(f"lcue={cue}")
    before = text[start - 1] if start else ""
    if before == "(":
        features.append("in_paren")
    if text.startswith(" (", end):
        features.append("before_paren")
    if start == 0 and text.startswith(":", end):
        features.append("title_prefix")
        # What the title says its name is ("EDiffSR: An Efficient Diffusion Probabilistic Model
        # for ..."); the window of words after the name sees "Diffusion" first.
        features.append(f"title_head={title_description_type(findings.title[end + 1 :].strip())}")
    if start < len(findings.title):
        features.append("in_title")
    return features


def name_features(
    findings: Findings, group: NameGroup, compounds: CompoundMatcher | None = None
) -> list[str]:
    """Every feature of one name in one paper (deduplicated, in a stable order).

    Args:
        findings: The paper's findings.
        group: The name group.
        compounds: Finds known model names inside new ones ("BERTu", "urT5").
    """
    spans = findings.spans
    text = findings.text
    features: list[str] = ["bias"]
    surfaces = []
    members = [i for i in group.spans if spans[i].rule != "elided"] or group.spans
    for i in members:
        s = spans[i]
        surface = text[s.start : s.end]
        if surface not in surfaces:
            surfaces.append(surface)
        features.append(f"rule={s.rule}")
        features.append(f"rule_type={s.rule}:{s.type}")
        if s.note:
            features.append(f"note={s.note}")
        if s.proposed:
            features.append(f"rule_proposed={s.rule}")
        if s.kept:
            features.append(f"kept_type={s.type}")
        if s.concept or s.family:
            features.append(f"vocab={s.type}")
    for surface in surfaces[:3]:
        features.extend(surface_features(surface))
        if compounds is not None and compounds.find(surface) is not None:
            features.append("compound_model")
    for i in members[:_MAX_CONTEXTS]:
        features.extend(context_features(findings, spans[i]))
    title_length = len(findings.title)
    in_title = any(spans[i].start < title_length for i in group.spans)
    in_abstract = any(spans[i].start >= title_length for i in group.spans)
    count = len(group.spans)
    features.append(f"count={min(count, 4)}")
    features.append(
        f"where={'both' if in_title and in_abstract else 'title' if in_title else 'abstract'}"
    )
    features.append(f"ml_names={min(findings.ml_names, 4)}")
    if not findings.ml_text:
        features.append("not_ml_text")
    if len(group.keys) > 1:
        features.append("acronym_pair")
    proposals = proposal_matches(text)
    if proposals:
        starts = findings.sentence_starts
        for i in group.spans[:_MAX_CONTEXTS]:
            s = spans[i]
            sentence_start, _ = _sentence_of(s.start, starts)
            for p_start, p_end in proposals:
                if sentence_start <= p_start and p_end <= s.start:
                    features.append("after_proposal_verb")
                    if s.start - p_end < 40:
                        features.append("near_proposal_verb")
                    break
    if _component_of_proposed(findings, group):
        features.append("component_of_proposed")
    # The same evidence means different things for names found by different rules (an
    # appositive after a vocabulary name, after a scanned word): pair it with the strongest rule.
    rules = {spans[i].rule for i in group.spans}
    top = next((r for r in _RULE_ORDER if r in rules), "other")
    features = list(dict.fromkeys(features))
    features += [f"{top}|{f}" for f in features if f[:4] in _CONJOINED]
    return features


#: A verb saying what a thing is made of ("X consists of two phases: A and B").
_COMPOSITION = re.compile(
    r"\b(?:consists?\s+of|consisting\s+of|comprises?|comprising|(?:is|are)\s+composed\s+of|"
    r"includes?|including|involves?|contains?|integrates?|combines?|has\s+(?:two|three|four))\b"
)


def _component_of_proposed(findings: Findings, group: NameGroup) -> bool:
    """Whether the name is a part of a name the rules found proposed, in the sentence that says
    what the proposed thing is made of ("EffQ involves two phases: block training (Block-T)
    and ...", "we build Foo, which consists of three datasets, A, B and C")."""
    spans = findings.spans
    members = set(group.spans)
    proposed = [s for i, s in enumerate(spans) if s.proposed and i not in members]
    if not proposed:
        return False
    starts = findings.sentence_starts
    text = findings.text
    for i in group.spans[:_MAX_CONTEXTS]:
        s = spans[i]
        sentence_start, _ = _sentence_of(s.start, starts)
        for q in proposed:
            if (
                sentence_start <= q.start
                and q.end < s.start
                and _COMPOSITION.search(text, q.end, s.start)
            ):
                return True
    return False


#: Rules from the most to the least telling (for the conjoined features).
_RULE_ORDER = (
    "vocab",
    "variant",
    "compound",
    "long-name",
    "title-prefix",
    "proposal",
    "naming",
    "appositive",
    "acronym",
    "list",
    "shape",
    "cue-noun",
    "elided",
    "scan",
)
#: Features conjoined with the strongest rule, by their first four characters.
_CONJOINED = frozenset(
    p[:4]
    for p in (
        "wshape",
        "rhead",
        "appos",
        "lhead",
        "is_a",
        "lcue",
        "count",
        "where",
        "in_paren",
        "before_paren",
        "note",
        "compound",
        "after_prop",
        "near_prop",
        "ml_names",
        "digit",
        "all_caps",
        "short",
    )
)
