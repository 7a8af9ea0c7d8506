"""Coordinated lists of a template (:func:`list_at`, :func:`list_ending_at`) and the objects
after a cue (:func:`objects`).
"""

from __future__ import annotations

import bisect

from graph.extract.relations.expressions import (
    CONJUNCTION,
    FILLER_PAIRS,
    FILLER_STOP,
    FILLER_WORD,
    ITEM_LEAD,
    ITEM_TAIL,
    KIND_THEN_NAME,
    OPENING,
    SEPARATOR,
    UNKNOWN_ITEM,
    WITH_AFTER,
    WITH_WITHIN,
)
from graph.extract.relations.sentence.template import Sentence

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
