"""One sentence as a template, and how its clauses, lists, subjects and objects are read.

Every occurrence of a mention becomes a placeholder (:data:`~.expressions.MARK` and a number),
so "FlashSpeech is built on LCM and applies ACT" reads ``E0 is built on E1 and applies E2``.
Items of lists, subjects and objects are the occurrences' numbers; :data:`PRIMARY` stands for
the paper's own artefact when a clause speaks for it ("we", "our model") without naming it.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence

from graph.extract.relations.expressions import (
    APPOSITIVE,
    CAUSATIVE,
    CLASS_MODIFIER,
    CLAUSES_AND_WE,
    COMPARING,
    CONJUNCTION,
    CONJUNCTIONS,
    DEFINED_AFTER,
    DETERMINERS,
    DOUBT,
    EXCLUDING_DETERMINERS,
    EXCLUDING_PHRASES,
    FILLER_PAIRS,
    FILLER_STOP,
    FILLER_WORD,
    FOLLOWER,
    GENERIC_BEFORE,
    ITEM_LEAD,
    ITEM_TAIL,
    KIND_THEN_NAME,
    MARK,
    NEGATION,
    NUMBERS,
    OPENING,
    PREPOSITIONS,
    RELATIVE,
    RESPECTIVELY,
    SEPARATOR,
    TOOL_AFTER,
    UNKNOWN_ITEM,
    WE_WORDS,
    WITH_AFTER,
    WITH_WITHIN,
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


# ------------------------------------------------------------------------------------- lists


def list_at(s: Sentence, pos: int) -> tuple[list[int], int]:
    """The coordinated list of occurrences starting exactly at ``pos``, and where it ends."""
    items: list[int] = []
    t = s.template
    while True:
        i = s.index_at(pos)
        if i is None:
            break
        items.append(i)
        pos += 2
        tail = ITEM_TAIL.match(t, pos)
        after = tail.end() if tail else pos
        sep = SEPARATOR.match(t, after)
        if sep is None or sep.end() == after:
            break
        lead = ITEM_LEAD.match(t, sep.end())
        nxt = lead.end() if lead else sep.end()
        if s.index_at(nxt) is None:
            # a capitalised item that is no name we know ("A, Radiomics, and B"): read on
            unknown = UNKNOWN_ITEM.match(t, nxt)
            sep = SEPARATOR.match(t, unknown.end()) if unknown else None
            if sep is None or sep.end() == unknown.end() or s.index_at(sep.end()) is None:
                break
            nxt = sep.end()
        if (
            s.index_at(nxt) is not None
            and not CONJUNCTION.search(sep.group())
            and _KIND_OF_TYPE[s.mention(s.index_at(nxt)).type]
            != _KIND_OF_TYPE[s.mention(items[0]).type]
        ):
            break  # "On D, X outperforms": a comma before a name of another kind ends the list
        pos = nxt
    return items, pos


#: Types a list may mix: models with methods, not with datasets or languages.
_KIND_OF_TYPE = {"Model": 0, "Method": 0, "Dataset": 1, "Language": 2}


def list_ending_at(s: Sentence, item: int, clause: int) -> tuple[list[int], int]:
    """The coordinated list whose last occurrence is ``item``, read backwards, and its start.

    Before a verb, only a list with a conjunction counts ("A, B and C outperform"): "Unlike A,
    B uses" and "A, a B model" are no lists. Items named as a contrast are left out.
    """
    t = s.template
    at = s.at
    end = at[item] + 2
    first = item
    # walk back while the occurrence before reads on, as a list, up to ``item``
    while first > 0 and at[first - 1] >= clause:
        items, list_end = list_at(s, at[first - 1])
        if list_end != end:
            break
        first -= 1
    if first != item and not CONJUNCTION.search(t, at[first], end):
        first = item
    items, _ = list_at(s, at[first])
    return [i for i in items if not s.excluded(i)], at[first]


def objects(
    s: Sentence, pos: int, max_filler: int = 6, joining: bool = False
) -> tuple[list[int], int, int]:
    """The list of occurrences after a cue, maybe after a few filler words; "the linear
    attention architecture TransNormer" is TransNormer.

    See :func:`_objects`.
    """
    items, start, end = _objects(s, pos, max_filler, joining)
    if len(items) == 1 and (kind := KIND_THEN_NAME.match(s.template, s.at[items[0]] + 2)):
        named, end = list_at(s, kind.end())
        if named:
            return named, start, end
    return items, start, end


def _objects(
    s: Sentence, pos: int, max_filler: int = 6, joining: bool = False
) -> tuple[list[int], int, int]:
    """The list of occurrences after a cue, maybe after a few filler words.

    With ``joining`` (after "combines"), "A with B" is a list too, and the filler may hold
    words before "with" ("combines split learning with federated learning").

    Returns the items, where the filler before them starts being read, and where they end.
    """
    t = s.template
    if joining:
        items, start, end = _objects(s, pos, max_filler)
        more = WITH_AFTER.match(t, end)
        if more is None and not items:
            more = WITH_WITHIN.match(t, pos)
        if more is not None:
            second, _, end2 = objects(s, more.end(), 2)
            if second:
                return items + second, start if items else more.end(), end2
        return items, start, end
    # Cheap refusals first: no name ahead, clause punctuation or too many words before it.
    nxt = bisect.bisect_left(s.at, pos)
    if nxt == len(s.at):
        return [], pos, pos
    gap = t[pos : s.at[nxt]]
    if not gap.strip(" (["):  # the list starts right here
        items, end = list_at(s, s.at[nxt])
        return items, s.at[nxt], end
    if ";" in gap or ":" in gap or gap.count(" ") > max_filler + 4:
        return [], pos, pos
    for _ in range(max_filler + 1):
        pairs = FILLER_PAIRS.match(t, pos)
        if pairs and pairs.end() > pos:
            pos = pairs.end()
        start = OPENING.match(t, pos).end()
        if s.index_at(start) is not None:
            items, end = list_at(s, start)
            return items, start, end
        word = FILLER_WORD.match(t, pos)
        if word is None:
            break
        w = word.group(1).lower()
        if w in FILLER_STOP or w.rstrip(".,") in FILLER_STOP:
            break
        pos = word.end()
    return [], pos, pos


# ---------------------------------------------------------------------------------- subjects


def subjects(
    s: Sentence, cue_start: int, policy: str, allowed: frozenset[str]
) -> tuple[list[int], int]:
    """Who the clause before a cue is about, and where the words to check for negation start.

    See :class:`~.expressions.Cue` for the policies. Returns the items (occurrence numbers or
    :data:`PRIMARY`) and the start of the window to check.
    """
    t = s.template
    clause = s.clause_start(cue_start)
    primary_ok = s.primary is not None and s.primary.type in allowed
    if s.in_title:
        # A title states relations only about the artefact its "X: ..." prefix names.
        if s.primary_in_title_prefix and primary_ok:
            return [PRIMARY], clause
        return [], clause
    before = s.indices_between(clause, cue_start)
    if policy.startswith("main") and (causative := CAUSATIVE.search(t, clause, cue_start)):
        # "X allows Y to achieve ...": Y is who achieves, if it is named
        caused = s.index_at(causative.end())
        if caused is not None and s.mention(caused).type in allowed:
            return [caused], causative.end()
        return [], clause
    if policy.startswith("main") or policy == "primary":
        whole = s.clause_end(cue_start)
        named = [i for i in s.indices_between(clause, whole) if s.is_primary(i)]
        if not named and policy.startswith("main"):
            # "we tune the FooLM-16B model, achieving ...": a proposed name in the clause is
            # who it speaks of, before the paper's artefact in general
            named = [
                i
                for i in s.indices_between(clause, whole)
                if s.mention(i).proposed and s.subject_ok(i, allowed)
            ][:1]
        # "our instruction-tuned FooNet-16B achieves ...": the name "our" stands before is the
        # subject, before the paper's artefact in general.
        own = s.ours(clause, whole, allowed)
        if own is not None and not named:
            return [own], clause
        if primary_ok and (s.we_between(clause, whole) or named):
            return [named[0] if named else PRIMARY], clause
        first_ok = next((i for i in before if s.subject_ok(i, allowed)), None)
        if first_ok is not None and policy != "primary":
            items, first = list_ending_at(s, first_ok, clause)
            items = [i for i in items if s.mention(i).type in allowed]
            proposed = [i for i in items if s.mention(i).proposed]
            return (proposed or items), first
        return [], clause
    # A list after a colon elaborates its clause: "we combine three techniques: X, and Y".
    we_from = s.clause_start(clause - 1) if clause and t[clause - 1] == ":" else clause
    we = s.we_between(we_from, cue_start)
    nearest = next((i for i in reversed(before) if s.subject_ok(i, allowed)), None)
    if nearest is not None:
        nearest_end = s.at[nearest] + 2
        if we and we[-1] > nearest_end and primary_ok and policy != "explicit":
            return [PRIMARY], nearest_end
        items, first = list_ending_at(s, nearest, clause)
        items = [i for i in items if s.mention(i).type in allowed]
        # "X and Y, the first BERT models pre-trained on ...": the appositive's anchor.
        anchor = _appositive_anchor(s, first, clause, allowed)
        if anchor:
            return anchor
        gap = len(t[nearest_end:cue_start].split())
        # "X, a benchmark dataset for L": the appositive describes X
        described = policy == "adjacent" and APPOSITIVE.fullmatch(t, nearest_end, cue_start)
        if (policy == "adjacent" and gap > 2 and not described) or (
            policy == "explicit" and gap > 4
        ):
            return [], clause
        if gap <= 12 or RELATIVE.match(t, nearest_end):
            return items, nearest_end
        return [], clause
    if we and policy == "near":
        if primary_ok:
            return [PRIMARY], max(we[-1], clause)
        own = s.ours(clause, s.clause_end(cue_start), allowed)
        if own is not None:
            return [own], max(we[-1], clause)
    return [], clause


def _appositive_anchor(
    s: Sentence, first: int, clause: int, allowed: frozenset[str]
) -> tuple[list[int], int] | None:
    """The list an appositive holding the occurrence at ``first`` describes, if any."""
    before = s.indices_between(clause, first)
    if not before:
        return None
    anchor = before[-1]
    anchor_end = s.at[anchor] + 2
    gap = APPOSITIVE.match(s.template, anchor_end, first)
    if gap is None or gap.end() != first:
        return None
    items, _ = list_ending_at(s, anchor, clause)
    items = [i for i in items if s.mention(i).type in allowed]
    return (items, anchor_end) if items else None


def pairs(heads: Sequence[int], tails: Sequence[int], pairwise: bool) -> list[tuple[int, int]]:
    """Subject-object pairs: item by item for two lists of one length when ``pairwise``
    ("A and B ... on C and D, respectively"), else every subject with every object."""
    if pairwise and len(heads) == len(tails) > 1:
        return list(zip(heads, tails, strict=True))
    return [(h, o) for h in heads for o in tails]
