"""One sentence as a template (:class:`Sentence`): its placeholders, clauses and the mentions they
stand for.
"""

from __future__ import annotations

import bisect
import re
import unicodedata

from graph.extract.relations.expressions import (
    CLASS_MODIFIER,
    CLAUSES_AND_WE,
    COMPARING,
    CONJUNCTIONS,
    DEFINED_AFTER,
    DETERMINERS,
    DOUBT,
    EXCLUDING_DETERMINERS,
    EXCLUDING_PHRASES,
    FOLLOWER,
    GENERIC_BEFORE,
    MARK,
    NEGATION,
    NUMBERS,
    PREPOSITIONS,
    RESPECTIVELY,
    TOOL_AFTER,
    WE_WORDS,
)
from graph.extract.relations.occurrences import Occurrence
from graph.records import Mention

#: A subject that is the paper's artefact itself, not one of the sentence's occurrences.
PRIMARY = -1

#: ASCII stand-ins, one character for one, so the expressions read ASCII (see :func:`template`).
_STAND_INS = str.maketrans(
    {
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
        **dict.fromkeys("\u201c\u201d\u201e\u00ab\u00bb", '"'),
        **dict.fromkeys("\u2018\u2019\u201a", "'"),
        "\u00d7": "x",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)
#: What a template may not hold as it is: DEL (the marker) and everything beyond ASCII.
_NOT_PLAIN = re.compile("[^\x00-\x7e]")


def _stand_in(m: re.Match) -> str:
    c = m.group()
    if c.isspace():
        return " "
    if c.isdigit():
        return "0"
    if c.isalpha() or unicodedata.category(c).startswith("M"):
        return "a"
    return "#"


def _ascii(piece: str) -> str:
    """``piece`` with every character outside printable ASCII replaced by one ASCII character
    (DEL, the marker, included)."""
    if piece.isascii() and "\x7f" not in piece:
        return piece
    return _NOT_PLAIN.sub(_stand_in, piece.translate(_STAND_INS))


class Sentence:
    """A sentence's template, its occurrences, and where its clauses and "we"s are.

    Attributes:
        template: The sentence, each occurrence replaced by a placeholder, in ASCII otherwise.
        occurrences: The occurrences, numbered as in the template.
        at: Where each occurrence's placeholder starts in the template.
        in_title: Whether the sentence is the title.
        primary: The paper's own artefact, if it names one.
        primary_in_title_prefix: Whether the title starts with "<primary>: ...".
    """

    __slots__ = (
        "_break_ends",
        "_break_starts",
        "_checked",
        "_excluded",
        "_ours",
        "_respectively",
        "_we",
        "at",
        "data",
        "in_title",
        "occurrences",
        "primary",
        "primary_in_title_prefix",
        "taken",
        "template",
    )
    _break_starts: list[int]
    _break_ends: list[int]
    _we: list[tuple[int, int]]

    def __init__(
        self,
        text: str,
        start: int,
        end: int,
        occurrences: list[Occurrence],
        in_title: bool,
        primary: Mention | None,
        primary_in_title_prefix: bool,
        ours: frozenset[int] = frozenset(),
    ) -> None:
        parts: list[str] = []
        at: list[int] = []
        size = 0
        pos = start
        for i, o in enumerate(occurrences):
            piece = _ascii(text[pos : o.start])
            parts.append(piece)
            size += len(piece)
            at.append(size)
            parts.append(MARK + NUMBERS[i])
            size += 2
            pos = o.end
        parts.append(_ascii(text[pos:end]))
        self.template = "".join(parts)
        #: The template as Latin-1 bytes, for RE2 (offsets are the same).
        self.data = self.template.encode("latin-1")
        self.occurrences = occurrences
        self.at = at
        self.in_title = in_title
        self.primary = primary
        self.primary_in_title_prefix = primary_in_title_prefix
        self._ours = ours or (frozenset([id(primary)]) if primary is not None else frozenset())
        self._excluded: dict[int, str | None] = {}
        self._checked: dict[tuple[int, object], bool] = {}
        self._respectively: bool | None = None
        #: The objects cues took so far, with the subjects that took them.
        self.taken: dict[int, list[int]] = {}

    @property
    def respectively(self) -> bool:
        """Whether the sentence pairs its lists item by item ("..., respectively")."""
        if self._respectively is None:
            self._respectively = RESPECTIVELY.search(self.template) is not None
        return self._respectively

    def __getattr__(self, name: str) -> list:
        # Clause breaks and "we"s are found the first time a rule asks: most sentences have
        # no cue that needs them.
        if name in ("_break_starts", "_break_ends", "_we"):
            data = self.data
            starts, ends, we = [], [], []
            for m in CLAUSES_AND_WE.finditer(data):
                start, end = m.span()
                text = data[start:end].lower()
                if text[:1].isalpha() and text not in CONJUNCTIONS:
                    we.append((start, end))  # "we", "our", "this model" ...
                    continue
                if text.endswith(b"but") and data.startswith(b" also", end):
                    continue  # "not only X but also Y" is one clause
                if text.strip() in (b"-", b"--") and data.startswith((b"a ", b"an ", b"the "), end):
                    continue  # "X -- a benchmark for L": an appositive, not a new clause
                if text.startswith(b",") and b"and" in text:
                    # ", and we ...": the new clause starts at its subject
                    pronoun = text.rsplit(None, 1)[-1]
                    end -= len(pronoun)
                    if pronoun in WE_WORDS:
                        we.append((end, end + len(pronoun)))
                starts.append(start)
                ends.append(end)
            self._break_starts, self._break_ends, self._we = starts, ends, we
            return getattr(self, name)
        raise AttributeError(name)

    # ------------------------------------------------------------------ positions

    def index_at(self, pos: int) -> int | None:
        """The number of the occurrence whose placeholder starts at ``pos``, if any."""
        i = bisect.bisect_left(self.at, pos)
        return i if i < len(self.at) and self.at[i] == pos else None

    def indices_between(self, start: int, end: int) -> range:
        """The numbers of the occurrences whose placeholders lie in ``[start, end)``."""
        return range(bisect.bisect_left(self.at, start), bisect.bisect_left(self.at, end - 1))

    def mention(self, item: int) -> Mention:
        """The mention of an item (an occurrence number, or :data:`PRIMARY`)."""
        return self.primary if item == PRIMARY else self.occurrences[item].mention

    def clause_start(self, pos: int) -> int:
        """Where the clause holding ``pos`` starts (after the last clause break before it)."""
        i = bisect.bisect_right(self._break_ends, pos)
        return self._break_ends[i - 1] if i else 0

    def clause_end(self, pos: int) -> int:
        """Where the clause holding ``pos`` ends (at the next clause break)."""
        i = bisect.bisect_left(self._break_starts, pos)
        return self._break_starts[i] if i < len(self._break_starts) else len(self.template)

    def we_between(self, start: int, end: int) -> list[int]:
        """Where the "we"s, "our"s and "it"s that lie in ``[start, end)`` end."""
        return [e for s, e in self._we if s >= start and e <= end]

    # ------------------------------------------------------------------ what an item is

    def ours(self, start: int, end: int, allowed: frozenset[str]) -> int | None:
        """The first occurrence in ``[start, end)`` the text calls its own: "our CEMA", "our
        proposed X"."""
        for i in self.indices_between(start, end):
            words = self.words_before(self.at[i], 2)
            if (
                self.mention(i).type in allowed
                and words
                and (words[-1] == "our" or (len(words) == 2 and words[0] == "our"))
            ):
                return i
        return None

    def is_primary(self, item: int) -> bool:
        """Whether an item is the paper's own artefact (by name)."""
        return self.primary is not None and (
            item == PRIMARY or id(self.mention(item)) in self._ours
        )

    def words_before(self, pos: int, count: int = 4) -> list[str]:
        """The last ``count`` words before ``pos``, lowercased, if a space ends them."""
        t = self.template
        if pos == 0 or not t[pos - 1].isspace():
            return []
        return t[max(0, pos - 48) : pos].lower().split()[-count:]

    def contrast(self, item: int) -> str | None:
        """The phrase naming an occurrence as a contrast or inspiration ("unlike", "inspired
        by", "than"), if one stands right before it."""
        if item in self._excluded:
            return self._excluded[item]
        words = self.words_before(self.at[item], 6)
        while words and words[-1] in EXCLUDING_DETERMINERS:
            words.pop()
        phrase = None
        for n in (1, 2, 3, 4):
            if len(words) >= n:
                candidate = " ".join(words[-n:]).lstrip("([{\"'")
                if candidate in EXCLUDING_PHRASES:
                    phrase = candidate
                    break
        self._excluded[item] = phrase
        return phrase

    def excluded(self, item: int, comparing: bool = False) -> bool:
        """Whether an occurrence is named as a contrast or inspiration ("unlike X"). With
        ``comparing`` (the object of "outperforms", "better than"), the words of a comparison
        ("than", "compared with") are no contrast: they name what is beaten."""
        phrase = self.contrast(item)
        return phrase is not None and not (comparing and phrase in COMPARING)

    def inside_longer_name(self, item: int) -> bool:
        """Whether an occurrence ends a longer name the text defines ("Label Supervised LLaMA
        (LS-LLaMA)")."""
        pos, t = self.at[item], self.template
        if pos == 0 or not DEFINED_AFTER.match(t, pos + 2) or t[pos - 1] not in " -":
            return False
        word = t[max(0, pos - 30) : pos - 1].rsplit(None, 1)[-1:]
        w = word[0].rsplit("-", 1)[-1] if word else ""
        return len(w) > 1 and w.isalpha() and w[0].isupper() and w[1:].islower()

    def names_a_kind(self, item: int) -> bool:
        """Whether a method occurrence names a kind of models ("Transformer language models")."""
        return self.mention(item).type == "Method" and bool(
            CLASS_MODIFIER.match(self.template, self.at[item] + 2)
        )

    def subject_ok(self, item: int, allowed: frozenset[str]) -> bool:
        """Whether an occurrence may be a clause's subject."""
        if self.mention(item).type not in allowed:
            return False
        key = (item, "subject")
        if key not in self._checked:
            self._checked[key] = self._subject_ok(item)
        return self._checked[key]

    def _subject_ok(self, item: int) -> bool:
        if self.excluded(item):
            return False
        words = self.words_before(self.at[item], 2)
        if words and words[-1] in DETERMINERS:
            words.pop()
        if words and words[-1] in PREPOSITIONS:
            return False
        return not (self.inside_longer_name(item) or self.names_a_kind(item))

    def object_ok(self, item: int, relation_of: dict[str, str]) -> bool:
        """Whether an occurrence may be the object of a cue whose objects give ``relation_of``."""
        if self.mention(item).type not in relation_of:
            return False
        comparing = "outperforms" in relation_of.values()
        key = (item, comparing)
        if key not in self._checked:
            self._checked[key] = self._object_ok(item, comparing)
        return self._checked[key]

    def _object_ok(self, item: int, comparing: bool) -> bool:
        if self.excluded(item, comparing):
            return False
        t, pos = self.template, self.at[item]
        if self.mention(item).type == "Dataset" and TOOL_AFTER.match(t, pos + 2):
            return False  # "using the TinyAgent framework"
        follower = FOLLOWER.match(t, pos + 2)
        if follower is not None:
            if follower.group(1):
                return False  # "data augmentation baselines"
            before = self.words_before(pos, 1)
            if before and before[0] in GENERIC_BEFORE:
                return False  # "standard MMT benchmarks"
        return not (self.names_a_kind(item) or self.inside_longer_name(item))

    def uncertain(self, window: int, clause: int, end: int) -> bool:
        """Whether the words from ``window`` to ``end`` deny, or those from the clause's start
        ``clause`` (or ``window``, if earlier) to ``end`` hedge."""
        pos = min(clause, window)
        while pos < end and (m := DOUBT.search(self.data, pos, end)) is not None:
            start, pos = m.span()
            if not NEGATION.fullmatch(self.template, start, pos):
                return True  # a hedge
            if start >= window and not self.data.startswith(b" only", pos):
                return True  # a negation ("not only ... but also" is none)
        return False
