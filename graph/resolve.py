"""Resolve: turn every paper's mentions into canonical entities, one per real thing.

Mentions are grouped by (type, name key) across the whole corpus, so "LLaMA2", "Llama-2" and
"LLaMA 2" are one entity; vocabulary concepts bring their own aliases; acronym definitions
("Low-Rank Adaptation (LoRA)") join a long form and its short form; versioned names link to their
family ("Llama-2-70B" -> Llama 2 -> LLaMA). The result is independent of input order.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from graph.iri import entity_iri, name_key
from graph.ontology import Concept, Vocabulary
from graph.records import ENTITY_TYPES, Mention, PaperRecord

#: Paper -> entity link property (local name in kg:) per entity type.
LINK_PREDICATES = {
    "Model": "mentionsModel",
    "Dataset": "usesDataset",
    "Method": "usesMethod",
    "Language": "mentionsLanguage",
}


@dataclass
class Entity:
    """A canonical entity: one node of the graph.

    Attributes:
        iri: Its IRI, minted from type and canonical name.
        type: One of Model, Dataset, Method, Language.
        label: The canonical name.
        alt_labels: Every other surface form seen (sorted).
        broader: IRIs of the families it is a variant of.
        same_as: Equivalent IRIs elsewhere (Wikidata, lexvo.org).
        codes: Identifiers such as ``{"iso639_3": "mlt"}``.
        group: Whether it is a language group.
        papers: How many papers link to it.
    """

    iri: str
    type: str
    label: str
    alt_labels: list[str] = field(default_factory=list)
    broader: list[str] = field(default_factory=list)
    same_as: list[str] = field(default_factory=list)
    codes: dict[str, str] = field(default_factory=dict)
    group: bool = False
    papers: int = 0


@dataclass
class Link:
    """A paper's link to an entity, with the mentions (one per surface form) that support it."""

    paper_key: str
    entity_iri: str
    predicate: str
    mentions: list[Mention]


@dataclass
class Resolution:
    """Every entity and every paper -> entity link of a corpus."""

    entities: dict[str, Entity]
    links: list[Link]

    def links_of(self, paper_key: str) -> list[Link]:
        """The links of one paper."""
        return [link for link in self.links if link.paper_key == paper_key]


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[tuple, tuple] = {}

    def find(self, x: tuple) -> tuple:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: tuple, b: tuple) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller node becomes the root, so the outcome does not depend on call order.
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo


def _node(m: Mention) -> tuple:
    """The starting node of a mention: its concept, else (type, name key)."""
    if m.concept:
        return ("c", m.concept)
    return ("n", m.type, name_key(m.text))


def resolve(records: Iterable[PaperRecord], vocabulary: Vocabulary) -> Resolution:
    """Resolve the mentions of every paper into canonical entities and links.

    Args:
        records: Distinct papers with their extractions.
        vocabulary: The vocabularies the mentions' concepts come from.

    Returns:
        The entities (by IRI) and the links, sorted for deterministic output.
    """
    records = [r for r in records if r.extraction is not None]
    uf = _UnionFind()
    concept_by_key: dict[tuple[str, str], str] = {}
    for concept in vocabulary.concepts.values():
        for label in concept.labels:
            concept_by_key.setdefault((concept.type, name_key(label)), concept.iri)

    # 1. Every mention's node; novel names equal to a concept's label join the concept.
    for r in records:
        for m in r.extraction.mentions:
            node = _node(m)
            uf.find(node)
            if node[0] == "n" and (iri := concept_by_key.get((m.type, node[2]))):
                uf.union(node, ("c", iri))

    # 2. Acronym definitions join their two forms. A short form defined with different long
    #    forms in different papers ("VT") joins nothing; each paper's use of it goes to its own
    #    long form.
    long_forms: dict[tuple[str, str], set[str]] = defaultdict(set)
    paper_alias: dict[str, dict[tuple[str, str], str]] = defaultdict(dict)
    for r in records:
        types = defaultdict(set)
        for m in r.extraction.mentions:
            types[name_key(m.text)].add(m.type)
        for a in r.extraction.aliases:
            short, long = name_key(a.short), name_key(a.long)
            for t in types.get(short, set()) & types.get(long, set()):
                long_forms[(t, short)].add(long)
                paper_alias[r.key][(t, short)] = long
    ambiguous = {k for k, longs in long_forms.items() if len(longs) > 1}
    for (t, short), longs in long_forms.items():
        if (t, short) not in ambiguous:
            uf.union(
                _key_node(t, short, concept_by_key), _key_node(t, next(iter(longs)), concept_by_key)
            )

    def node_of(paper_key: str, m: Mention) -> tuple:
        node = _node(m)
        if node[0] == "n" and (m.type, node[2]) in ambiguous:
            long = paper_alias[paper_key].get((m.type, node[2]))
            if long is not None:
                return _key_node(m.type, long, concept_by_key)
        return node

    # 3. Group surface forms and papers per root.
    surfaces: dict[tuple, Counter[str]] = defaultdict(Counter)
    members: dict[tuple, set[tuple]] = defaultdict(set)
    paper_mentions: dict[tuple[str, tuple], list[Mention]] = defaultdict(list)
    for r in records:
        for m in r.extraction.mentions:
            node = node_of(r.key, m)
            root = uf.find(node)
            members[root].add(node)
            surfaces[root][m.text] += 1
            paper_mentions[(r.key, root)].append(m)
    families: dict[tuple, set[str]] = defaultdict(set)
    for (_, root), ms in paper_mentions.items():
        for m in ms:
            if m.family:
                families[root].add(m.family)

    entities: dict[str, Entity] = {}
    root_iri: dict[tuple, str] = {}
    concept_iri: dict[str, str] = {}

    def concept_entity(iri: str) -> str:
        """The entity IRI of a vocabulary concept, adding it (and its ancestors) if needed."""
        if iri in concept_iri:
            return concept_iri[iri]
        root = uf.find(("c", iri))
        if root in root_iri:
            concept_iri[iri] = root_iri[root]
            return root_iri[root]
        concept = vocabulary.concepts[iri]
        entity = _entity_for(concept, Counter())
        entities.setdefault(entity.iri, entity)
        root_iri[root] = concept_iri[iri] = entity.iri
        entity.broader = sorted(
            {concept_entity(b) for b in concept.broader if b in vocabulary.concepts} - {entity.iri}
        )
        return entity.iri

    for root in sorted(surfaces, key=repr):
        concept = next(
            (vocabulary.concepts[n[1]] for n in sorted(members[root] | {root}) if n[0] == "c"),
            None,
        )
        if concept is not None:
            entity = _entity_for(concept, surfaces[root])
        else:
            entity_type = root[1]
            label = _canonical(surfaces[root])
            entity = Entity(
                iri=entity_iri(entity_type, label),
                type=entity_type,
                label=label,
                alt_labels=sorted(set(surfaces[root]) - {label}),
            )
        if entity.iri in entities:  # two roots minting one IRI: keep one node, pool the names
            kept = entities[entity.iri]
            kept.alt_labels = sorted((set(kept.alt_labels) | set(entity.alt_labels)) - {kept.label})
            entity = kept
        entities[entity.iri] = entity
        root_iri[root] = entity.iri
        if concept is not None:
            concept_iri[concept.iri] = entity.iri

    for root, fams in families.items():
        entity = entities[root_iri[root]]
        entity.broader = sorted(
            set(entity.broader) | {concept_entity(f) for f in fams} - {entity.iri}
        )
    for root in list(root_iri):
        for node in members.get(root, set()) | {root}:
            if node[0] == "c":
                concept = vocabulary.concepts[node[1]]
                entity = entities[root_iri[root]]
                ups = {concept_entity(b) for b in concept.broader if b in vocabulary.concepts}
                entity.broader = sorted(set(entity.broader) | ups - {entity.iri})

    links: list[Link] = []
    by_pair: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for (paper_key, root), ms in paper_mentions.items():
        by_pair[(paper_key, root_iri[root])].extend(ms)
    for (paper_key, iri), ms in sorted(by_pair.items()):
        entity = entities[iri]
        entity.papers += 1
        proposed = any(m.proposed for m in ms)
        predicate = "proposes" if proposed else LINK_PREDICATES[entity.type]
        ms = sorted(ms, key=lambda m: (m.field != "title", m.start, m.text))
        links.append(Link(paper_key, iri, predicate, ms))
    _drop_shared_labels(entities)
    return Resolution(entities=dict(sorted(entities.items())), links=links)


def _key_node(entity_type: str, key: str, concept_by_key: dict[tuple[str, str], str]) -> tuple:
    iri = concept_by_key.get((entity_type, key))
    return ("c", iri) if iri else ("n", entity_type, key)


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


__all__ = ["ENTITY_TYPES", "LINK_PREDICATES", "Entity", "Link", "Resolution", "resolve"]
