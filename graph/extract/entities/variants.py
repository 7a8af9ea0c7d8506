"""Names built on a known one: compounds ("KLUE-RoBERTa"), elided versions ("Baz 3, 3.1"),
longer names it opens ("ImageNet Large Scale Visual Recognition Challenge") and an
edition's parts ("WMT15 English-German").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import replace

from graph.extract.candidates import ALNUM, INNER_CAPS, word_shape
from graph.extract.entities.findings import _Span, _trim
from graph.extract.patterns import COMMON_CAPITALISED, head_type

#: Parts glued to a model's name that make a modifier, not a new name ("BERT-based").
_MODIFIER_PARTS = frozenset(
    [
        "based",
        "like",
        "style",
        "guided",
        "driven",
        "aware",
        "free",
        "only",
        "level",
        "scale",
        "sized",
        "specific",
        "generated",
        "enhanced",
        "augmented",
        "powered",
        "assisted",
        "friendly",
        "oriented",
        "compatible",
        "inspired",
        "pretrained",
        "tuned",
        "finetuned",
        "fine-tuned",
        "family",
        "series",
        "class",
        "type",
        "sft",
        "generation",
    ]
)
#: Lowercase size words that stay part of a model's name ("M2-BERT-base", "ViT-large").
_SIZE_WORDS = frozenset(["base", "large", "small", "tiny", "mini", "xl", "xxl", "huge", "medium"])
_GLUED_LEFT = re.compile(r"(?:[^\W_][\w.]*-)+$")
_GLUED_RIGHT = re.compile(r"(?:-[^\W_][\w.]*)+")


def _compounds(text: str, spans: Sequence[_Span]) -> list[_Span]:
    """New model and dataset names built on a known one with a hyphen: "KLUE-RoBERTa",
    "ViT-Huge", "Mini-Kinetics", "Split-CIFAR100".

    The whole hyphenated word is the name, typed as the known one; a lowercase modifier
    ("BERT-based", "LLaMA-like", "ImageNet-pretrained") makes no name.
    """
    found = []
    for s in spans:
        if s.rule not in ("vocab", "variant") or s.type not in ("Model", "Dataset"):
            continue
        if not s.kept and not (s.type == "Dataset" and s.note == "alone"):
            # A word that names a dataset only in context ("Kinetics") does with a prefix glued
            # to it ("Mini-Kinetics").
            continue
        start, end = s.start, s.end
        left = _GLUED_LEFT.search(text, max(0, start - 40), start)
        if left and (start - 40 <= 0 or left.start() == 0 or not text[left.start() - 1].isalnum()):
            start = left.start()
        right = _GLUED_RIGHT.match(text, end) if s.type == "Model" else None
        if right:
            end = right.end()
        words = _WORDS_BEFORE.search(text, max(0, start - 40), start) if s.type == "Model" else None
        if words and any(word_shape(w) in (ALNUM, INNER_CAPS) for w in words.group().split()):
            # "Detectron2 Keypoint R-CNN": a detector named with its framework.
            first = words.group().split()[0]
            if first.lower() not in COMMON_CAPITALISED:
                found.append(_Span(words.start(), end, "Model", "compound", 0.8))
        if (start, end) == (s.start, s.end):
            continue
        if s.type == "Dataset" and any(
            o is not s and o.rule in ("vocab", "variant") and start <= o.start < s.start
            for o in spans
        ):
            # "KLUE-RoBERTa": a known name before the hyphen; a dataset's compound is only a
            # prefix on it ("Mini-Kinetics"), never a name of its own.
            continue
        start, end = _trim(text, start, end)
        extra = [p for p in re.split(r"[-]", text[start : s.start] + "-" + text[s.end : end]) if p]
        if not extra or any(
            p.lower() in _MODIFIER_PARTS
            or not (p[0].isupper() or p[0].isdigit() or p.lower() in _SIZE_WORDS)
            for p in extra
        ):
            continue
        found.append(_Span(start, end, s.type, "compound", 0.8, family=None))
    return found


_WORDS_BEFORE = re.compile(r"(?<![\w-])(?:[A-Z][\w]*[ ]){1,2}$")
_CAPITALISED_RUN = re.compile(r"(?: (?:[A-Z][\w-]*|of|for|and|on|in|the)){2,7}")


_VERSIONED = re.compile(r"(?P<base>.*?[^\W\d_])(?P<sep>[ -]?)v?\d+(?:\.\d+)*$")
_ELIDED = re.compile(
    r"(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+|\s*/\s*)(?P<version>\d+(?:\.\d+)*)\b"
    r"(?![.,]?\d|%|\s*[BMK]\b|\s+(?!(?:and|or|on|in|with|for|to|at|as|of|from|by|are|is|"
    r"were|was|models?|respectively)\b)[a-z(])"
)


def _with_elided_versions(text: str, spans: list[_Span]) -> list[_Span]:
    """Add the versions a text elides after a versioned name: "Baz 3, 3.1 and Qux 2, 2.5"
    names Baz 3.1 and Qux 2.5 too."""
    taken = [(s.start, s.end) for s in spans]
    added = []
    for s in spans:
        if not s.kept or s.type not in ("Model", "Dataset", "Method"):
            continue
        m = _VERSIONED.match(text, s.start, s.end)
        if not m:
            continue
        end = s.end
        while (v := _ELIDED.match(text, end)) is not None:
            start, end = v.span("version")
            if any(a < end and start < b for a, b in taken):
                break
            canonical = f"{m['base']}{m['sep'] or ''}{v['version']}"
            added.append(
                replace(
                    s,
                    start=start,
                    end=end,
                    rule="elided",
                    canonical=canonical,
                    concept=None,
                    family=None,
                )
            )
    return sorted(spans + added, key=lambda s: s.start) if added else spans


def _long_names(text: str, spans: Sequence[_Span]) -> list[_Span]:
    """A known name that opens a longer capitalised name ending in a head noun:
    "ImageNet Large Scale Visual Recognition Challenge" is the challenge, not ImageNet.
    """
    found = []
    # A run never swallows another known name: "the English Web Treebank and the Penn Chinese
    # Treebank" is two datasets.
    known_starts = sorted(s.start for s in spans if s.rule in ("vocab", "variant") and s.kept)
    for s in spans:
        if s.rule not in ("vocab", "variant") or s.type not in ("Dataset", "Model") or not s.kept:
            continue
        m = _CAPITALISED_RUN.match(text, s.end)
        if not m:
            continue
        words = m.group().split()
        while words and not words[-1][:1].isupper():
            words.pop()
        for n in range(len(words), 2, -1):
            entity_type = head_type(words[n - 1])
            if entity_type in ("Dataset", "Model") and words[n - 1][:1].isupper():
                end = s.end + len(" ".join(words[:n])) + 1
                i = bisect.bisect_right(known_starts, s.end)
                if i < len(known_starts) and known_starts[i] < end:
                    continue
                found.append(_Span(s.start, end, entity_type, "long-name", 0.8))
                break
    return found


# What names one part of an evaluation campaign's edition: its language pair ("WMT15
# English-German", "WMT'14 English-to-French", "WMT14 En-Ro") or its task ("Senseval-4 Task 17",
# "the CoNLL 2007 shared task"). The annotation guidelines make those the dataset's name.
_EDITION = re.compile(r".*[^\W_]['’ -]?\d+")
_PAIR = re.compile(
    r"[ ](?P<a>[A-Z][a-z]+)(?:[ ]?(?:-|–|→|->|/)[ ]?|[ ]to[ ]|-to-)(?P<b>[A-Z][a-z]+)(?![\w-])"
)
_TASK = re.compile(
    r"[ ](?:(?:[Ss]hared[ ])?[Tt]ask[ ]?\d{1,2}[a-zA-Z]?|[Ss]hared[ ][Tt]ask)(?![\w-])"
)


def _editions(text: str, spans: Sequence[_Span]) -> list[_Span]:
    """Names of an edition's language pair or task, written after the edition: "WMT15
    English-German", "Senseval-4 Task 17". Each is a variant of the edition.

    A pair counts when both of its words are languages the vocabulary found or both are
    two-letter codes ("En-De").
    """
    languages = {s.start for s in spans if s.type == "Language"}
    found = []
    for s in spans:
        if s.type != "Dataset" or s.rule not in ("vocab", "variant") or not s.kept:
            continue
        if not _EDITION.fullmatch(text, s.start, s.end):
            continue
        end = s.end
        pair = _PAIR.match(text, end)
        if pair and (
            (pair.start("a") in languages and pair.start("b") in languages)
            or (len(pair["a"]) == 2 and len(pair["b"]) == 2)
        ):
            end = pair.end()
        task = _TASK.match(text, end)
        if task:
            end = task.end()
        if end > s.end:
            found.append(
                _Span(
                    s.start,
                    end,
                    "Dataset",
                    "variant",
                    0.9,
                    family=s.concept or s.family,
                    note="edition",
                )
            )
    return found
