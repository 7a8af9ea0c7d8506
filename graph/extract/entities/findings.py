"""The records of what the rules found: one finding (:class:`_Span`), one paper's findings
(:class:`Findings`), the rules' priority, and the offset helpers they share.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from graph.records import AliasPair

#: Rule priority when two findings cover the same text (higher wins).
_PRIORITY = {
    "vocab": 6,
    "variant": 6,
    "title-prefix": 5,
    "compound": 5,
    "long-name": 5,
    "proposal": 4,
    "naming": 4,
    "appositive": 4,
    "acronym": 3,
    "shape": 2,
    "cue-noun": 1,
    "title-phrase": 1,
}


@dataclass
class _Span:
    """One finding: ``text[start:end]`` with what the rule that found it thinks of it.

    ``kept`` says whether the hand rules keep the finding; the learned classifier also sees
    the findings the rules drop, with ``note`` saying why they were dropped.
    """

    start: int
    end: int
    type: str | None
    rule: str
    confidence: float
    proposed: bool = False
    concept: str | None = None
    family: str | None = None
    kept: bool = True
    note: str = ""
    #: The full name of an elided version ("3.1" in "Baz 3, 3.1" is "Baz 3.1").
    canonical: str | None = None


@dataclass
class Findings:
    """Everything the rules found in one paper, before the final decision.

    Attributes:
        title: The paper's title.
        abstract: The paper's abstract.
        text: ``title + "\\n\\n" + abstract``; every offset is into it.
        spans: Every finding, non-overlapping, in text order: the rules' choices, then what they
            dropped and the name-shaped words no rule explained, where those do not overlap.
        aliases: The acronym definitions the rules accept.
        pairs: Every acronym definition whose two sides are findings, as (long, short) indexes
            into ``spans``.
        sentence_starts: Start offsets of the sentences of ``text``.
        ml_names: How many unambiguous ML names (not languages) the vocabulary found.
        ml_text: Whether the text is about machine learning at all (an ML name or ML words).
        stoplist: Words that are never entities.
        ml_context: Whether the text speaks of machine learning clearly enough for a name to
            be a Model or Dataset (:func:`ml_context`): words of ML, NLP or vision, a
            distinctive known model, or two known models or datasets.
    """

    title: str
    abstract: str
    text: str
    spans: list[_Span]
    aliases: list[AliasPair]
    pairs: list[tuple[int, int]]
    sentence_starts: Sequence[int]
    ml_names: int
    ml_text: bool = True
    stoplist: frozenset[str] = frozenset()
    ml_context: bool = True


def _sentence_bounds(text: str, starts: Sequence[int]) -> list[tuple[int, int]]:
    bounds = []
    for i, s in enumerate(starts):
        e = starts[i + 1] if i + 1 < len(starts) else len(text)
        bounds.append((s, e))
    return bounds


def _occurrences(text: str, name: str) -> list[int]:
    """Start offsets of ``name`` in ``text`` as a whole word (not inside a longer word)."""
    found, size, pos = [], len(name), text.find(name)
    while pos >= 0:
        before = text[pos - 1] if pos else " "
        after = text[pos + size] if pos + size < len(text) else " "
        if not (before.isalnum() or before in "_-") and not (after.isalnum() or after == "_"):
            found.append(pos)
        pos = text.find(name, pos + 1)
    return found


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span to start and end with a letter, digit, "+" or "#" ("ModelNet40." ->
    "ModelNet40")."""
    while start < end and not (text[start].isalnum()):
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in "+#"):
        end -= 1
    return start, end


def _sentence_of(offset: int, starts: Sequence[int]) -> tuple[int, int]:
    i = max(bisect.bisect_right(starts, offset) - 1, 0)
    start = starts[i] if starts else 0
    end = starts[i + 1] if i + 1 < len(starts) else 1 << 30
    return start, end
