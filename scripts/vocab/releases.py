"""One release per concept: labels of one vocabulary concept never carry two version numbers.

"CIFAR-10" and "CIFAR-100", "ResNet-50" and "ResNet-101", "MovieLens-1M" and "MovieLens-20M" are
different entities; a concept that had both as labels would merge them in every graph built
with it. The builders in this folder run :func:`version_conflicts` over every scheme (except the
stoplist) and stop on a conflict. Concepts are duck-typed (``pref``, ``flags``, ``labels()``).
The signature of a label is :func:`graph.versions.version_signature`, which the resolver uses
too, so a vocabulary and a graph follow one rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from graph.versions import different_releases, version_signature


class _Concept(Protocol):
    pref: str
    flags: set[str]

    def labels(self) -> list[str]: ...


def version_conflicts(concepts: Iterable[_Concept]) -> list[str]:
    """Concepts whose labels carry different version numbers or sizes ("CIFAR-10" beside
    "CIFAR-100", "MovieLens-1M" beside "MovieLens-20M"): two releases are two concepts, linked to
    their family by skos:broader, never one concept with both as labels. A concept flagged
    ``samever`` (kg:sameRelease in the Turtle) is a true set of spellings of one release."""
    errors = []
    for c in concepts:
        if "samever" in c.flags:
            continue
        for what, labels in different_releases(c.labels()):
            labs = ", ".join(repr(v) for v in labels)
            errors.append(
                f"{c.pref!r}: labels with different {what} ({labs}) name different releases: "
                "make each its own concept (skos:broader the family), or flag samever"
            )
    return errors


__all__ = ["version_conflicts", "version_signature"]
