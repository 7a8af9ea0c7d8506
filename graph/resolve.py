"""Resolve: turn every paper's mentions into canonical entities, one per real thing.

Mentions are grouped by (type, name key) across the whole corpus, so "LLaMA2", "Llama-2" and
"LLaMA 2" are one entity; vocabulary concepts bring their own aliases; acronym definitions
("Low-Rank Adaptation (LoRA)") join a long form and its short form; versioned names link to their
family ("Llama-2-70B" -> Llama 2 -> LLaMA). The result is independent of input order.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from graph.iri import entity_iri, name_key
from graph.ontology import Concept, Vocabulary
from graph.records import ENTITY_TYPES, RELATION_SIGNATURES, Mention, PaperRecord, Relation
from graph.versions import Signature, combine, compatible, version_signature

#: Paper -> entity link property (local name in kg:) per entity type.
LINK_PREDICATES = {
    "Model": "mentionsModel",
    "Dataset": "usesDataset",
    "Method": "usesMethod",
    "Language": "mentionsLanguage",
}


@dataclass(slots=True)
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


@dataclass(slots=True)
class Link:
    """A paper's link to an entity, with the mentions (one per surface form) that support it."""

    paper_key: str
    entity_iri: str
    predicate: str
    mentions: list[Mention]


@dataclass(frozen=True, slots=True)
class Statement:
    """A relation one paper states between two entities, with its best evidence.

    One per (paper, subject, predicate, object): when several sentences of the paper state it,
    ``evidence`` is the most confident of them (then the earliest).
    """

    paper_key: str
    subject: str
    predicate: str
    object: str
    evidence: Relation


@dataclass
class Resolution:
    """Every entity, every paper -> entity link and every statement of a corpus."""

    entities: dict[str, Entity]
    links: list[Link]
    statements: list[Statement] = field(default_factory=list)

    def links_of(self, paper_key: str) -> list[Link]:
        """The links of one paper."""
        return [link for link in self.links if link.paper_key == paper_key]


@dataclass(frozen=True, slots=True)
class MentionKey:
    """What resolution reads of a :class:`Mention`, and its place in the paper's mentions.

    A build resolves these instead of whole mentions (no sentence, no evidence), so the main
    process holds only them for every paper; the links' mentions are then these, and
    ``index`` finds each one's whole :class:`Mention` again.
    """

    type: str
    text: str
    field: str
    start: int
    concept: str | None
    canonical: str | None
    family: str | None
    proposed: bool
    index: int


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
    concept_nodes = _concept_nodes(vocabulary)
    records = _one_type_per_name(records, concept_nodes)

    # 1. Acronym definitions join their two forms. A short form defined with different long
    #    forms in different papers ("VT") joins nothing; each paper's use of it goes to its own
    #    long form.
    #    Two names with different version numbers are never joined ("CIFAR-10 (CIFAR-100)",
    #    or "Residual Network" defined as ResNet-50 in one paper and ResNet-101 in another).
    long_forms: dict[tuple[str, str], set[str]] = {}
    paper_alias: dict[str, dict[tuple[str, str], str]] = {}
    spelled: dict[tuple[str, str], str] = {}  # (type, name key) -> its smallest spelling
    for r in records:
        if not r.extraction.aliases:
            continue
        pairs = [
            (name_key(a.short), name_key(a.long), a)
            for a in r.extraction.aliases
            if compatible(version_signature(a.short), version_signature(a.long))
        ]
        types: dict[str, set[str]] = {k: set() for pair in pairs for k in pair[:2]}
        for m in r.extraction.mentions:
            if (ts := types.get(name_key(m.canonical or m.text))) is not None:
                ts.add(m.type)
        for short, long, alias in pairs:
            for t in types[short] & types[long]:
                long_forms.setdefault((t, short), set()).add(long)
                paper_alias.setdefault(r.key, {})[(t, short)] = long
                for key, text in ((short, alias.short), (long, alias.long)):
                    spelled[(t, key)] = min(spelled.get((t, key), text), text)
    releases = _Releases(uf, vocabulary)
    ambiguous = {k for k, longs in long_forms.items() if len(longs) > 1}
    for (t, short), longs in sorted(long_forms.items()):  # sorted: refusals never hang on order
        if (t, short) not in ambiguous:
            (long,) = longs
            releases.join(
                (_key_node(t, short, concept_nodes), spelled[(t, short)]),
                (_key_node(t, long, concept_nodes), spelled[(t, long)]),
            )
    # Per paper: the node of each ambiguous short form it defines -> the node of its long form.
    redirects: dict[str, dict[tuple, tuple]] = {}
    for paper_key, alias in paper_alias.items():
        for (t, short), long in alias.items():
            if (t, short) in ambiguous:
                target = _key_node(t, long, concept_nodes)
                if releases.accepts((target, spelled[(t, long)]), spelled[(t, short)]):
                    redirects.setdefault(paper_key, {})[("n", t, short)] = target

    # 2. One pass over every mention: its node (its concept, else (type, name key)); novel names
    #    equal to a concept's label join the concept. That union never moves the root of any
    #    other node (a root is the smallest node of its set, and concept nodes sort before name
    #    nodes), so every root is final once the acronyms are joined and can be taken here.
    #    Work is done once per distinct surface form (concept, type, text), which is numbered;
    #    per mention only the counts and the paper's groups change.
    roots: list[tuple] = []  # by root number, numbered as met
    root_number: dict[tuple, int] = {}
    members: dict[tuple, set[tuple]] = {}  # per root, the nodes met, in the order met
    node_root: dict[tuple, int] = {}  # node -> root number
    surface_number: dict[tuple, int] = {}  # (concept, type, text) -> surface number
    redirected_number: dict[tuple[tuple, str], int] = {}  # (node, text) -> surface number
    surface_text: list[str] = []  # by surface number
    surface_root: list[int] = []
    surface_count: list[int] = []

    def add_surface(node: tuple, text: str) -> int:
        """Number a new surface form of ``node``, and the node's root if new."""
        rn = node_root.get(node)
        if rn is None:
            if node[0] == "n" and (concept_node := concept_nodes.get(node)) is not None:
                uf.union(node, concept_node)
            root = uf.find(node)
            rn = root_number.get(root)
            if rn is None:
                rn = root_number[root] = len(roots)
                roots.append(root)
            node_root[node] = rn
            members.setdefault(root, set()).add(node)
        surface_text.append(text)
        surface_root.append(rn)
        surface_count.append(0)
        return len(surface_text) - 1

    # Paper key -> the indexes in ``groups`` of its mentions' groups (one per root), in the order
    # opened: a range, as a paper's groups are opened together (unless its key comes twice).
    paper_groups: dict[str, Sequence[int]] = {}
    groups: list[list[Mention]] = []  # in the order they were opened
    group_root: list[int] = []
    family_groups: set[int] = set()  # groups holding a mention with a family
    proposed_groups: set[int] = set()  # groups holding a mention the paper proposes
    # Per paper with relations: (type, surface form) of each mention -> its root number.
    surface_roots: dict[str, dict[tuple[str, str], int]] = {}
    for r in records:
        redirect = redirects.get(r.key)
        opened = paper_groups.get(r.key, ())
        by_root = {group_root[g]: g for g in opened}  # root number -> its group in this paper
        first = len(groups)
        roots_of = surface_roots.setdefault(r.key, {}) if r.extraction.relations else None
        # The names its relations join: the only ones _statements looks up.
        related = {n for rel in r.extraction.relations for n in (rel.head, rel.tail)}
        for m in r.extraction.mentions:
            name = m.canonical or m.text  # an elided version ("3.1") goes by its full name
            if (
                redirect is not None
                and not m.concept
                and (target := redirect.get(("n", m.type, name_key(name)))) is not None
            ):
                s = redirected_number.get((target, name))
                if s is None:
                    s = redirected_number[(target, name)] = add_surface(target, name)
            else:
                key = (m.concept, m.type, name)
                s = surface_number.get(key)
                if s is None:
                    node = ("c", m.concept) if m.concept else ("n", m.type, name_key(name))
                    s = surface_number[key] = add_surface(node, name)
            surface_count[s] += 1
            rn = surface_root[s]
            if roots_of is not None and m.text in related:
                roots_of[(m.type, m.text)] = rn
                roots_of.setdefault(("", m.text), rn)  # the name, whatever its type became
            g = by_root.get(rn)
            if g is None:
                g = by_root[rn] = len(groups)
                groups.append([m])
                group_root.append(rn)
            else:
                groups[g].append(m)
            if m.family:
                family_groups.add(g)
            if m.proposed:
                proposed_groups.add(g)
        new = range(first, len(groups))
        paper_groups[r.key] = [*opened, *new] if opened else new

    surfaces: dict[tuple, Counter[str]] = {root: Counter() for root in roots}
    for text, rn, count in zip(surface_text, surface_root, surface_count, strict=True):
        surfaces[roots[rn]][display_name(text)] += count
    families: dict[tuple, set[str]] = {}
    for g in sorted(family_groups):  # in the order the groups were opened
        for m in groups[g]:
            if m.family:
                families.setdefault(roots[group_root[g]], set()).add(m.family)

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
        # A root is the smallest node of its set and concept nodes sort before name nodes, so the
        # set holds a concept exactly when its root is one (the smallest such concept).
        concept = vocabulary.concepts[root[1]] if root[0] == "c" else None
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
    iri_of = [root_iri[root] for root in roots]
    # What only the entities needed goes before the links are made (a million papers' worth).
    for table in (surfaces, members, node_root, surface_number, redirected_number):
        table.clear()
    for column in (surface_text, surface_root, surface_count):
        column.clear()
    for paper_key in sorted(paper_groups):
        by_iri: dict[str, list[Mention]] = {}
        proposed_iris: set[str] = set()
        for g in paper_groups.pop(paper_key):  # each paper's table goes once its links are made
            iri, ms = iri_of[group_root[g]], groups[g]
            # Roots minting one IRI share its link: their mentions in order of first appearance.
            by_iri[iri] = by_iri[iri] + ms if iri in by_iri else ms
            if g in proposed_groups:
                proposed_iris.add(iri)
        for iri in sorted(by_iri) if len(by_iri) > 1 else by_iri:
            ms = by_iri[iri]
            entity = entities[iri]
            entity.papers += 1
            if len(ms) > 1:
                ms.sort(key=_mention_order)  # in place: built here, held by nothing else
            predicate = "proposes" if iri in proposed_iris else LINK_PREDICATES[entity.type]
            links.append(Link(paper_key, iri, predicate, ms))
    _drop_shared_labels(entities)
    statements = _statements(records, surface_roots, iri_of, entities)
    return Resolution(entities=dict(sorted(entities.items())), links=links, statements=statements)


def _statements(
    records: list[PaperRecord],
    surface_roots: dict[str, dict[tuple[str, str], int]],
    iri_of: list[str],
    entities: dict[str, Entity],
) -> list[Statement]:
    """Each paper's relations as statements between entity IRIs, one per (s, p, o).

    A relation whose two ends became one entity (an acronym and its long form) or whose ends'
    types do not fit the relation's signature is dropped.
    """
    statements: list[Statement] = []
    with_relations = [r for r in records if surface_roots.get(r.key)]
    for r in sorted(with_relations, key=lambda r: r.key):
        roots_of = surface_roots[r.key]
        best: dict[tuple[str, str, str], Relation] = {}
        for rel in r.extraction.relations:
            head = roots_of.get((rel.head_type, rel.head), roots_of.get(("", rel.head)))
            tail = roots_of.get((rel.tail_type, rel.tail), roots_of.get(("", rel.tail)))
            if head is None or tail is None:
                continue
            s, o = iri_of[head], iri_of[tail]
            domain, scope = RELATION_SIGNATURES.get(rel.type, ((), ()))
            if s == o or entities[s].type not in domain or entities[o].type not in scope:
                continue
            key = (s, rel.type, o)
            kept = best.get(key)
            if kept is None or _evidence_order(rel) > _evidence_order(kept):
                best[key] = rel
        for (s, p, o), rel in sorted(best.items()):
            statements.append(Statement(r.key, s, p, o, rel))
    return statements


def _evidence_order(rel: Relation) -> tuple[float, bool, int]:
    """Which of two sentences stating one relation is its evidence: the larger."""
    return (rel.confidence, rel.field == "title", -rel.start)


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


def _mention_order(m: Mention) -> tuple[bool, int, str]:
    """Sort key of a link's mentions: title first, then by position and text."""
    return (m.field != "title", m.start, m.text)


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


__all__ = [
    "ENTITY_TYPES",
    "LINK_PREDICATES",
    "Entity",
    "Link",
    "MentionKey",
    "Resolution",
    "Statement",
    "resolve",
]
