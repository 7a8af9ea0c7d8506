"""Enumerations: the items of "VGG, ResNet, CARN and StackedUnets"."""

from __future__ import annotations

import re

#: An enumeration: three or more short items separated by commas, the last after "and"/"or".
_ITEM = r"(?!(?:and|or|such|as|e\.g)\b)[\w.+/-]+(?: (?!(?:and|or)\b)[\w.+/-]+)?"
ENUMERATION = re.compile(
    rf"(?:(?<=[\s(:])|^)(?P<items>(?:{_ITEM}, ){{2,}}(?:(?:and|or) )?{_ITEM}"
    rf"(?: (?:and|or) {_ITEM})?)"
)

#: Part of every enumeration: its second item between two commas.
_ENUMERATION_HINT = re.compile(r", [\w.+/-]+(?: [\w.+/-]+)?, ")


def enumerations(text: str) -> list[list[tuple[int, int]]]:
    """The items of every enumeration in ``text`` ("VGG, ResNet, CARN and StackedUnets").

    Returns:
        One list of (start, end) item spans per enumeration.
    """
    found: list[list[tuple[int, int]]] = []
    if not _ENUMERATION_HINT.search(text):
        return found  # no ", X, " anywhere: no two commas between items
    for m in ENUMERATION.finditer(text):
        base = m.start("items")
        items = []
        for item in re.finditer(
            r"[^,]+?(?=,| and | or |$)|(?<= and )[^,]+|(?<= or )[^,]+", m["items"]
        ):
            words = item.group().strip()
            words = re.sub(r"^(?:and|or) ", "", words)
            words = re.sub(r"^[a-z]+ (?=\S)", "", words)  # "on CIFAR-10" -> "CIFAR-10"
            if not words:
                continue
            start = base + item.start() + item.group().index(words)
            items.append((start, start + len(words)))
        found.append(items)
    return found
