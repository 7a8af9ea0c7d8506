"""What a clause is about (:func:`subjects`), and the head-tail pairs of two lists
(:func:`pairs`).
"""

from __future__ import annotations

from collections.abc import Sequence

from graph.extract.relations.expressions import APPOSITIVE, CAUSATIVE, RELATIVE
from graph.extract.relations.sentence.lists import list_ending_at
from graph.extract.relations.sentence.template import PRIMARY, Sentence

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
