"""The long form of a short form (:func:`best_long_form`): its readings, their alignment to the
words before it by a small dynamic program, and the plausibility checks.
"""

from __future__ import annotations

import functools
import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from operator import itemgetter
from typing import NamedTuple

from graph.extract.abbreviations.forms import plural_stripped

#: At most this many digit/"x" alternatives are combined per short form.
_MAX_PATTERNS = 27

#: A version number at the end of a short form ("DFloat11", "OTOv2", "NEVIS'22").
_VERSION_SUFFIX = re.compile(r"['’]?v?\d+$")

_WORD = re.compile(r"[^\W_]+")
_NON_SPACE = re.compile(r"\S+")

#: Lowercase words a long form never starts with ("the", "our", "a novel", "called", ...).
# fmt: off
_BAD_FIRST_WORDS = frozenset({
    "a", "an", "the", "our", "their", "its", "this", "that", "these", "those", "and", "or", "but",
    "of", "to", "for", "with", "by", "from", "via", "as", "at", "we", "us", "which", "who", "whose",
    "where", "when", "novel", "called", "termed", "dubbed", "namely", "propose", "proposed",
    "introduce", "introduced", "present", "presented", "use", "using",
})
#: Words that need not contribute a letter ("Mixture of Experts", "State-of-the-Art").
_FUNCTION_WORDS = frozenset({
    "a", "an", "the", "and", "or", "of", "to", "for", "with", "by", "from", "via", "in", "on", "at",
    "as", "into", "over", "under", "per", "vs",
})
# fmt: on
#: Digits that stand for a word ("E2E" = end-to-end, "Seq2Seq" = sequence-to-sequence).
_DIGIT_WORDS = {"2": ("to", "two"), "4": ("for", "four")}
#: Letters that stand for a word prefix ("XLT" = cross-lingual transfer).
_LETTER_PREFIXES = {"x": ("cross", "trans")}


class _Unit(NamedTuple):
    """One thing the long form must contain: a character, or a word (prefix) at a word start."""

    char: str = ""
    words: tuple[str, ...] = ()
    whole_word: bool = True
    capital: bool = False


@functools.lru_cache(maxsize=4096)
def _patterns(short: str) -> tuple[tuple[tuple[_Unit, ...], bool], ...]:
    """All readings of a short form as a sequence of units to find in the long form.

    A digit is read literally, as a word ("2" = "to") or as a repeat count of the letter before it
    ("S3T" = S, S, S, T); an ``x`` literally or as "cross"/"trans". A trailing version number
    ("DFloat11", "OTOv2") may also be left out. Cached, as the same short forms recur.

    Returns:
        (units, whether a version suffix was left out) for every reading.
    """
    readings = [(short, False)]
    version = _VERSION_SUFFIX.search(short)
    if version is not None and version.start() >= 2:
        readings.append((short[: version.start()], True))
    patterns = []
    for reading, dropped in readings:
        options: list[list[list[_Unit]]] = []
        previous: _Unit | None = None
        for ch in reading:
            if not ch.isalnum():
                continue
            lower = ch.lower()
            literal = _Unit(char=lower, capital=ch.isupper())
            choices = [[literal]]
            if lower in _DIGIT_WORDS:
                choices.append([_Unit(words=_DIGIT_WORDS[lower])])
            if lower in _LETTER_PREFIXES:
                choices.append([_Unit(words=_LETTER_PREFIXES[lower], whole_word=False)])
            if ch in "23456789" and previous is not None and previous.char.isalpha():
                choices.append([previous] * (int(ch) - 1))
            options.append(choices)
            previous = literal
        for combo in itertools.islice(itertools.product(*options), _MAX_PATTERNS):
            patterns.append((tuple(unit for part in combo for unit in part), dropped))
    return tuple(patterns)


def _word_start(text: str, i: int) -> bool:
    """Whether ``text[i]`` starts a word (or a hyphen/slash part of one)."""
    return i == 0 or not text[i - 1].isalnum()


def _strong_position(text: str, i: int) -> bool:
    """Whether a capital of the short form matched at ``text[i]`` is a strong match.

    It is on a capital, a word start, a hyphen/slash part or a letter/digit switch.
    """
    ch = text[i]
    if i == 0 or ch.isupper():
        return True
    before = text[i - 1]
    return not before.isalnum() or ch.isdigit() != before.isdigit()


def _first_word(text: str, i: int) -> str:
    """The run of letters and digits starting at ``text[i]``."""
    match = _WORD.match(text, i)
    return match.group(0) if match else ""


@functools.lru_cache(maxsize=64)
def _word_pattern(word: str) -> re.Pattern[str]:
    """The case-insensitive pattern for a word a digit or ``x`` stands for."""
    return re.compile(re.escape(word), re.IGNORECASE)


class _Haystack:
    """A text searched for long forms, with the matches of each unit found once.

    All readings of a short form (and of its singular) are aligned in the same text, and they
    mostly consist of the same units.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        # For ASCII text ``text.lower()[i] == text[i].lower()``, so characters can be found with
        # ``str.find``; otherwise (final sigma, "İ" -> two characters) each one is lowered alone.
        self._lowered = text.lower() if text.isascii() else None
        self._matches: dict[_Unit, list[tuple[int, int]]] = {}

    def _positions(self, char: str) -> list[int]:
        """The indices ``i`` with ``text[i].lower() == char``."""
        if self._lowered is None:
            return [i for i, ch in enumerate(self.text) if ch.lower() == char]
        found = []
        i = self._lowered.find(char)
        while i != -1:
            found.append(i)
            i = self._lowered.find(char, i + 1)
        return found

    def matches(self, unit: _Unit) -> list[tuple[int, int]]:
        """Where a unit occurs, as (start, end) ordered by end, and otherwise by word and start."""
        found = self._matches.get(unit)
        if found is None:
            if unit.words:
                found = sorted(_word_matches(unit, self.text), key=itemgetter(1))
            else:
                found = [(i, i + 1) for i in self._positions(unit.char)]
            self._matches[unit] = found
        return found


def _word_matches(unit: _Unit, text: str) -> list[tuple[int, int]]:
    """Where the words of a unit occur in ``text`` at a word start."""
    found = []
    for word in unit.words:
        for match in _word_pattern(word).finditer(text):
            start, end = match.span()
            if not _word_start(text, start):
                continue
            if unit.whole_word and end < len(text) and text[end].isalpha():
                continue
            found.append((start, end))
    return found


def _align(
    units: Sequence[_Unit], haystack: _Haystack
) -> tuple[int, tuple[tuple[int, int], ...]] | None:
    """Best alignment of ``units`` in the text: most strong matches, then the latest start.

    Of alignments with the same score and start, the one that ends first wins (and then the one
    whose last match comes first in :meth:`_Haystack.matches`).

    Returns:
        (strong match count, matched (start, end) spans in order), or None.
    """
    text = haystack.text
    # The best (score, first start, spans) of the alignments of the units so far that end at or
    # before an offset is a step function of the offset: values[k] from ends[k] on.
    ends: list[int] = []
    values: list[tuple[int, int, tuple[tuple[int, int], ...]]] = []
    for index, unit in enumerate(units):
        next_ends: list[int] = []
        next_values: list[tuple[int, int, tuple[tuple[int, int], ...]]] = []
        best: tuple[int, int] | None = None
        for start, end in haystack.matches(unit):
            if index == 0:
                if not _word_start(text, start) or _first_word(text, start) in _BAD_FIRST_WORDS:
                    continue
                score, first, spans = 0, start, ()
            else:
                step = bisect_right(ends, start)
                if step == 0:
                    continue
                score, first, spans = values[step - 1]
            # A capital of the short form matched at a word boundary or to a capital is strong;
            # words are always strong; lowercase letters never are (they do not decide where a
            # long form starts).
            if unit.words or (unit.capital and _strong_position(text, start)):
                score += 1
            # Matches come ordered by end, so the step function is built in order.
            if best is None or (score, first) > best:
                best = (score, first)
                next_ends.append(end)
                next_values.append((score, first, (*spans, (start, end))))
        if not next_values:
            return None
        ends, values = next_ends, next_values
    if not values:
        return None
    score, _, spans = values[-1]
    return score, spans


def _plausible(units: Sequence[_Unit], text: str, spans: tuple[tuple[int, int], ...]) -> bool:
    """Reject alignments that pick scattered letters out of unrelated words.

    At least half of the long form's words (function words that contribute nothing aside) must
    contribute a character, and the short form's capitals must mostly sit on word boundaries or
    capitals: "xCOT" is not "cross-lingual instruction fine-tuning framework".
    """
    first = spans[0][0]
    span_starts = [s for s, _ in spans]  # increasing
    content = contributing = 0
    for word in _NON_SPACE.finditer(text, first):
        start, end = word.span()
        nearest = bisect_left(span_starts, start)
        hit = nearest < len(span_starts) and span_starts[nearest] < end
        if hit or word.group().lower().strip(",;:") not in _FUNCTION_WORDS:
            content += 1
            contributing += hit
    if 2 * contributing < content:
        return False
    capitals = strong = 0
    for unit, (s, _) in zip(units, spans, strict=True):
        if unit.capital:
            capitals += 1
            strong += _strong_position(text, s)
    need = min(capitals, content)
    return strong >= need - (1 if need >= 3 else 0)


def best_long_form(short: str, candidate: str) -> tuple[int, int] | None:
    """Find the long form of ``short`` at the end of ``candidate``.

    The Schwartz–Hearst search, extended: every alphanumeric character of the short form must occur
    in order in the long form, the first one at the start of a word; among all such alignments the
    one with most short-form capitals on word starts, hyphen parts or capitals wins, then the
    shortest. Digits may stand for words or repeats ("E2E", "S3T"), ``x`` for "cross". A plural
    short form ("LLMs") is also tried without its ``s``.

    Args:
        short: The short form, e.g. ``"QAT"``.
        candidate: Text that ends where the long form ends, e.g. ``"we use quantization-aware
            training"``.

    Returns:
        ``(start, end)`` offsets of the long form in ``candidate``, or None if there is none.
    """
    end = len(candidate)
    while end and not (candidate[end - 1].isalnum() or candidate[end - 1] in ")]+"):
        end -= 1
    text = candidate[:end]
    if not text:
        return None
    forms = [short]
    stem = plural_stripped(short)
    if stem != short:
        forms.append(stem)
    haystack = _Haystack(text)
    for form in forms:
        best: tuple[tuple[int, int], int] | None = None
        for units, dropped in _patterns(form):
            alignment = _align(units, haystack)
            if alignment is None or not _plausible(units, text, alignment[1]):
                continue
            if dropped and alignment[0] < 2:
                continue
            key = (alignment[0], alignment[1][0][0])
            if best is None or key > best[0]:
                best = (key, alignment[1][0][0])
        if best is not None:
            return best[1], end
    return None
