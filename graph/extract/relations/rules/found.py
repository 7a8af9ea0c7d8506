"""What a rule returns (:class:`Found`), the relation a tail's type gives (:func:`typed`), and the
relation tables the rules share.
"""

from __future__ import annotations

from typing import NamedTuple

from graph.extract.relations.sentence import Sentence
from graph.records import RELATION_SIGNATURES, Mention

_MODEL_OR_METHOD = frozenset({"Model", "Method"})
_OUTPERFORMS = {"Model": "outperforms", "Method": "outperforms"}
_BASED_ON = {"Model": "basedOn", "Method": "basedOn"}
_USES = {"Model": "uses", "Method": "uses"}
_EVALUATED = {"Dataset": "evaluatedOn"}


class Found(NamedTuple):
    """A relation one rule read."""

    type: str
    head: Mention
    tail: Mention
    rule: str
    confidence: float


def typed(relation_of: dict[str, str], head: Mention, tail: Mention) -> str | None:
    """The relation the tail's type gives, if the head's and tail's types fit its signature."""
    relation = relation_of.get(tail.type)
    if relation is None:
        return None
    domain, scope = RELATION_SIGNATURES[relation]
    return relation if head.type in domain and tail.type in scope else None


def _found(
    s: Sentence,
    relation_of: dict[str, str],
    item_pairs: list[tuple[int, int]],
    rule: str,
    confidence: float,
) -> list[Found]:
    out = []
    for h, o in item_pairs:
        head, tail = s.mention(h), s.mention(o)
        if head is not tail and (rel := typed(relation_of, head, tail)) is not None:
            out.append(Found(rel, head, tail, rule, confidence))
    return out


_APPOSITION_WORDS = (
    *(", a ", ", an ", ", the ", ", our ", ", one ", ", two "),
    *(" - a ", " - an ", " -- a ", " -- an ", " - the ", " -- the "),
)
