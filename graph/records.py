"""Plain records that flow between the stages: ingest -> extract -> resolve -> build.

They are small, immutable and picklable, so the same stages run in one process, in a process
pool or on a Dask cluster. They have slots, not a ``__dict__``: a million-paper build holds
millions of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The four entity types every stage knows, in a fixed order (used for stable output).
ENTITY_TYPES: tuple[str, ...] = ("Model", "Dataset", "Method", "Language")

#: The six relation types between entities of one paper (local names in kg:), in a fixed order.
RELATION_TYPES: tuple[str, ...] = (
    "basedOn",
    "trainedOn",
    "evaluatedOn",
    "outperforms",
    "uses",
    "forLanguage",
)
_MODEL_OR_METHOD = frozenset({"Model", "Method"})
#: Per relation type: the entity types its subject and its object may have (kg.ttl's domains
#: and ranges).
RELATION_SIGNATURES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "basedOn": (_MODEL_OR_METHOD, _MODEL_OR_METHOD),
    "trainedOn": (_MODEL_OR_METHOD, frozenset({"Dataset"})),
    "evaluatedOn": (_MODEL_OR_METHOD, frozenset({"Dataset"})),
    "outperforms": (_MODEL_OR_METHOD, _MODEL_OR_METHOD),
    "uses": (_MODEL_OR_METHOD, _MODEL_OR_METHOD),
    "forLanguage": (frozenset({"Model", "Dataset", "Method"}), frozenset({"Language"})),
}


@dataclass(frozen=True, order=True, slots=True)
class SourceRef:
    """Where a paper listing was read: a file (or ``-`` for stdin) and a 1-based line number."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class Paper:
    """One paper as read from one input listing.

    Attributes:
        title: The title, cleaned by ingest: no control characters or lone surrogates,
            whitespace collapsed.
        abstract: The abstract, whitespace-normalised (empty for a title-only record).
        source: Where this listing was read.
        arxiv_id: The arXiv identifier without version (``2402.16445``), when known.
        listing_date: An ISO date (``2024-03-14``) or a month-day (``--03-14``) the paper was
            listed on, when known.
        date: A publication or update date, when known: ISO ``YYYY-MM-DD``, or only the
            month (``YYYY-MM``) or the year (``YYYY``) where the source gives no more.
        url: A landing page URL, when known.
        authors: Author names, in order.
        categories: Subject categories (arXiv's ``cs.CL`` ...), when known.
    """

    title: str
    abstract: str
    source: SourceRef
    arxiv_id: str | None = None
    listing_date: str | None = None
    date: str | None = None
    url: str | None = None
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Mention:
    """A typed name found in a paper's title or abstract, with its evidence.

    Offsets are character offsets into the paper's ``title`` or ``abstract`` (``field``).

    Attributes:
        type: One of :data:`ENTITY_TYPES`.
        text: The surface form exactly as written.
        field: ``"title"`` or ``"abstract"``.
        start: Start offset of ``text`` in the field.
        end: End offset of ``text`` in the field.
        sentence: The sentence holding the mention.
        rule: The rule or component that produced it (``vocab``, ``acronym``, ``proposal`` ...).
        confidence: How sure the rule is, in [0, 1].
        proposed: Whether the paper introduces this entity.
        concept: IRI of the vocabulary concept the mention matched, if any.
        canonical: The canonical name the rule suggests (e.g. the family form of a variant).
        family: IRI of a vocabulary concept this mention is a variant of (``Llama-2-70B`` ->
            Llama 2), if any.
        occurrences: How often the surface form occurs in the title and abstract.
    """

    type: str
    text: str
    field: str
    start: int
    end: int
    sentence: str
    rule: str
    confidence: float
    proposed: bool = False
    concept: str | None = None
    canonical: str | None = None
    family: str | None = None
    occurrences: int = 1


@dataclass(frozen=True, slots=True)
class AliasPair:
    """Two surface forms the text itself declares equal: ``long form (SHORT)``."""

    short: str
    long: str


@dataclass(frozen=True, slots=True)
class Relation:
    """A relation one sentence of a paper states between two of the paper's mentions.

    Head and tail name mentions of the same paper by their type and surface form (a
    :class:`Mention`'s ``type`` and ``text``), so resolution maps them to the entities those
    mentions became. The evidence sentence is kept as offsets into the paper's title or abstract
    (``field``), which the paper record holds anyway.

    Attributes:
        type: One of :data:`RELATION_TYPES`.
        head: The subject mention's surface form.
        head_type: The subject mention's entity type.
        tail: The object mention's surface form.
        tail_type: The object mention's entity type.
        field: ``"title"`` or ``"abstract"``: where the sentence is.
        start: Start offset of the sentence in the field.
        end: End offset of the sentence in the field.
        rule: The cue family that stated it (``cue-outperforms``, ``apposition`` ...).
        confidence: How sure the rule is, in [0, 1].
    """

    type: str
    head: str
    head_type: str
    tail: str
    tail_type: str
    field: str
    start: int
    end: int
    rule: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Extraction:
    """What the extractor found in one paper."""

    mentions: tuple[Mention, ...]
    aliases: tuple[AliasPair, ...] = ()
    relations: tuple[Relation, ...] = ()


@dataclass(slots=True)
class PaperRecord:
    """A distinct paper after merging every listing of it, with its extraction.

    Attributes:
        key: The local part of the paper's IRI (stable; from the arXiv id or the title).
        paper: The chosen listing (deterministic, whatever the input order).
        sources: Every listing's location, sorted.
        listing_dates: Every listing date, sorted.
        extraction: The extractor's output for ``paper``.
    """

    key: str
    paper: Paper
    sources: list[SourceRef] = field(default_factory=list)
    listing_dates: list[str] = field(default_factory=list)
    extraction: Extraction | None = None
