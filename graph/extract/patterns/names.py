"""The shape of a name: which words are shaped like an artefact's name (:func:`is_name_like`),
the type a name's shape implies (:func:`morphology_type`), the name at an offset, and the
:class:`Candidate` every rule returns.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

#: Words that are never a name on their own, however capitalised.
COMMON_CAPITALISED = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "we",
        "our",
        "in",
        "on",
        "of",
        "for",
        "to",
        "with",
        "by",
        "from",
        "and",
        "or",
        "but",
        "as",
        "at",
        "via",
        "towards",
        "toward",
        "beyond",
        "is",
        "are",
        "be",
        "can",
        "do",
        "does",
        "how",
        "what",
        "when",
        "why",
        "which",
        "who",
        "new",
        "novel",
        "efficient",
        "scalable",
        "simple",
        "large",
        "small",
        "deep",
        "neural",
        "generative",
        "open",
        "fast",
        "accurate",
        "robust",
        "multi-task",
        "multilingual",
        "improving",
        "learning",
        "training",
        "rethinking",
        "revisiting",
        "understanding",
        "exploring",
        "scaling",
        "making",
        "enhancing",
        "boosting",
        "survey",
        "position",
        "paper",
    ]
)

#: One word of a name: letters/digits with inner hyphens, dots, plus signs or apostrophes.
_WORD = r"[A-Za-z0-9\u0370-\u03ff][\w\u0370-\u03ff]*(?:[-.+'][\w\u0370-\u03ff]+)*\+*"
WORD = re.compile(_WORD)
_QUOTES = "\"'`“”‘’«»"
#: A parameter count in billions ("-7B", "-1.3B-Instruct"): the name is a model's.
SIZE_SUFFIX = re.compile(r"[-_ ]\d+(?:\.\d+)?[BT](?:[-_]\w+)*$")
DATASET_SUFFIX = re.compile(
    r"(?:Bench|Benchmark|Eval|QA|Set|Corpus|Data|Instruct|Pile|Hub|Arena|[-_]\d+(?:\.\d+)?[KM])$"
)


@dataclass(frozen=True)
class Candidate:
    """A name a rule found, as ``text[start:end]``, with the rule's opinion of it.

    ``type`` is None when the rule cannot tell; :func:`decide_type` settles it later.
    """

    start: int
    end: int
    rule: str
    confidence: float
    type: str | None = None
    proposed: bool = False


@functools.lru_cache(maxsize=1 << 16)
def is_name_like(name: str, stoplist: frozenset[str] = frozenset()) -> bool:
    """Whether a word or short phrase is shaped like a proper name of an artefact.

    A single word qualifies when it has a capital after its first letter ("ProLLaMA",
    "TabPFN"), mixes letters and digits ("S3T", "GEB-1.3B"), or is an all-capitals acronym of two
    or more letters ("PEEKABOO", "BERT"); hyphenated capitalised words qualify too
    ("Make-A-Shape"). Phrases qualify when every word is capitalised or name-like and one is
    name-like. Stoplisted words ("LLM", "NLP", "GPU") never do.

    >>> is_name_like("ProLLaMA"), is_name_like("Phantom"), is_name_like("LLM", frozenset({"LLM"}))
    (True, False, False)
    """
    name = name.strip(_QUOTES + " ")
    if not name or name in stoplist or name.rstrip("s") in stoplist:
        return False
    words = name.split()
    if len(words) > 5:
        return False
    if len(words) > 1:
        if not all(w[0].isupper() or w[0].isdigit() or "-" in w for w in words):
            return False
        return any(is_name_like(w, stoplist) for w in words)
    word = words[0]
    letters = [c for c in word if c.isalpha()]
    if len(letters) < 1 or word.lower() in COMMON_CAPITALISED:
        return False
    if re.fullmatch(r"[\d.,%]+[a-z]?", word):
        return False
    if re.search(r"-(?:[a-z]{3,})$", word) and not re.search(r"\d", word.rsplit("-", 1)[-1]):
        return False  # "BERT-based", "BP-trained", "LLM-like": a modifier, not a name
    if any(c.isupper() for c in word[1:]) and any(c.islower() for c in word):
        return True
    if any(c.isdigit() for c in word) and len(letters) >= 1 and word[0].isalpha():
        return True
    if len(letters) >= 2 and all(c.isupper() for c in letters) and word[0].isalpha():
        return True
    parts = word.split("-")
    return len(parts) >= 2 and all(p[:1].isupper() or p[:1].isdigit() for p in parts if p)


def morphology_type(name: str) -> str | None:
    """Return the type a name's shape implies, or None.

    >>> morphology_type("GEB-1.3B"), morphology_type("MVBench"), morphology_type("PEEKABOO")
    ('Model', 'Dataset', None)
    """
    if SIZE_SUFFIX.search(name):
        return "Model"
    if DATASET_SUFFIX.search(name) and name[0].isupper():
        return "Dataset"
    return None


def _name_at(
    text: str, pos: int, stoplist: frozenset[str], *, allow_capitalised: bool, max_words: int = 4
) -> tuple[int, int] | None:
    """The name starting at ``pos`` (after optional quotes), as (start, end), or None."""
    while pos < len(text) and text[pos] in _QUOTES + " ":
        pos += 1
    words: list[re.Match[str]] = []
    cursor = pos
    while len(words) < max_words:
        m = WORD.match(text, cursor)
        if not m:
            break
        word = m.group()
        if words and not (word[:1].isupper() or word[:1].isdigit() or is_name_like(word, stoplist)):
            break
        if not words and not (
            is_name_like(word, stoplist)
            or (allow_capitalised and word[:1].isupper() and word.lower() not in COMMON_CAPITALISED)
        ):
            return None
        words.append(m)
        if m.end() < len(text) and text[m.end()] == " ":
            cursor = m.end() + 1
        else:
            break
    if not words:
        return None
    # "Medical mT5" is one name; a lowercase word that is not name-shaped ends none.
    while (
        len(words) > 1
        and words[-1].group()[:1].islower()
        and not is_name_like(words[-1].group(), stoplist)
    ):
        words.pop()
    start, end = words[0].start(), words[-1].end()
    if not is_name_like(text[start:end], stoplist) and not allow_capitalised:
        return None
    return start, end
