"""What resolution gives: entities, paper -> entity links, statements between entities,
and the :class:`MentionKey` a build resolves instead of whole mentions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.records import Mention, Relation

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
