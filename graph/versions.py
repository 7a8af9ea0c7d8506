"""Version numbers and sizes in names: one release per entity.

"CIFAR-10" and "CIFAR-100", "ResNet-50" and "ResNet-101", "MovieLens-1M" and "MovieLens-20M"
name different things; an entity (or a vocabulary concept) holding both as labels would merge
them. The vocabulary builders (``scripts/vocab/releases.py``) and the resolver
(:mod:`graph.resolve`) compare names with the same :func:`version_signature`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

#: A size: "7B", "-1.3B", "1M", "20m" (a parameter count or a number of items).
_SIZE_TOKEN = re.compile(r"(?<![\w.])\d+(?:\.\d+)?[BMKTbmkt](?![a-zA-Z])")
#: A dimensionality ("2D MOT 2015", "AFLW2000-3D"): it describes the data, it is no release.
_DIMENSION = re.compile(r"(?<![\w.])[1-4][dD](?![a-zA-Z0-9])")
_NUMBER = re.compile(r"\d+")

#: A label's (version numbers, sizes).
Signature = tuple[tuple[str, ...], tuple[str, ...]]


@functools.lru_cache(maxsize=1 << 16)
def version_signature(label: str) -> Signature:
    """The numbers a label carries: (version numbers, sizes), each sorted.

    Years count by their last two digits ("WMT 2014" = "WMT14"), leading zeros and trailing zero
    parts are dropped ("PEMS04" = "PeMSD4", "FlowNet 2.0" = "FlowNet2"), so spellings of one
    release agree; sizes ("-7B", "1M") are kept apart because a name may add its only size
    ("Nemotron-4 340B" = "Nemotron-4"); a dimensionality ("3D") is neither.

    >>> version_signature("WMT 2014") == version_signature("WMT14")
    True
    >>> version_signature("CIFAR-10") == version_signature("CIFAR-100")
    False
    >>> version_signature("Llama-2-70B")
    (('2',), ('70b',))
    """
    sizes = tuple(sorted(m.group().lower() for m in _SIZE_TOKEN.finditer(label)))
    rest = _DIMENSION.sub(" ", _SIZE_TOKEN.sub(" ", label))
    nums = [n[2:] if len(n) == 4 and n[:2] in ("19", "20") else n for n in _NUMBER.findall(rest)]
    nums = [n.lstrip("0") or "0" for n in nums]  # "PEMS04" = "PeMSD4"
    while len(nums) > 1 and set(nums[-1]) == {"0"}:
        nums.pop()
    # Word order does not make another release: "Task 4 of SemEval-2017" = "SemEval-2017 Task 4".
    return tuple(sorted(nums)), sizes


def compatible(a: Signature, b: Signature) -> bool:
    """Whether two signatures can be one release: the version numbers agree wherever both
    names carry some, and so do the sizes. A name without numbers agrees with any."""
    return all(not x or not y or x == y for x, y in zip(a, b, strict=True))


def versions_differ(a: str, b: str) -> bool:
    """Whether two names carry different version numbers or sizes ("CIFAR-10", "CIFAR-100").

    >>> versions_differ("CIFAR-10", "CIFAR-100"), versions_differ("WMT 2014", "WMT'14")
    (True, False)
    >>> versions_differ("ResNet", "ResNet-50")
    False
    """
    return not compatible(version_signature(a), version_signature(b))


def combine(a: Signature, b: Signature) -> Signature:
    """The signature of a group holding names of two compatible signatures."""
    return (a[0] or b[0], a[1] or b[1])


def different_releases(labels: Iterable[str]) -> list[tuple[str, list[str]]]:
    """The labels that name different releases, as (``"version numbers"`` or ``"sizes"``,
    the first label of each distinct signature); empty when they can all be one release."""
    seen: dict[tuple[str, ...], str] = {}
    sizes: dict[tuple[str, ...], str] = {}
    for label in labels:
        nums, size = version_signature(label)
        if nums:
            seen.setdefault(nums, label)
        if size:
            sizes.setdefault(size, label)
    return [
        (what, list(table.values()))
        for table, what in ((seen, "version numbers"), (sizes, "sizes"))
        if len(table) > 1
    ]


__all__ = [
    "Signature",
    "combine",
    "compatible",
    "different_releases",
    "version_signature",
    "versions_differ",
]
