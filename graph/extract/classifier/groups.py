"""The names of one paper: its findings grouped by name, acronym definition and concept."""

from __future__ import annotations

from dataclasses import dataclass

from graph.extract.entities import Findings
from graph.iri import name_key


@dataclass
class NameGroup:
    """The findings of one name in one paper (several surface forms when an acronym joins them).

    Attributes:
        spans: Indexes into ``Findings.spans``, in text order.
        keys: The name keys of the surface forms.
    """

    spans: list[int]
    keys: set[str]


def name_groups(findings: Findings) -> list[NameGroup]:
    """Group a paper's findings by name key, joining the two sides of acronym definitions."""
    text = findings.text
    parent = list(range(len(findings.spans)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_of: dict[str, int] = {}
    keys = []
    for i, s in enumerate(findings.spans):
        key = name_key(s.canonical or text[s.start : s.end])
        keys.append(key)
        if key in first_of:
            parent[root(i)] = root(first_of[key])
        else:
            first_of[key] = i
    for long, short in findings.pairs:
        parent[root(long)] = root(short)
    # Two labels of one vocabulary concept are one name ("conditional random fields", "CRF").
    first_of_concept: dict[str, int] = {}
    for i, s in enumerate(findings.spans):
        if s.concept:
            if s.concept in first_of_concept:
                parent[root(i)] = root(first_of_concept[s.concept])
            else:
                first_of_concept[s.concept] = i
    # An elided version ("3.1" in "Llama 3, 3.1") is decided with the name it continues.
    for i, s in enumerate(findings.spans):
        if s.rule == "elided":
            j = i - 1
            while j > 0 and findings.spans[j].rule == "elided":
                j -= 1
            parent[root(i)] = root(max(j, 0))
    groups: dict[int, NameGroup] = {}
    for i in range(len(findings.spans)):
        group = groups.setdefault(root(i), NameGroup([], set()))
        group.spans.append(i)
        group.keys.add(keys[i])
    return sorted(groups.values(), key=lambda g: g.spans[0])
