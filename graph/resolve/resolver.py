""":func:`resolve`: every paper's mentions into entities and links, its relations into
statements.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from graph.iri import entity_iri, name_key
from graph.ontology import Vocabulary
from graph.records import RELATION_SIGNATURES, Mention, PaperRecord, Relation
from graph.resolve.joins import _concept_nodes, _key_node, _one_type_per_name, _Releases, _UnionFind
from graph.resolve.labels import _canonical, _drop_shared_labels, _entity_for, display_name
from graph.resolve.results import LINK_PREDICATES, Entity, Link, Resolution, Statement
from graph.versions import compatible, version_signature


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


def _mention_order(m: Mention) -> tuple[bool, int, str]:
    """Sort key of a link's mentions: title first, then by position and text."""
    return (m.field != "title", m.start, m.text)
