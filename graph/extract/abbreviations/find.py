"""Definitions in a text (:func:`find_abbreviations`): parentheses, their windows, both shapes."""

from __future__ import annotations

import functools
import re

from graph.extract.abbreviations.align import best_long_form
from graph.extract.abbreviations.forms import AbbreviationPair, is_short_form, plural_stripped

#: Long forms with more words than this are not definitions.
_MAX_LONG_WORDS = 10
#: Longest parenthesis read as a long form ("MoE (mixture of experts)").
_MAX_REVERSE_CHARS = 160

_POSSESSIVE = re.compile(r"(?<=\w)['’]s?$")

_PARENS = re.compile(r"\(([^()]*)\)")

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
