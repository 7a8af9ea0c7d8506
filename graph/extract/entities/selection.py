"""Choosing among overlapping findings and settling their types."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from graph.extract.entities.findings import _PRIORITY, _Span
from graph.iri import name_key


def _without_other_senses(
    text: str,
    spans: list[_Span],
    senses: Sequence[tuple[int, int]],
    keys: set[str] | None = None,
) -> tuple[list[_Span], set[str]]:
    """``spans`` without those overlapping an other-sense phrase ("SOAP" in "SOAP notes") or
    named like one that did (the text's other "SOAP"s), and the name keys dropped."""
    keys = set(keys or ())
    for s in spans:
        if any(a < s.end and s.start < b for a, b in senses):
            keys.add(name_key(s.canonical or text[s.start : s.end]))
    kept = [
        s
        for s in spans
        if name_key(s.canonical or text[s.start : s.end]) not in keys
        and not any(a < s.end and s.start < b for a, b in senses)
    ]
    return kept, keys


def _with_nested(chosen: list[_Span], nested: list[_Span]) -> list[_Span]:
    """Add the languages named inside a chosen name ("English" in "English Web Treebank"),
    unless a chosen span overlaps one without holding it whole."""
    out = list(chosen)
    for s in nested:
        if any(
            c.start < s.end
            and s.start < c.end
            and not (c.start <= s.start and s.end <= c.end and c.end - c.start > s.end - s.start)
            for c in chosen
        ):
            continue
        out.append(s)
    return sorted(out, key=lambda s: (s.start, -s.end))


def _select(spans: list[_Span], taken: Sequence[tuple[int, int]] = ()) -> list[_Span]:
    """Keep non-overlapping spans: longer first, then by rule priority.

    Spans overlapping one of ``taken`` (sorted (start, end) pairs) are left out.
    """
    ordered = sorted(spans, key=lambda s: (-(s.end - s.start), -_PRIORITY.get(s.rule, 0), s.start))
    taken = list(taken)
    chosen: list[_Span] = []
    winner_at: dict[tuple[int, int], _Span] = {}
    for s in ordered:
        if s.end <= s.start:
            continue
        i = bisect.bisect_left(taken, (s.start, s.end))
        before = taken[i - 1] if i else None
        after = taken[i] if i < len(taken) else None
        if (before and before[1] > s.start) or (after and after[0] < s.end):
            # A rule that saw the same words as proposed ("FastSpeech: ..." in the title of the
            # paper that introduced it) hands its flag to the finding that won the span.
            winner = winner_at.get((s.start, s.end))
            if winner is not None and s.proposed:
                winner.proposed = True
            continue
        taken.insert(i, (s.start, s.end))
        chosen.append(s)
        winner_at[(s.start, s.end)] = s
    chosen.sort(key=lambda s: s.start)
    return chosen


def _settle_types(spans: list[_Span], text: str) -> list[_Span]:
    """Give untyped names the type another finding of the same name has, or Method if proposed.

    Names that stay untyped are no longer kept (but stay in the list, for the classifier).
    """
    typed: dict[str, str] = {}
    for s in sorted(spans, key=lambda s: -_PRIORITY.get(s.rule, 0)):
        if s.type:
            typed.setdefault(name_key(text[s.start : s.end]), s.type)
    for s in spans:
        if s.type is None:
            s.type = typed.get(name_key(text[s.start : s.end])) or (
                "Method" if s.proposed else None
            )
            if s.type is None:
                s.kept, s.note = False, s.note or "untyped"
    return spans
