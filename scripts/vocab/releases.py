"""One release per concept: labels of one vocabulary concept never carry two version numbers.

"CIFAR-10" and "CIFAR-100", "ResNet-50" and "ResNet-101", "MovieLens-1M" and "MovieLens-20M" are
different entities; a concept that had both as labels would merge them in every graph built
with it. The builders in this folder run :func:`version_conflicts` over every scheme (except the
stoplist) and stop on a conflict. Concepts are duck-typed (``pref``, ``flags``, ``labels()``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol


class _Concept(Protocol):
    pref: str
    flags: set[str]

    def labels(self) -> list[str]: ...


_SIZE_TOKEN = re.compile(r"(?<![\w.])\d+(?:\.\d+)?[BMKTbmkt](?![a-zA-Z])")
_NUMBER = re.compile(r"\d+")


def version_signature(label: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The numbers a label carries: (version numbers, sizes).

    Years count by their last two digits ("WMT 2014" = "WMT14") and trailing zero parts are
    dropped ("FlowNet 2.0" = "FlowNet2"), so spellings of one release agree; sizes ("-7B", "1M")
    are kept apart because a name may add its only size ("Nemotron-4 340B" = "Nemotron-4").
    """
    sizes = tuple(m.group().lower() for m in _SIZE_TOKEN.finditer(label))
    rest = _SIZE_TOKEN.sub(" ", label)
    nums = [n[2:] if len(n) == 4 and n[:2] in ("19", "20") else n for n in _NUMBER.findall(rest)]
    while len(nums) > 1 and set(nums[-1]) == {"0"}:
        nums.pop()
    # Word order does not make another release: "Task 4 of SemEval-2017" = "SemEval-2017 Task 4".
    return tuple(sorted(nums)), tuple(sorted(sizes))


def version_conflicts(concepts: Iterable[_Concept]) -> list[str]:
    """Concepts whose labels carry different version numbers or sizes ("CIFAR-10" beside
    "CIFAR-100", "MovieLens-1M" beside "MovieLens-20M"): two releases are two concepts, linked to
    their family by skos:broader, never one concept with both as labels."""
    errors = []
    for c in concepts:
        if "samever" in c.flags:
            continue
        seen: dict[tuple[str, ...], str] = {}
        sizes: dict[tuple[str, ...], str] = {}
        for lab in c.labels():
            nums, size = version_signature(lab)
            if nums:
                seen.setdefault(nums, lab)
            if size:
                sizes.setdefault(size, lab)
        for table, what in ((seen, "version numbers"), (sizes, "sizes")):
            if len(table) > 1:
                labs = ", ".join(repr(v) for v in table.values())
                errors.append(
                    f"{c.pref!r}: labels with different {what} ({labs}) name different releases: "
                    "make each its own concept (skos:broader the family), or flag samever"
                )
    return errors
