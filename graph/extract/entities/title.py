"""Phrases of a title that the abstract uses again as a name (for the classifier)."""

from __future__ import annotations

import re

from graph.extract.entities.findings import _Span
from graph.extract.patterns import head_type

# A title is cut into phrases at its colon and at the words that join a name to what it does
# ("Wavelet Pooling for Convolutional Neural Networks", "Learning Affinity via Spatial
# Propagation Networks").
_TITLE_CUT = re.compile(
    r"\s*[:?!]\s+|\s+(?:for|via|with|by|in|on|using|from|through|to|and|of|as|at|towards?|"
    r"under|without|beyond|versus|vs\.?)\s+",
    re.IGNORECASE,
)
_ARTICLE = re.compile(r"(?:an?|the)\s+", re.IGNORECASE)


_NAMING_CUE = re.compile(
    r"\b(?:propos\w*|introduc\w*|present\w*|call\w*|term\w*|dub\w*|nam\w*|our|coin\w*|"
    r"develop\w*|design\w*)\b[^.;]{0,60}$",
    re.IGNORECASE,
)


def _named_again(text: str, start: int, end: int, title_form: str) -> bool:
    """Whether the abstract uses a title phrase as a name at ``start``: written as in the title
    (with its capitals) inside a sentence, or after a cue of naming ("we propose", "called")."""
    in_sentence = start > 0 and text[start - 2 : start] not in (". ", "\n\n")
    if in_sentence and text.startswith(title_form, start) and title_form != title_form.lower():
        return True
    return bool(_NAMING_CUE.search(text, max(0, start - 80), start))


def _case_blind_occurrences(
    text: str, lowered: str, phrase: str, start: int
) -> list[tuple[int, int]]:
    """(start, end) of ``phrase`` (lowercase) in ``text`` from ``start`` in any case, as whole
    words, with a plural "s" or "es" it may take (a regular expression per phrase would be
    compiled afresh for every paper)."""
    found = []
    pos = lowered.find(phrase, start)
    while pos >= 0:
        end = pos + len(phrase)
        for plural in ("es", "s"):
            if lowered.startswith(plural, end):
                after = end + len(plural)
                if after >= len(text) or not (text[after].isalnum() or text[after] in "_-"):
                    end = after
                    break
        before_ok = pos == 0 or not (text[pos - 1].isalnum() or text[pos - 1] in "_-")
        after_ok = end >= len(text) or not (text[end].isalnum() or text[end] in "_-")
        if before_ok and after_ok:
            found.append((pos, end))
        pos = lowered.find(phrase, pos + 1)
    return found


def _title_phrases(text: str, title_length: int) -> list[_Span]:
    """Phrases of the title that the abstract uses again: a descriptive title is a name when
    the abstract names something by it ("Smooth Sparse Coding via Marginal Regression ... we
    propose smooth sparse coding"). Left to the classifier (not kept by the rules)."""
    title = text[:title_length]
    abstract_start = title_length + 2
    lowered = text.lower()
    if len(lowered) != len(text):  # a character whose lowercase is longer ("İ"): offsets differ
        return []
    found = []
    pos = 0
    for piece in _TITLE_CUT.split(title):
        start = title.find(piece, pos)
        pos = start + len(piece)
        article = _ARTICLE.match(piece)
        if article:
            start, piece = start + article.end(), piece[article.end() :]
        piece = piece.rstrip(" .")
        words = piece.split()
        if not 2 <= len(words) <= 6 or not any(w[:1].isupper() for w in words):
            continue
        again = _case_blind_occurrences(text, lowered, piece.lower(), abstract_start)
        if not any(_named_again(text, s, e, piece) for s, e in again):
            continue
        entity_type = head_type(piece)
        for s, e in [(start, start + len(piece)), *again]:
            found.append(
                _Span(s, e, entity_type, "title-phrase", 0.5, kept=False, note="title-phrase")
            )
    return found
