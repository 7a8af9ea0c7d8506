"""Abbreviation (acronym definition) detection for titles and abstracts.

An adaptation of Schwartz & Hearst (2003), "A simple algorithm for identifying abbreviation
definitions in biomedical text", to ML writing. Definitions come in two shapes::

    Low-Rank Adaptation (LoRA)          long form (short form)
    MoE (mixture of experts)            short form (long form)

For every parenthesis the text inside (or its part before the first ``,``/``;``) is tested as a
short form; the long form is then searched in a window of ``min(len(SF) + 5, 2 * len(SF))`` words
before the parenthesis. Like Schwartz–Hearst's ``best_long_form`` every alphanumeric character of
the short form must be found, in order, in the long form, and the first one must start a word.
Unlike the greedy right-to-left original the alignment is chosen by a small dynamic program that
prefers aligning the short form's capitals with word starts, hyphen parts and word-internal
capitals, and otherwise the shortest long form. This copes with camel-case compounds
("EfficientQAT" <- "Efficient Quantization-Aware Training"), hyphenated long forms
("Quantization-Aware Training" -> "QAT"), capitals inside words ("Pre-training with
Representative wOrds Prediction" -> "PROP"), digits ("E2E" <- "end-to-end", "S3T" <- three S
words, "T2I" <- "text-to-image") and ``x`` for "cross" ("xICL" <- "cross-lingual in-context
learning"). A few plausibility checks then reject alignments that only work by picking scattered
letters out of a long window.

All the logic is in plain functions over strings; the spaCy component ``kg_abbreviations`` only
puts the pairs on the Doc as spans.
"""

from __future__ import annotations

import functools
import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from graph.extract._text import doc_text

__all__ = [
    "AbbreviationDetector",
    "AbbreviationPair",
    "best_long_form",
    "find_abbreviations",
    "is_short_form",
    "plural_stripped",
]

#: Longest plain short form ("Block-AP", "scRNA-seq"), and longest camel-case compound
#: ("EfficientQAT", "GradNormLoRP") when it has at least ``_COMPOUND_MIN_CAPITALS`` capitals.
_MAX_SHORT_LEN = 10
_MAX_COMPOUND_LEN = 16
_COMPOUND_MIN_CAPITALS = 3
#: Long forms with more words than this are not definitions.
_MAX_LONG_WORDS = 10
#: Longest parenthesis read as a long form ("MoE (mixture of experts)").
_MAX_REVERSE_CHARS = 160
#: At most this many digit/"x" alternatives are combined per short form.
_MAX_PATTERNS = 27

#: A version number at the end of a short form ("DFloat11", "OTOv2", "NEVIS'22").
_VERSION_SUFFIX = re.compile(r"['’]?v?\d+$")
_POSSESSIVE = re.compile(r"(?<=\w)['’]s?$")
_POSSESSIVE_ENDINGS = ("'s", "’s", "'", "’")
_SHORT_FORM_CHARS = re.compile(r"[^\W_]+(?:[-./+&' ][^\W_]+)*\.?")
_PARENS = re.compile(r"\(([^()]*)\)")
_WORD = re.compile(r"[^\W_]+")
_NON_SPACE = re.compile(r"\S+")
_LONG_FORM_SEPARATORS = re.compile(r"[\s/]+")
_CLAUSE_SEPARATORS = re.compile(r"[,;]")
_ET_AL = re.compile(r"\bet\.? al\b")
#: The word right before a parenthesis (the short form of ``SF (long form)``), matched on the
#: reversed text before it: whitespace, maybe a closing quote, then the word back to its first
#: letter or digit.
_WORD_BEFORE_REVERSED = re.compile(r"\s*['’]?([\w\-./+&']*[^\W_])")
#: Where a long form cannot reach across: brackets, line breaks, sentence/clause ends (. ! ? ; :
#: before whitespace). For reversed text, where the whitespace comes first.
_HARD_STOP_REVERSED = re.compile(r"[()\[\]\n]|(?<=\s)[.!?;:]")
_YEAR = re.compile(r"(?<!\d)(?:1[89]|20)\d\d[a-z]?(?!\d)")
_NOT_DEFINITIONS = re.compile(
    r"""^(?:e\.?\s?g\b|i\.?\s?e\b|cf\b|see\b|viz\b|resp\b|ibid\b|
         (?:tab|table|fig|figure|eq|eqn|equation|sec|section|app|appendix|alg|algorithm|
            chapter|step|stage|phase|part|line|lines|page|pp?)\b\.?\s*[\dIVX])""",
    re.IGNORECASE | re.VERBOSE,
)
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


@dataclass(frozen=True)
class AbbreviationPair:
    """A short form and the long form it abbreviates, with character offsets into the text.

    Attributes:
        short: The short form as written, e.g. ``"LoRA"``; ``text[short_start:short_end]``.
        long: The long form as written, e.g. ``"Low-Rank Adaptation"``;
            ``text[long_start:long_end]``.
        short_start: Offset of the first character of the short form.
        short_end: Offset just past the short form.
        long_start: Offset of the first character of the long form.
        long_end: Offset just past the long form.
    """

    short: str
    long: str
    short_start: int
    short_end: int
    long_start: int
    long_end: int


class _Unit(NamedTuple):
    """One thing the long form must contain: a character, or a word (prefix) at a word start."""

    char: str = ""
    words: tuple[str, ...] = ()
    whole_word: bool = True
    capital: bool = False


def plural_stripped(short: str) -> str:
    """Strip a plural or possessive ending from a short form.

    Only a lowercase ``s`` after a capital or digit is a plural ending, so acronyms that end in an
    uppercase S keep it.

    Args:
        short: A short form as written, e.g. ``"LLMs"``.

    Returns:
        The singular form: ``"LLMs"`` -> ``"LLM"``, ``"ProLLMs"`` -> ``"ProLLM"``,
        ``"MoEs"`` -> ``"MoE"``, ``"LLM's"`` -> ``"LLM"``; ``"DS"`` and ``"Adams"`` are unchanged.
    """
    stem = short
    if stem.endswith(_POSSESSIVE_ENDINGS):
        for ending in _POSSESSIVE_ENDINGS:
            if stem.endswith(ending) and len(stem) > len(ending) + 1:
                stem = stem[: -len(ending)]
                break
    if len(stem) >= 3 and stem.endswith("s") and (stem[-2].isupper() or stem[-2].isdigit()):
        stem = stem[:-1]
    return stem


def is_short_form(candidate: str, *, min_capitals: int = 1) -> bool:
    """Tell whether a string can be a short form.

    A short form has 2–10 characters (camel-case compounds such as ``"GradNormLoRP"`` with three or
    more capitals up to 16), at most two words, starts with a letter or digit, contains a capital
    letter, and otherwise only letters, digits and ``- . / + & '``.

    Args:
        candidate: The string to test, e.g. ``"E2E-QP"``.
        min_capitals: How many uppercase letters it needs at least.

    Returns:
        True if ``candidate`` looks like a short form.
    """
    if not 2 <= len(candidate) <= _MAX_COMPOUND_LEN:
        return False
    capitals = sum(map(str.isupper, candidate))
    if capitals < min_capitals or capitals == 0:
        return False
    if not _SHORT_FORM_CHARS.fullmatch(candidate) or len(candidate.split()) > 2:
        return False
    if len(candidate) > _MAX_SHORT_LEN and (" " in candidate or capitals < _COMPOUND_MIN_CAPITALS):
        return False
    stem = plural_stripped(candidate)
    return len(stem) >= 2 and stem.lower() not in {"s", "es"}


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


@functools.lru_cache(maxsize=64)
def _leading_words(count: int) -> re.Pattern[str]:
    """Matches the first ``count`` words of a text (or all, if fewer)."""
    return re.compile(rf"(?:\s*\S+){{1,{count}}}")


def _window_start(text: str, end: int, max_words: int) -> int:
    """Start of the last ``max_words`` words before ``end`` that do not cross a hard stop."""
    low = max(0, end - 40 * max_words)
    # Searched backwards from ``end``, as the last hard stop is usually near it.
    backwards = text[low:end][::-1]
    stop = _HARD_STOP_REVERSED.search(backwards)
    limit = len(backwards) if stop is None else stop.start()
    words = _leading_words(max_words).match(backwards, 0, limit)
    return end if words is None else end - words.end()


_NUMBERS = re.compile(r"\d+(?:\.\d+)*")


def _accept(short: str, long: str) -> bool:
    """Final checks on a pair: the long form is longer than, and does not contain, the short form.

    Args:
        short: The short form.
        long: The long form found for it.

    Returns:
        False for "BERT (BERT)", "LoRA (LoRA)", a long form of more than ten words, or two
        names with different version numbers ("CIFAR-10 (CIFAR-100)": a name of its own in the
        parenthesis, not an abbreviation).
    """
    stem = plural_stripped(short)
    if long.lower() == short.lower() or len(long) <= len(stem):
        return False
    short_numbers = _NUMBERS.findall(short)
    if short_numbers and short_numbers != _NUMBERS.findall(long) and _NUMBERS.search(long):
        return False
    if len(long.split()) > _MAX_LONG_WORDS:
        return False
    tokens = {token.lower() for token in _LONG_FORM_SEPARATORS.split(long)}
    return short.lower() not in tokens and stem.lower() not in tokens


def _short_form_in(inner: str, offset: int) -> tuple[str, int] | None:
    """The short form candidate in a parenthesis (the part before ',' or ';'), with its offset."""
    head = _CLAUSE_SEPARATORS.split(inner, maxsplit=1)[0]
    stripped = _POSSESSIVE.sub("", head.strip())
    if not stripped:
        return None
    start = offset + head.index(stripped)
    return stripped, start


def _is_aside(inner: str) -> bool:
    """A citation, cross-reference, example list or other parenthesis that defines nothing."""
    stripped = inner.strip()
    if _NOT_DEFINITIONS.match(stripped):
        return True
    return bool(_ET_AL.search(stripped) or _YEAR.search(stripped))


def _pair(
    text: str, short: str, short_start: int, candidate: str, offset: int
) -> AbbreviationPair | None:
    """The pair of ``short`` and its long form in ``candidate`` (``text`` from ``offset``)."""
    span = best_long_form(short, candidate)
    if span is None:
        return None
    long_start, long_end = offset + span[0], offset + span[1]
    long = text[long_start:long_end]
    if not _accept(short, long):
        return None
    return AbbreviationPair(
        short, long, short_start, short_start + len(short), long_start, long_end
    )


def _forward(text: str, match: re.Match[str], found: tuple[str, int]) -> AbbreviationPair | None:
    """The definition ``long form (SF)`` for a parenthesis, if it is one.

    Args:
        text: The whole text.
        match: A ``_PARENS`` match in ``text``.
        found: :func:`_short_form_in` of the parenthesis.

    Returns:
        The pair, or None.
    """
    short, short_start = found
    if not is_short_form(short):
        return None
    end = match.start()
    max_words = min(len(short) + 5, 2 * len(short))
    window = _window_start(text, end, max_words)
    return _pair(text, short, short_start, text[window:end], window)


def _reverse(text: str, match: re.Match[str], found: tuple[str, int]) -> AbbreviationPair | None:
    """The definition ``SF (long form)`` for a parenthesis, if it is one.

    The short form is the word right before the parenthesis and needs two capitals ("MoE").

    Args:
        text: The whole text.
        match: A ``_PARENS`` match in ``text``.
        found: :func:`_short_form_in` of the parenthesis.

    Returns:
        The pair, or None.
    """
    end = match.start()
    before = _WORD_BEFORE_REVERSED.match(text[max(0, end - 40) : end][::-1])
    if before is None:
        return None
    short_start = end - before.end(1)
    short = text[short_start : end - before.start(1)]
    if (
        short_start > 0
        and not text[short_start - 1].isspace()
        and text[short_start - 1] not in "\"'“‘"
    ):
        return None
    if " " in short or not is_short_form(short, min_capitals=2):
        return None
    head, head_start = found
    if len(head) > _MAX_REVERSE_CHARS or len(head.split()) > _MAX_LONG_WORDS:
        return None
    return _pair(text, short, short_start, head, head_start)


def find_abbreviations(text: str) -> list[AbbreviationPair]:
    """Find abbreviation definitions in a title or abstract.

    Args:
        text: Plain text.

    Returns:
        One pair per definition, in text order; ``text[p.short_start:p.short_end] == p.short`` and
        ``text[p.long_start:p.long_end] == p.long`` for every pair ``p``.

    Example:
        >>> [(p.short, p.long) for p in find_abbreviations("We use Low-Rank Adaptation (LoRA).")]
        [('LoRA', 'Low-Rank Adaptation')]
    """
    pairs = []
    if "(" not in text:
        return pairs
    for match in _PARENS.finditer(text):
        inner = match.group(1)
        if not inner.strip() or _is_aside(inner):
            continue
        found = _short_form_in(inner, match.start(1))
        if found is None:
            continue
        pair = _forward(text, match, found) or _reverse(text, match, found)
        if pair is not None:
            pairs.append(pair)
    return pairs


if not Doc.has_extension("abbreviations"):
    Doc.set_extension("abbreviations", default=None)
if not Doc.has_extension("abbreviation_pairs"):
    Doc.set_extension("abbreviation_pairs", default=None)


@Language.factory("kg_abbreviations", assigns=["doc._.abbreviations"], default_config={})
class AbbreviationDetector:
    """spaCy component: ``doc._.abbreviations`` = [(short span, long span), ...] in text order.

    Works on any pipeline, including ``spacy.blank("en")``; it needs no parser.
    """

    def __init__(self, nlp: Language, name: str = "kg_abbreviations") -> None:
        """Create the component.

        Args:
            nlp: The pipeline (unused).
            name: The component name.
        """
        self.name = name
        if not Doc.has_extension("abbreviations"):
            Doc.set_extension("abbreviations", default=None)

    def __call__(self, doc: Doc) -> Doc:
        """Find the definitions in ``doc.text`` and store them as span pairs.

        Args:
            doc: The document.

        Returns:
            The same document, with ``doc._.abbreviations`` set (and the exact character-level
            pairs in ``doc._.abbreviation_pairs``).
        """
        spans: list[tuple[Span, Span]] = []
        pairs = find_abbreviations(doc_text(doc))
        doc._.abbreviation_pairs = pairs
        for pair in pairs:
            short = doc.char_span(pair.short_start, pair.short_end, alignment_mode="expand")
            long = doc.char_span(pair.long_start, pair.long_end, alignment_mode="expand")
            if short is not None and long is not None:
                spans.append((short, long))
        doc._.abbreviations = spans
        return doc
