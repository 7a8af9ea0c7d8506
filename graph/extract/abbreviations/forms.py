"""A definition found (:class:`AbbreviationPair`), and what may be a short form
(:func:`is_short_form`, :func:`plural_stripped`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Longest plain short form ("Block-AP", "scRNA-seq"), and longest camel-case compound
#: ("EfficientQAT", "GradNormLoRP") when it has at least ``_COMPOUND_MIN_CAPITALS`` capitals.
_MAX_SHORT_LEN = 10
_MAX_COMPOUND_LEN = 16
_COMPOUND_MIN_CAPITALS = 3

_POSSESSIVE_ENDINGS = ("'s", "’s", "'", "’")
_SHORT_FORM_CHARS = re.compile(r"[^\W_]+(?:[-./+&' ][^\W_]+)*\.?")


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
