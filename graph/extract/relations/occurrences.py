"""Where a paper's mentions occur: every whole-name occurrence, longest first, without overlaps.

``kg_entities`` keeps one mention per name with its first occurrence; relations need them all
("BERT" in "BERT-based", "Transformer" in "transformer-based", "Bert" for BERT).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from graph.records import Mention

#: Lowercase words that may follow a name after a hyphen without making a longer name
#: ("BERT-based" names BERT; "Adam-mini" and "BERT-Large" are other names, and "GLUE-style" or
#: "GPT-like" something else than GLUE or GPT).
HYPHEN_SUFFIXES = frozenset(
    [
        "based",
        "family",
        "series",
        "derived",
        "initialized",
        "initialised",
        "pretrained",
        "finetuned",
        "tuned",
        "driven",
        "powered",
        "guided",
    ]
)
_SUFFIX_WORD = re.compile(r"[a-z]+")


class Occurrence(NamedTuple):
    """One occurrence of a mention (offsets into ``title + "\\n\\n" + abstract``)."""

    start: int
    end: int
    mention: Mention


def variants(name: str) -> list[str]:
    """Other spellings of a name worth finding: "transformer" for "Transformer", "Bert" for
    "BERT".

    Non-acronyms of five or more characters also in lowercase; all-letter acronyms of four or
    more also capitalised. Shorter names only as written ("SC" is no "sc").
    """
    if len(name) >= 5 and not name.isupper():
        return [name.lower()]
    if len(name) >= 4 and name.isupper() and name.isalpha():
        return [name.capitalize()]
    return []


def bounded(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a whole name, not part of a longer one."""
    if start > 0:
        before = text[start - 1]
        if before.isalnum() or before in "_^}$":
            return False  # "M^{3}ViT" is no "ViT"
        if before == "-" and start > 1 and text[start - 2].isalnum():
            return False
    if end < len(text):
        after = text[end]
        if after.isalnum() or after in "_+":
            return False
        if after == "-" and end + 1 < len(text) and text[end + 1].isalnum():
            word = _SUFFIX_WORD.match(text, end + 1)
            return word is not None and word.group() in HYPHEN_SUFFIXES
    return True


def find_occurrences(text: str, mentions: Iterable[Mention]) -> list[Occurrence]:
    """Every occurrence of every mention in ``text``, without overlaps, in text order.

    Mentions are found as written and in their :func:`variants`; where two occurrences overlap,
    the longer one wins ("Spike-Aware Adam" over "Adam"), then the earlier.
    """
    lowered: str | None = None
    found: list[Occurrence] = []
    for m in mentions:
        name = m.text
        size = len(name)
        if not size:
            continue
        hits: list[int] = []
        pos = text.find(name)
        while pos >= 0:
            if bounded(text, pos, pos + size) or (
                m.type == "Language" and _in_language_pair(text, pos, pos + size)
            ):
                hits.append(pos)
            pos = text.find(name, pos + 1)
        if size < 4:
            found += [Occurrence(h, h + size, m) for h in hits]
            continue
        for variant in variants(name):
            haystack = text
            if variant.islower():
                if lowered is None:
                    lowered = text.lower()
                if len(lowered) != len(text):
                    continue  # a character whose lowercase is longer: offsets would shift
                haystack = lowered
            pos = haystack.find(variant)
            while pos >= 0:
                if pos not in hits and bounded(text, pos, pos + size):
                    hits.append(pos)
                pos = haystack.find(variant, pos + 1)
        found += [Occurrence(h, h + size, m) for h in hits]
        found += _number_variants(text, name, m, hits)
    found.sort(key=_position)
    if all(found[i].end <= found[i + 1].start for i in range(len(found) - 1)):
        return found
    # Overlaps: the longest first, then the earliest.
    found.sort(key=lambda o: (o.start - o.end, o.start))
    taken = bytearray(len(text) + 1)
    kept: list[Occurrence] = []
    for o in found:
        if any(taken[o.start : o.end]):
            continue
        taken[o.start : o.end] = b"\x01" * (o.end - o.start)
        kept.append(o)
    kept.sort(key=_position)
    return kept


def _in_language_pair(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is one side of a language pair: "English-Sinhala"."""
    before_ok = start == 0 or not text[start - 1].isalnum()
    if start >= 2 and text[start - 1] == "-" and text[start - 2].isalpha():
        before_ok = text[start].isupper()
    after_ok = end >= len(text) or not (text[end].isalnum() or text[end] in "_+")
    if end + 1 < len(text) and text[end] == "-" and text[end + 1].isupper():
        after_ok = True
    return before_ok and after_ok and text[start].isupper()


def _number_variants(text: str, name: str, m: Mention, taken: list[int]) -> list[Occurrence]:
    """The singular or plural of a name ending in a capital: "Hydra LLM" for "Hydra LLMs",
    "FooGLMs" for "FooGLM" (an acronym's plural is the same name)."""
    if len(name) < 3:
        return []
    if name.endswith("s") and name[-2].isupper():
        other = name[:-1]
    elif name[-1].isupper() and name[-2:-1].isalpha():
        other = name + "s"
    else:
        return []
    out = []
    pos = text.find(other)
    while pos >= 0:
        if pos not in taken and bounded(text, pos, pos + len(other)):
            out.append(Occurrence(pos, pos + len(other), m))
        pos = text.find(other, pos + 1)
    return out


def _position(o: Occurrence) -> tuple[int, int]:
    return o.start, o.end
