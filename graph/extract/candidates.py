"""High-recall candidate names: every word or phrase of the text shaped like a proper name.

The rules of :mod:`graph.extract.patterns` find names from what surrounds them ("we propose X",
"the X benchmark"); many names have no such cue ("... compared with Moshi and CLIP4Clip").
:func:`scan_names` proposes every name-shaped word or capitalised phrase the rules left alone;
the learned classifier (:mod:`graph.extract.classifier`) then decides, from the name's shape and
its context, whether it names a model, a dataset, a method, or nothing.

Everything here is a plain function over strings.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Sequence

from graph.extract.patterns import COMMON_CAPITALISED, morphology_type

#: One word of a name: letters/digits (any script) with inner hyphens, dots, underscores, plus
#: signs or apostrophes, and trailing plus signs ("HumanEval+").
_TOKEN = re.compile(r"[^\W_](?:[\w]|[-.+'’/](?=[^\W_])|_(?=[^\W_]))*\+*")
_VERSION = re.compile(r"v?\d+(?:\.\d+)*[BMKT]?")
#: A number that counts something ("Foo 3 times", "BERT 12 layers"), not a version.
_COUNTED = re.compile(
    r"\s+(?!(?:and|or|on|in|with|for|to|at|as|of|from|by|is|are|was|were|model|models)\b)"
    r"[a-z]|%|[.,]\d"
)
_INTERESTING = re.compile(
    r"(?<![\w.+'’/-])(?=[\w.+'’/-]*?[A-Z0-9\u00c0-\u00de\u0391-\u03a9])" + _TOKEN.pattern
)
#: On ASCII text, from the first capital or digit of a run of the characters the lookbehind
#: of :data:`_INTERESTING` excludes to the run's end: one match per run that holds one.
#: Starting with a character class, it lets Python's engine skip to the next capital or digit
#: in C instead of trying :data:`_INTERESTING` at every position.
_FROM_CAPITAL = re.compile(r"[A-Z0-9][\w.+'/-]*")
_RUN_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.+'/-")


def _interesting(text: str) -> list[re.Match[str]]:
    """``list(_INTERESTING.finditer(text))``, faster on ASCII text.

    Each match of ``_INTERESTING`` starts a maximal run of ``[\\w.+'’/-]`` (its lookbehind)
    that holds a capital or a digit (its lookahead), and is ``_TOKEN``'s match there; on
    ASCII text each match of ``_FROM_CAPITAL`` is in exactly one such run, and the run starts
    where the characters before it stop being run characters.
    """
    if not text.isascii():
        return list(_INTERESTING.finditer(text))
    match = _TOKEN.match
    found = []
    for capital in _FROM_CAPITAL.finditer(text):
        start = capital.start()
        while start and text[start - 1] in _RUN_CHARACTERS:
            start -= 1
        m = match(text, start)
        if m is not None:
            found.append(m)
    return found


_ROMAN = re.compile(r"[IVXLC]+")
_NUMBER = re.compile(r"[\d.,]+[%kKmMbB]?|\d+(?:st|nd|rd|th|s|D|d)")

#: Shape classes a word can have, from most to least name-like.
INNER_CAPS = "inner-caps"  # ProLLaMA, mBERT, docT5query
ALNUM = "alnum"  # GPT4, Sentinel-2, ResNet50
CAPS = "caps"  # MDETR, LEGO
HYPHEN_CAPS = "hyphen-caps"  # M-CLIP, Make-A-Shape
CAPITALISED = "capitalised"  # Moshi, Amber
LOWER = "lower"


@functools.lru_cache(maxsize=1 << 16)
def word_shape(word: str) -> str:
    """The shape class of one word (see the module constants).

    >>> [word_shape(w) for w in ("ProLLaMA", "GPT4", "MDETR", "Make-A-Shape", "Moshi", "model")]
    ['inner-caps', 'alnum', 'caps', 'hyphen-caps', 'capitalised', 'lower']
    """
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return LOWER
    has_digit = any(c.isdigit() for c in word)
    upper = [c for c in letters if c.isupper()]
    if has_digit and (upper or len(letters) >= 2):
        return ALNUM
    if len(upper) == len(letters):
        return CAPS if len(letters) >= 2 else (HYPHEN_CAPS if "-" in word else CAPITALISED)
    if any(c.isupper() for c in word[1:]) and not _title_hyphenated(word):
        return INNER_CAPS
    if "-" in word and sum(p[:1].isupper() for p in word.split("-")) >= 2:
        return HYPHEN_CAPS
    if word[0].isupper():
        return CAPITALISED
    return LOWER


def _title_hyphenated(word: str) -> bool:
    """ "Key-Value", "Zero-Shot": capitals only at the starts of hyphen parts."""
    parts = word.split("-")
    return len(parts) > 1 and all(p[1:] == p[1:].lower() for p in parts)


def _is_candidate_word(word: str, shape: str, stoplist: frozenset[str]) -> bool:
    if shape == LOWER or word in stoplist or word.rstrip("s") in stoplist:
        return False
    if _NUMBER.fullmatch(word):
        return False
    if shape == CAPS and (_ROMAN.fullmatch(word) or len(word) > 12):
        return False
    return sum(c.isalnum() for c in word) >= 2


def scan_names(
    text: str,
    title_length: int,
    sentence_starts: Sequence[int],
    stoplist: frozenset[str] = frozenset(),
) -> list[tuple[int, int, str]]:
    """Every name-shaped word or capitalised phrase of ``text``, as (start, end, shape).

    A run of capitalised or name-shaped words ("Tiny Training Engine", "LM Evaluation Harness")
    is one candidate; a plain capitalised word counts only where capitals say nothing else: not
    at a sentence start, not in the title (titles capitalise every word), not in an all-caps
    sentence.

    Args:
        text: ``title + "\\n\\n" + abstract``.
        title_length: Length of the title at the start of ``text``.
        sentence_starts: Start offsets of the sentences of ``text``, ascending.
        stoplist: Words that are never names.

    Returns:
        Candidates in text order; the shape is the most name-like shape of the run's words.
    """
    found: list[tuple[int, int, str]] = []
    run: list[tuple[int, int, str]] = []
    starts = set(sentence_starts)

    def flush() -> None:
        if not run:
            return
        # A plain capitalised word starting a sentence is just its first word ("Experiments
        # show ...", "Our model ...").
        while run and run[0][2] == CAPITALISED and run[0][0] in starts:
            run.pop(0)
        # Common words capitalised at a run's edge ("Large", "Towards") are not part of a name;
        # inside one they are ("Tiny Training Engine").
        while run and _common(text, run[0]):
            run.pop(0)
        while run and _common(text, run[-1]):
            run.pop()
        if run:
            shapes = [shape for _, _, shape in run]
            best = min(shapes, key=_SHAPE_RANK.__getitem__)
            if best in _PROPOSED_SHAPES or morphology_type(text[run[0][0] : run[-1][1]]):
                found.append((run[0][0], run[-1][1], best))
        run.clear()

    previous_end = -1
    # Only words with a capital or a digit can be (or continue) a name; lowercase words between
    # two of them break the run by leaving a gap.
    for m in _interesting(text):
        word = m.group()
        start, end = m.span()
        shape = word_shape(word)
        in_title = start < title_length
        if shape == CAPITALISED and in_title:
            shape = LOWER  # every title word is capitalised
        if (
            run
            and previous_end == start - 1
            and text[previous_end] == " "
            and _VERSION.fullmatch(word)
            and not _COUNTED.match(text, end)
        ):
            # "comparable to Foo 3.5": the version is part of the name.
            run[-1] = (run[-1][0], end, run[-1][2])
            flush()
            previous_end = -1
            continue
        if not _is_candidate_word(word, shape, stoplist):
            flush()
            previous_end = -1
            continue
        if run and not (previous_end == start - 1 and text[previous_end] == " "):
            flush()
        if run and (start in starts or (run[0][0] < title_length) != in_title):
            flush()
        run.append((start, end, shape))
        previous_end = end
        if len(run) >= 6:
            flush()
            previous_end = -1
    flush()
    capitals: dict[int, bool] = {}
    kept = []
    for c in found:
        i = max(bisect_right(sentence_starts, c[0]) - 1, 0)
        if i not in capitals:
            capitals[i] = _all_caps_sentence(text, i, sentence_starts)
        if not capitals[i]:
            kept.append(c)
    return kept


def _common(text: str, word: tuple[int, int, str]) -> bool:
    return text[word[0] : word[1]].lower() in COMMON_CAPITALISED


#: Shapes worth a decision: plain capitalised words and hyphenated capitalised compounds
#: ("Zero-Shot") that no rule explained were almost never names in the annotated papers, and
#: the classifier kept none of them in cross-validation; unless their ending says what they
#: are ("Evol-Instruct", "Needle-Bench").
_PROPOSED_SHAPES = frozenset([INNER_CAPS, ALNUM, CAPS])

_SHAPE_RANK = {INNER_CAPS: 0, ALNUM: 1, HYPHEN_CAPS: 2, CAPS: 3, CAPITALISED: 4, LOWER: 5}


def _all_caps_sentence(text: str, i: int, sentence_starts: Sequence[int]) -> bool:
    """Whether sentence ``i`` is written in capitals ("WELL-READ STUDENTS ...")."""
    start = sentence_starts[i] if sentence_starts else 0
    end = sentence_starts[i + 1] if i + 1 < len(sentence_starts) else len(text)
    sentence = text[start:end]
    upper = sum(map(str.isupper, sentence))
    lower = sum(map(str.islower, sentence))
    return upper + lower >= 12 and upper > 4 * lower
