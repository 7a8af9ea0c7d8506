"""Which names are one entity: disjoint sets whose root does not depend on input order,
one type per novel name across the corpus, and acronym joins that keep releases apart.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace

from graph.iri import name_key
from graph.ontology import Vocabulary
from graph.records import Mention, PaperRecord
from graph.versions import Signature, combine, compatible, version_signature


class _UnionFind:
    """Disjoint sets of nodes whose root is always the smallest node of its set.

    Because the root is the minimum, the partition and every root are the same whatever order the
    unions come in.
    """

    def __init__(self) -> None:
        self.parent: dict[tuple, tuple] = {}

    def find(self, x: tuple) -> tuple:
        parent = self.parent
        root = parent.setdefault(x, x)
        if root == x:
            return root
        while (up := parent[root]) != root:
            root = up
        while (up := parent[x]) != root:
            parent[x] = root
            x = up
        return root

    def union(self, a: tuple, b: tuple) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller node becomes the root, so the outcome does not depend on call order.
            lo, hi = (ra, rb) if ra < rb else (rb, ra)
            self.parent[hi] = lo


def _concept_nodes(vocabulary: Vocabulary) -> dict[tuple, tuple]:
    """Map the name node ``("n", type, key)`` of every concept label to ``("c", concept IRI)``.

    The first concept (in vocabulary order) with a label of that key wins.
    """
    table: dict[tuple, tuple] = {}
    for concept in vocabulary.concepts.values():
        node = ("c", concept.iri)
        for label in concept.labels:
            table.setdefault(("n", concept.type, name_key(label)), node)
    return table


_TYPE_ORDER = {"Model": 0, "Dataset": 1, "Method": 2}


def _one_type_per_name(
    records: list[PaperRecord], concept_nodes: dict[tuple, tuple]
) -> list[PaperRecord]:
    """Give every novel name one type across the corpus: one entity per real thing.

    A name typed Model in one paper and Method in another ("SSD") takes the type of the
    vocabulary concept with that label, else the type most papers give it (ties: Model,
    Dataset, Method). Languages and vocabulary matches keep their type.
    """
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for r in records:
        for m in r.extraction.mentions:
            if m.type in _TYPE_ORDER:
                votes[name_key(m.canonical or m.text)][m.type] += 1
    retype: dict[str, str] = {}
    for key, counts in votes.items():
        if len(counts) < 2:
            continue
        known = [t for t in _TYPE_ORDER if ("n", t, key) in concept_nodes]
        retype[key] = known[0] if known else min(counts, key=lambda t: (-counts[t], _TYPE_ORDER[t]))
    if not retype:
        return records
    out = []
    for r in records:
        mentions = r.extraction.mentions
        changed = tuple(
            replace(m, type=t)
            if not m.concept
            and m.type in _TYPE_ORDER
            and (t := retype.get(name_key(m.canonical or m.text), m.type)) != m.type
            else m
            for m in mentions
        )
        if changed != mentions:
            r = replace(r, extraction=replace(r.extraction, mentions=_dedupe(changed)))
        out.append(r)
    return out


def _dedupe(mentions: tuple[Mention, ...]) -> tuple[Mention, ...]:
    """One mention per (type, name) after retyping: the earliest."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for m in mentions:
        k = (m.type, name_key(m.canonical or m.text))
        if k not in seen:
            seen.add(k)
            kept.append(m)
    return tuple(kept)


class _Releases:
    """Acronym joins that keep releases apart: the version numbers and sizes each set of joined
    names carries (its :func:`graph.versions.version_signature`, combined), by root.

    A join is refused when the two sets carry different numbers, so a long form defined for
    "ResNet-50" in one paper and for "ResNet-101" in another joins only one of them.
    """

    def __init__(self, uf: _UnionFind, vocabulary: Vocabulary) -> None:
        self.uf = uf
        self.vocabulary = vocabulary
        self.signature: dict[tuple, Signature] = {}  # by root

    def _of(self, node: tuple, text: str) -> Signature:
        root = self.uf.find(node)
        if root in self.signature:
            return self.signature[root]
        if node[0] == "c":  # a concept is the release its preferred label names
            return version_signature(self.vocabulary.concepts[node[1]].pref_label)
        return version_signature(text)

    def accepts(self, node: tuple[tuple, str], text: str) -> bool:
        """Whether a name spelled ``text`` may join the set of a (node, spelling)."""
        return compatible(self._of(*node), version_signature(text))

    def join(self, a: tuple[tuple, str], b: tuple[tuple, str]) -> bool:
        """Join two (node, spelling) sets unless their version numbers differ."""
        sa, sb = self._of(*a), self._of(*b)
        if not compatible(sa, sb):
            return False
        self.uf.union(a[0], b[0])
        self.signature[self.uf.find(a[0])] = combine(sa, sb)
        return True


def _key_node(entity_type: str, key: str, concept_nodes: dict[tuple, tuple]) -> tuple:
    """The node of a name key: the concept with a label of that key, else the name itself."""
    node = ("n", entity_type, key)
    return concept_nodes.get(node, node)
