"""An entity's names: display names without markup, the canonical name of a novel entity,
the entity of a vocabulary concept, alternative labels two entities share dropped.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict

from graph.iri import entity_iri, name_key
from graph.ontology import Concept
from graph.resolve.results import Entity

_LATEX = re.compile(r"\$|\^\{?|(?<=_)\{|\}")


@functools.lru_cache(maxsize=1 << 16)
def display_name(surface: str) -> str:
    """A surface form as a label: without LaTeX markup or a sentence's final period.

    The evidence keeps the text as written; labels are for people and queries.

    >>> display_name("M$^3$ViT"), display_name("λ$-ECLIPSE"), display_name("GPT-4.")
    ('M3ViT', 'λ-ECLIPSE', 'GPT-4')
    """
    name = _LATEX.sub("", surface) if "$" in surface or "{" in surface else surface
    while len(name) > 2 and name[-1] in ".,;:" and name[-2].isalnum():
        name = name[:-1]
    return " ".join(name.split()) or surface


def _canonical(surfaces: Counter[str]) -> str:
    """The canonical name of a novel entity: its most used surface form.

    Ties go to a one-word name of 3+ characters with inner capitals ("EfficientQAT" over
    "Efficient Quantization-Aware Training"), then to the longer form ("vocabulary trimming" over
    "VT"), then to the lexicographically smallest, so the choice never depends on input order.
    """

    def score(s: str) -> tuple:
        name_like = len(s) >= 3 and " " not in s and any(c.isupper() for c in s[1:])
        return (-surfaces[s], not name_like, -len(s), s)

    return min(surfaces, key=score)


def _entity_for(concept: Concept, seen: Counter[str]) -> Entity:
    same_as = list(concept.same_as)
    codes = dict(concept.codes)
    if concept.type == "Language":
        for scheme in ("iso639_3", "iso639_5"):
            if scheme in codes:
                same_as.append(f"http://lexvo.org/id/{scheme.replace('_', '-')}/{codes[scheme]}")
    return Entity(
        iri=entity_iri(concept.type, concept.pref_label),
        type=concept.type,
        label=concept.pref_label,
        alt_labels=sorted(set(seen) - {concept.pref_label}),
        same_as=sorted(set(same_as) | set(concept.exact_match)),
        codes=codes,
        group=concept.group,
    )


def _drop_shared_labels(entities: dict[str, Entity]) -> None:
    """Remove alternative labels two entities of one type share (ambiguous short forms)."""
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for e in entities.values():
        for label in (e.label, *e.alt_labels):
            owners[(e.type, name_key(label))].add(e.iri)
    for e in entities.values():
        e.alt_labels = [
            a
            for a in e.alt_labels
            if len(owners[(e.type, name_key(a))]) == 1 or name_key(a) == name_key(e.label)
        ]
