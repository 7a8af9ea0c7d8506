"""A title's "X: ..." prefix names the paper's own artefact; the phrase after the colon types it."""

from __future__ import annotations

import functools
import re

from graph.extract.patterns.heads import head_type
from graph.extract.patterns.names import (
    _QUOTES,
    COMMON_CAPITALISED,
    Candidate,
    is_name_like,
    morphology_type,
)

#: Words that end a title's noun phrase (a preposition or a clause word).
_PHRASE_END_WORDS = (
    "for|via|with|of|to|in|on|from|by|that|which|using|through|based|across|towards|where|when"
)
#: The end of a noun phrase: one of those words, "and", or punctuation.
_PHRASE_END = re.compile(rf"\s(?:{_PHRASE_END_WORDS}|and)\b|[,.;:()]")
#: The same, past coordinated modifiers ("An Evolving, Large-Scale and Multi-domain ASR Corpus").
_LOOSE_PHRASE_END = re.compile(rf"\s(?:{_PHRASE_END_WORDS})\b|[.;:()]")


def _phrase_after(text: str, pos: int, limit: int = 120, end: re.Pattern[str] = _PHRASE_END) -> str:
    """The noun phrase starting at ``pos``: up to a preposition, clause word or punctuation."""
    chunk = text[pos : pos + limit]
    m = end.search(chunk)
    return chunk[: m.start()] if m else chunk


#: Gerunds whose object is the artefact itself: "X: Designing Scalable Vision Models".
_MAKING_GERUNDS = frozenset(
    ["designing", "building", "training", "pretraining", "pre-training", "developing", "creating"]
)
#: Gerunds that make the artefact a test of others: "X: Benchmarking LLMs on ...".
_TESTING_GERUNDS = frozenset(["benchmarking", "evaluating", "probing", "testing"])


def title_prefix(
    title: str, abstract: str, stoplist: frozenset[str] = frozenset()
) -> Candidate | None:
    """Find the name a title announces before its colon ("ProLLaMA: A Protein ...").

    The prefix must be name-shaped, or a short capitalised phrase the abstract repeats
    ("Unified Embedding: ..."). Its type comes from the head of the phrase after the colon,
    else from its shape; it is always proposed.
    """
    m = re.match(r"\s*(?P<name>[^:]{1,60}?)\s*:\s+(?P<rest>\S.*)", title)
    if not m:
        return None
    name = m["name"].strip(_QUOTES + " ")
    start = title.index(name, m.start("name"))
    words = name.split()
    if len(words) > 5 or "," in name or "?" in name or "'s" in name or "’s" in name:
        return None
    letters = [c for c in title if c.isalpha()]
    if len(words) > 1 and sum(c.isupper() for c in letters) > 0.8 * len(letters):
        return None  # a title in capitals: "WELL-READ STUDENTS LEARN BETTER: ..." names nothing
    if words[0].lower() in COMMON_CAPITALISED and not is_name_like(words[0], stoplist):
        return None
    if not is_name_like(name, stoplist):
        capitalised = all(w[:1].isupper() for w in words)
        if not (
            capitalised
            and 1 <= len(words) <= 4
            and name in abstract
            and words[0].lower() not in COMMON_CAPITALISED
        ):
            return None
    entity_type = title_description_type(m["rest"]) or morphology_type(name)
    return Candidate(start, start + len(name), "title-prefix", 0.9, entity_type, proposed=True)


@functools.lru_cache(maxsize=1 << 12)
def title_description_type(rest: str) -> str | None:
    """The type the phrase after a title's colon gives the name before it, or None.

    >>> title_description_type("An Efficient Diffusion Probabilistic Model for Remote Sensing")
    'Model'
    >>> title_description_type("Boosting LLMs with Retrieval")
    >>> title_description_type("Benchmarking LLMs on Long Contexts")
    'Dataset'
    >>> title_description_type("An Evolving, Large-Scale and Multi-domain ASR Corpus for Thai")
    'Dataset'
    """
    # "Boosting LLMs with ...", "Accelerating Pretrained LLMs via ...": a verb phrase says what
    # the artefact does, not what it is; but "Designing Scalable Vision Models" says what it
    # is (the thing made), and "Benchmarking ..." that it is a benchmark.
    gerund = re.match(r"([A-Z][a-z]+ing)\b\s*", rest)
    if gerund is None:
        phrase = _phrase_after(rest, 0)
    elif gerund.group(1).lower() in _MAKING_GERUNDS:
        phrase = _phrase_after(rest, gerund.end())
    else:
        phrase = "benchmark" if gerund.group(1).lower() in _TESTING_GERUNDS else ""
    found = head_type(phrase)
    if found is None and gerund is None:
        # Coordinated modifiers: "An Evolving, Large-Scale and Multi-domain ASR Corpus for ...".
        found = head_type(_phrase_after(rest, 0, 100, _LOOSE_PHRASE_END))
    return found
