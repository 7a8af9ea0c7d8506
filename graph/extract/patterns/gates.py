"""The rules RE2 runs: the "we propose" clause and the rarely matching rules, and the one RE2
pass (:func:`open_gates`) that tells which of those may match a text at all.

RE2's ``\\w``, ``\\d`` and ``\\b`` are ASCII-only: :func:`ascii_fold` gives it a text of one ASCII
character per character, and :func:`_for_re2` an expression of Python's ``re`` that matches
alike.
"""

from __future__ import annotations

import functools
import re

import re2

_VERBS = (
    r"propose|proposes|proposed|introduce|introduces|introduced|present|presents|presented|"
    r"develop|develops|developed|design|designs|designed|release|releases|released|build|builds|"
    r"construct|constructs|constructed|curate|curates|curated|create|creates|created|contribute|"
    r"contributes|offer|offers|describe|describes|unveil|unveils|open-source|open-sources"
)
_SUBJECTS = (
    r"we|this (?:paper|work|study|article|report)|the (?:present|current) (?:paper|work)|"
    r"here we|our (?:paper|work)|the authors"
)
_AUXILIARIES = r"(?:have|has|also|further|then|thus|therefore|first|additionally|\w+ly)"
#: Python's ``\s`` on ASCII text, for RE2 (whose ``\s`` lacks \v and \x1c-\x1f).
_S = r"[\t\n\v\f\r \x1c-\x1f]"


def _for_re2(expression: str, *, ignorecase: bool = False) -> str:
    """An expression of Python's ``re`` written for RE2, to match ASCII text exactly alike.

    The expression must have no lookarounds and use ``\\s`` only outside character classes;
    on ASCII text ``\\b``, ``\\w`` and ``\\d`` mean the same in both engines.
    """
    return ("(?i)" if ignorecase else "") + expression.replace(r"\s", _S)


def _fold_char(ch: str) -> str:
    """The ASCII character that stands for a non-ASCII one in :func:`ascii_fold`."""
    # A letter Python's case-insensitive matching equates with an ASCII one (the Kelvin sign
    # with k, the long s with s) is that letter; otherwise the first class that holds it.
    partner = next(
        (a for a in "abcdefghijklmnopqrstuvwxyz" if re.fullmatch(a, ch, re.IGNORECASE)), None
    )
    if partner:
        return partner
    if re.fullmatch(r"\d", ch):
        return "0"
    if re.fullmatch(r"\w", ch):
        # A word character, but no letter of any expression: "datäset" must not read "dataset".
        return "_"
    return " " if re.fullmatch(r"\s", ch) else "\x7f"


class _FoldTable(dict):
    def __missing__(self, ch: str) -> str:
        self[ch] = _fold_char(ch)
        return self[ch]


_FOLD = _FoldTable()
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@functools.lru_cache(maxsize=4)
def ascii_fold(text: str) -> str:
    """``text`` with each non-ASCII character replaced by one ASCII character of its kind.

    The kinds are those the RE2 expressions here tell apart (of :data:`PROPOSAL` and
    :data:`GATES`: none holds a non-ASCII character): a letter that matches an ASCII letter
    case-insensitively becomes it, another digit ``0``, another word character ``_`` (a word
    character that is no letter of any expression), other whitespace a space, anything else
    DEL. Offsets are kept (one character for one), so RE2,
    whose ``\\w``, ``\\d`` and ``\\b`` are ASCII-only, runs on it with Python's Unicode
    meaning and gives character offsets into ``text``.

    >>> ascii_fold("Zürich, Genève")
    'Z_rich, Gen_ve'
    """
    if text.isascii():
        return text
    return _NON_ASCII.sub(lambda m: _FOLD[m.group()], text)


@functools.lru_cache(maxsize=4)
def ascii_bytes(text: str) -> bytes:
    """:func:`ascii_fold` of ``text`` as bytes, which RE2 reads without encoding them again
    (and whose offsets are the text's).

    >>> ascii_bytes("Zürich")
    b'Z_rich'
    """
    return ascii_fold(text).encode("ascii")


# Several rules are kept as an expression without lookarounds, which RE2 runs too (see
# GATES), and compiled for Python's engine behind a lookahead listing the expression's possible
# first letters: Python's engine then skips other positions quickly instead of trying every
# alternative at each of them.
_PROPOSAL = rf"\b(?:{_SUBJECTS})\s+(?:{_AUXILIARIES}\s+){{0,2}}(?:{_VERBS})\b"
PROPOSAL = re.compile("(?=[WwTtHhOo])" + _PROPOSAL, re.IGNORECASE)
#: :data:`PROPOSAL` for RE2: on ASCII text it finds the same matches, faster.
_PROPOSAL_RE2 = re2.compile(_for_re2(_PROPOSAL, ignorecase=True).encode("ascii"))


@functools.lru_cache(maxsize=4)
def proposal_matches(text: str) -> tuple[tuple[int, int], ...]:
    """The (start, end) spans of the "we propose"-style clauses of :data:`PROPOSAL` in ``text``.

    Cached: two components read them.
    """
    return tuple(m.span() for m in _PROPOSAL_RE2.finditer(ascii_bytes(text)))


_NAMING = (
    r"\b(?:dubbed|called|termed|named|coined|nicknamed|denoted(?:\s+as)?|referred\s+to\s+as|"
    r"known\s+as|(?:which|that)\s+we\s+(?:call|name|term|dub))\s+(?:as\s+)?"
)
NAMING = re.compile("(?=[DdCcTtNnKkRrWw])" + _NAMING, re.IGNORECASE)

#: "our proposed X", "the proposed X", "our new X": the name that follows is the paper's own.
_OUR_PROPOSED = r"\b(?:our|the)\s+(?:proposed|new|novel)\s+"
OUR_PROPOSED = re.compile("(?=[OoTt])" + _OUR_PROPOSED, re.IGNORECASE)
#: "Our White-Box Diffusion Transformer combines ...": a capitalised name owned by the authors.
_OUR_NAME = r"\b[Oo]ur\s+"
OUR_NAME = re.compile("(?=[Oo])" + _OUR_NAME + "(?=[A-Z])")
#: "a novel adversarial consistency training approach": a multi-word lowercase name before a
#: method head, introduced as new.
_NOVEL_PHRASE = (
    r"\b(?:a|an|our)\s+(?:simple\s+|new\s+|novel\s+|efficient\s+){1,3}"
    r"(?P<name>[a-z][a-z-]+(?:\s+[a-z][a-z-]+){1,3})\s+"
    r"(?P<head>approach|method|technique|algorithm|loss|optimizer|strategy|objective|mechanism|"
    r"procedure|scheme)\b"
)
NOVEL_PHRASE = re.compile(_NOVEL_PHRASE)

#: "datasets: 71M Leaner-Pretrain, 7M Leaner-Instruct, Leaner-Glue", "three new datasets,
#: namely, A ..., B ... and C ...": names listed after a cue.
_LIST_AFTER_CUE = (
    r"\b(?P<cue>datasets|benchmarks|corpora|models|methods|algorithms|techniques|"
    r"baselines)\s*(?::|,?\s+(?:such as|including|namely|like|e\.g\.|i\.e\.),?)\s+"
    r"(?P<items>[^.;:()]{3,200})"
)
LIST_AFTER_CUE = re.compile(_LIST_AFTER_CUE)
#: A capitalised name with a parameter count: "MindLLM-1.3B", "Qwen2.5-7B-Instruct".
_SHAPED = r"[A-Z][\w.+]*(?:-[\w.+]+)*?[-_ ]\d+(?:\.\d+)?[BT](?:[-_][\w.]+)*"
SHAPED = re.compile(r"(?=[A-Z])(?<![\w.+-])" + _SHAPED + r"(?![\w+-])")

#: For each rarely matching rule, an RE2 expression that matches an ASCII text wherever the
#: rule's expression does (the rule without its lookarounds). One RE2 pass over a text tells
#: which rules can match at all: Python's engine takes longer to scan a text for one rule than
#: RE2 takes for all of them, and most texts match none.
GATES = {
    "naming": _for_re2(_NAMING, ignorecase=True),
    "our_proposed": _for_re2(_OUR_PROPOSED, ignorecase=True),
    "our_name": _for_re2(_OUR_NAME) + "[A-Z]",  # its lookahead, as a character to match
    "novel_phrase": _for_re2(_NOVEL_PHRASE),
    "list_after_cue": _for_re2(_LIST_AFTER_CUE),
    "shaped": _for_re2(_SHAPED),
}
_GATE_NAMES = tuple(GATES)

#: The rule each gate stands for: where the gate does not match, the rule must not either.
GATED_RULES: dict[str, re.Pattern[str]] = {
    "naming": NAMING,
    "our_proposed": OUR_PROPOSED,
    "our_name": OUR_NAME,
    "novel_phrase": NOVEL_PHRASE,
    "list_after_cue": LIST_AFTER_CUE,
    "shaped": SHAPED,
}


def _gate_set() -> re2.Set:
    gate_set = re2.Set.SearchSet(re2.Options())
    for expression in GATES.values():
        gate_set.Add(expression.encode("ascii"))
    gate_set.Compile()
    return gate_set


_GATE_SET = _gate_set()


@functools.lru_cache(maxsize=4)
def open_gates(text: str) -> frozenset[str]:
    """The names of the :data:`GATES` rules that may match ``text``."""
    hits = _GATE_SET.Match(ascii_bytes(text))
    return frozenset(_GATE_NAMES[i] for i in hits) if hits else frozenset()
