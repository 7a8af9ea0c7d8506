"""Build: records -> RDF triples (streamed as N-Triples lines), an rdflib Graph, a NetworkX graph.

The triples follow the RDF contract in the README: papers, entities, one direct link per
(paper, entity) pair, one ``kg:evidence`` literal on the paper per surface form (a
``kg:evidenceRecord``, see :func:`mention_record`), and for the relations between entities the
plain triple plus a ``kg:Statement`` per (paper, subject, predicate, object) with one
``kg:evidence`` literal of its own (:func:`statement_record`). They are produced as N-Triples
lines so the store can bulk-load them without building Python term objects.
"""

from __future__ import annotations

import itertools
import json
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import NamedTuple

import networkx as nx
import rdflib

from graph.iri import paper_iri, statement_iri
from graph.namespaces import BASE
from graph.ontology import PREFIXES
from graph.records import RELATION_TYPES, Mention, PaperRecord
from graph.resolve import Link, Resolution, Statement

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = RDF + "type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"

#: N-Triples escapes: the mandatory ones, other control characters as \uXXXX, and lone
#: surrogates (which no RDF serialisation may carry) as the replacement character.
_ESCAPES = str.maketrans(
    {
        **{c: f"\\u{c:04X}" for c in [*range(0x20), 0x7F]},
        **{c: "\ufffd" for c in range(0xD800, 0xE000)},
        ord("\\"): "\\\\",
        ord('"'): '\\"',
        ord("\n"): "\\n",
        ord("\r"): "\\r",
        ord("\t"): "\\t",
        ord("\b"): "\\b",
        ord("\f"): "\\f",
    }
)
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\\ud800-\udfff]')


def iri(value: str) -> str:
    """An IRI as an N-Triples term."""
    return f"<{value}>"


def literal(value: str | int | float, datatype: str | None = None) -> str:
    """A literal as an N-Triples term; ints become xsd:integer, floats xsd:decimal."""
    return _NT.literal(value, datatype)


def _string(value: str) -> str:
    if _NEEDS_ESCAPE.search(value):
        value = value.translate(_ESCAPES)
    return f'"{value}"'


def _decimal(value: float) -> str:
    """The canonical xsd:decimal form, to two places: 0.8, 0.95, 1.0."""
    text = f"{value:.2f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


#: A local name that needs no escaping in a Turtle prefixed name (a subset of PN_LOCAL).
_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")


class Terms(ABC):
    """How terms are written in one RDF syntax; :meth:`literal` picks the typed writer."""

    @abstractmethod
    def iri(self, value: str, *, cache: bool = True) -> str:
        """An IRI."""

    @abstractmethod
    def integer(self, value: int) -> str:
        """An xsd:integer."""

    @abstractmethod
    def decimal(self, value: float) -> str:
        """An xsd:decimal, to two places."""

    def string(self, value: str) -> str:
        """A plain string literal (the same in N-Triples and Turtle)."""
        return _string(value)

    def literal(self, value: str | int | float, datatype: str | None = None) -> str:
        """A literal: ints as xsd:integer, floats as xsd:decimal, strings maybe typed."""
        if isinstance(value, bool):
            raise TypeError("booleans are not written as literals here")
        if isinstance(value, int):
            return self.integer(value)
        if isinstance(value, float):
            return self.decimal(value)
        text = self.string(value)
        return f"{text}^^{self.iri(datatype)}" if datatype else text


class TurtleTerms(Terms):
    """Turtle forms of terms: prefixed names where a prefix fits, bare numbers."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        if not all(ns.endswith(("/", "#")) for ns in prefixes.values()):
            raise ValueError("every namespace must end in / or #")
        self._prefix_of = {ns: p for p, ns in prefixes.items()}
        self._cache: dict[str, str] = {}

    def header(self) -> str:
        """The ``@prefix`` lines."""
        ordered = sorted(self._prefix_of.items(), key=itemgetter(1))
        return "".join(f"@prefix {p}: <{ns}> .\n" for ns, p in ordered)

    def iri(self, value: str, *, cache: bool = True) -> str:
        """An IRI as a prefixed name when one fits, else ``<...>``.

        ``cache=False`` for IRIs used once (papers, evidence nodes), so the cache keeps the
        ones used again and again (entities, properties).
        """
        term = self._cache.get(value)
        if term is None:
            # Every namespace ends in "/" or "#" and a plain local name has neither, so the
            # namespace of a prefixed name can only be the IRI up to its last "/" or "#".
            cut = max(value.rfind("/"), value.rfind("#")) + 1
            prefix = self._prefix_of.get(value[:cut])
            if prefix is not None and _PLAIN_LOCAL.fullmatch(value, cut):
                term = f"{prefix}:{value[cut:]}"
            else:
                term = f"<{value}>"
            if cache and len(self._cache) < 1 << 16:
                self._cache[value] = term
        return term

    def integer(self, value: int) -> str:
        """An xsd:integer, bare."""
        return str(value)

    def decimal(self, value: float) -> str:
        """An xsd:decimal, bare."""
        return _decimal(value)


class NTriplesTerms(Terms):
    """N-Triples forms of terms."""

    def iri(self, value: str, *, cache: bool = True) -> str:
        """An IRI as ``<...>``."""
        return f"<{value}>"

    def integer(self, value: int) -> str:
        """An xsd:integer."""
        return f'"{value}"^^<{XSD}integer>'

    def decimal(self, value: float) -> str:
        """An xsd:decimal."""
        return f'"{_decimal(value)}"^^<{XSD}decimal>'


_NT = NTriplesTerms()


def paper_triples(record: PaperRecord, t: Terms = _NT) -> Iterator[tuple[str, str, str]]:
    """The triples of one paper node (not its links)."""
    s = t.iri(paper_iri(record.key), cache=False)
    p = record.paper
    yield s, t.iri(RDF_TYPE), t.iri(BASE + "Paper")
    yield s, t.iri(DCTERMS + "title"), t.literal(p.title)
    if p.abstract:  # a title-only record (kept with --keep-title-only) has none
        yield s, t.iri(DCTERMS + "abstract"), t.literal(p.abstract)
    if p.arxiv_id:
        yield s, t.iri(BASE + "arxivId"), t.literal(p.arxiv_id)
        yield s, t.iri(SCHEMA + "url"), iri(f"https://arxiv.org/abs/{p.arxiv_id}")
    elif (
        p.url
        and p.url.startswith(("http://", "https://"))
        and not any(c in p.url for c in '<>" {}|\\^`')
    ):
        yield s, t.iri(SCHEMA + "url"), iri(p.url)
    if p.date:
        yield s, t.iri(DCTERMS + "date"), _date_literal(t, p.date)
    for day in record.listing_dates:
        yield s, t.iri(BASE + "listingDate"), _date_literal(t, day)
    for source in record.sources:
        yield s, t.iri(BASE + "source"), t.literal(str(source))
    for author in p.authors:
        yield s, t.iri(BASE + "author"), t.literal(author)
    for category in p.categories:
        yield s, t.iri(BASE + "category"), t.literal(category)


#: The XML Schema type of each date form ingest gives, by its length.
_DATE_TYPES = {4: "gYear", 7: "gYearMonth", 10: "date"}


def _date_literal(t: Terms, value: str) -> str:
    kind = "gMonthDay" if value.startswith("--") else _DATE_TYPES[len(value)]
    return t.literal(value, XSD + kind)


def entity_triples(resolution: Resolution, t: Terms = _NT) -> Iterator[tuple[str, str, str]]:
    """The triples of every entity node, with the plain relation triples it is the subject of."""
    relations = _relations_by_subject(resolution.statements)
    for e in resolution.entities.values():
        s = t.iri(e.iri)
        yield s, t.iri(RDF_TYPE), t.iri(BASE + e.type)
        if e.group:
            yield s, t.iri(RDF_TYPE), t.iri(BASE + "LanguageGroup")
        yield s, t.iri(RDFS_LABEL), t.literal(e.label)
        for alt in e.alt_labels:
            yield s, t.iri(SKOS_ALT), t.literal(alt)
        for broader in e.broader:
            yield s, t.iri(BASE + "variantOf"), t.iri(broader)
        for other in e.same_as:
            yield s, t.iri(OWL_SAME_AS), t.iri(other)
        for scheme, code in sorted(e.codes.items()):
            yield s, t.iri(BASE + scheme), t.literal(code)
        yield s, t.iri(BASE + "paperCount"), t.literal(e.papers)
        for predicate, obj in relations.get(e.iri, ()):
            yield s, t.iri(BASE + predicate), t.iri(obj)


def _relations_by_subject(statements: Iterable[Statement]) -> dict[str, list[tuple[str, str]]]:
    """Subject IRI -> its distinct (predicate, object) pairs, in relation-type then IRI order."""
    pairs: dict[str, set[tuple[str, str]]] = {}
    for st in statements:
        pairs.setdefault(st.subject, set()).add((st.predicate, st.object))
    rank = {name: i for i, name in enumerate(RELATION_TYPES)}
    return {
        s: sorted(ps, key=lambda po: (rank.get(po[0], len(rank)), po[0], po[1]))
        for s, ps in pairs.items()
    }


#: The datatype of evidence literals (declared in ontology/kg.ttl, grammar in the README).
EVIDENCE_RECORD = BASE + "evidenceRecord"
EVIDENCE = BASE + "evidence"


def _token(value: str, what: str) -> str:
    """A field of an evidence record that must hold no whitespace (a rule, an IRI)."""
    if not value or any(c.isspace() for c in value):
        raise ValueError(f"an evidence record's {what} must be one word, not {value!r}")
    return value


def statement_record(field: str, start: int, end: int, rule: str, confidence: float) -> str:
    """The lexical form of a statement's ``kg:evidenceRecord``.

    ``FIELD SENTENCE-START SENTENCE-END RULE CONFIDENCE``, separated by single spaces: the
    sentence stating the statement is characters ``[start, end)`` of the paper's ``field``
    (``title`` or ``abstract``; 0-based, Unicode code points), so SPARQL gets it back with
    ``SUBSTR(?text, start + 1, end - start)``.
    """
    return f"{field} {start} {end} {_token(rule, 'rule')} {_decimal(confidence)}"


def mention_record(m: Mention, entity: str, text: str) -> str:
    """The lexical form of one surface form's ``kg:evidenceRecord``.

    The statement's five fields for the sentence of the first occurrence, then ``START END
    OCCURRENCES ENTITY SURFACE-FORM``: the occurrence's offsets in the same field, how often the
    surface form occurs, the entity's IRI and the surface form as written (the rest of the
    literal, spaces and all).

    Args:
        m: The mention.
        entity: The IRI of the entity the mention names.
        text: The paper's title or abstract, whichever ``m.field`` names.
    """
    start = _sentence_start(m, text)
    head = statement_record(m.field, start, start + len(m.sentence), m.rule, float(m.confidence))
    return f"{head} {m.start} {m.end} {m.occurrences} {_token(entity, 'entity')} {m.text}"


def _sentence_start(m: Mention, text: str) -> int:
    """Where the mention's sentence starts in its field: the occurrence holding the mention."""
    at = text.rfind(m.sentence, 0, m.start + len(m.sentence))  # the last starting <= m.start
    if at < 0 or at + len(m.sentence) < m.end:
        at = text.find(m.sentence)
    if at < 0:
        raise ValueError(f"the sentence of mention {m.text!r} is not in the paper's {m.field}")
    return at


class EvidenceRecord(NamedTuple):
    """A ``kg:evidenceRecord`` taken apart (see :func:`statement_record`, :func:`mention_record`).

    A statement's record has the first five fields; a surface form's has them all.
    """

    field: str
    sentence_start: int
    sentence_end: int
    rule: str
    confidence: float
    start: int | None = None
    end: int | None = None
    occurrences: int | None = None
    entity: str | None = None
    surface: str | None = None

    def sentence(self, title: str, abstract: str) -> str:
        """The sentence the record points at, cut from the paper's title or abstract."""
        text = title if self.field == "title" else abstract
        return text[self.sentence_start : self.sentence_end]


def parse_record(text: str) -> EvidenceRecord:
    """Take an evidence record's lexical form apart.

    Raises:
        ValueError: ``text`` is not an evidence record.
    """
    parts = text.split(" ", 9)
    if len(parts) not in (5, 10) or parts[0] not in ("title", "abstract"):
        raise ValueError(f"not an evidence record: {text[:80]!r}")
    head = EvidenceRecord(parts[0], int(parts[1]), int(parts[2]), parts[3], float(parts[4]))
    if len(parts) == 5:
        return head
    return head._replace(
        start=int(parts[5]),
        end=int(parts[6]),
        occurrences=int(parts[7]),
        entity=parts[8],
        surface=parts[9],
    )


def statement_triples(
    record: PaperRecord, statements: Iterable[Statement], t: Terms = _NT
) -> Iterator[tuple[str, str, str]]:
    """The reified ``kg:Statement`` node of each statement one paper makes.

    Besides its type, rdf:subject, rdf:predicate, rdf:object and kg:inPaper, each has one
    ``kg:evidence`` literal (:func:`statement_record`): the sentence as offsets into the
    paper's ``dcterms:title`` or ``dcterms:abstract``, the rule and its confidence.
    """
    paper = t.iri(paper_iri(record.key), cache=False)
    a, statement = t.iri(RDF_TYPE), t.iri(BASE + "Statement")
    subject, predicate, obj = (
        t.iri(RDF + "subject"),
        t.iri(RDF + "predicate"),
        t.iri(RDF + "object"),
    )
    in_paper, evidence = t.iri(BASE + "inPaper"), t.iri(EVIDENCE)
    for st in statements:
        ev = st.evidence
        node = t.iri(statement_iri(st.paper_key, st.predicate, st.subject, st.object), cache=False)
        record_text = statement_record(ev.field, ev.start, ev.end, ev.rule, float(ev.confidence))
        yield node, a, statement
        yield node, subject, t.iri(st.subject)
        yield node, predicate, t.iri(BASE + st.predicate)
        yield node, obj, t.iri(st.object)
        yield node, in_paper, paper
        yield node, evidence, t.literal(record_text, EVIDENCE_RECORD)


def _direct_triples(links: Iterable[Link], t: Terms) -> Iterator[tuple[str, str, str]]:
    """The plain paper -> entity triple of each link."""
    for link in links:
        paper = t.iri(paper_iri(link.paper_key), cache=False)
        yield paper, t.iri(BASE + link.predicate), t.iri(link.entity_iri)


def link_triples(
    record: PaperRecord, links: Iterable[Link], t: Terms = _NT
) -> Iterator[tuple[str, str, str]]:
    """The direct paper -> entity triples of one paper's ``links``, then its evidence literals.

    One ``kg:evidence`` literal per surface form (:func:`mention_record`), on the paper.
    """
    links = list(links)
    yield from _direct_triples(links, t)
    paper, evidence = t.iri(paper_iri(record.key), cache=False), t.iri(EVIDENCE)
    title, abstract = record.paper.title, record.paper.abstract
    for link in links:
        for m in link.mentions:
            text = title if m.field == "title" else abstract
            yield (
                paper,
                evidence,
                t.literal(mention_record(m, link.entity_iri, text), EVIDENCE_RECORD),
            )


def triples(
    records: Iterable[PaperRecord], resolution: Resolution, t: Terms = _NT
) -> Iterator[tuple[str, str, str]]:
    """Every triple of the graph, with terms formatted by ``t``.

    The order is fixed by the records' and entities' order and keeps each subject's triples
    together: the entities, then per paper its own triples, links and evidence, then its
    statements.
    """
    yield from entity_triples(resolution, t)
    by_paper = _links_by_paper(resolution)
    statements = _statements_by_paper(resolution)
    for record in records:
        yield from paper_triples(record, t)
        yield from link_triples(record, by_paper.get(record.key, ()), t)
        yield from statement_triples(record, statements.get(record.key, ()), t)


def _links_by_paper(resolution: Resolution) -> dict[str, list[Link]]:
    by_paper: dict[str, list[Link]] = {}
    for link in resolution.links:
        by_paper.setdefault(link.paper_key, []).append(link)
    return by_paper


def _statements_by_paper(resolution: Resolution) -> dict[str, list[Statement]]:
    by_paper: dict[str, list[Statement]] = {}
    for st in resolution.statements:
        by_paper.setdefault(st.paper_key, []).append(st)
    return by_paper


def ntriples(records: Iterable[PaperRecord], resolution: Resolution) -> Iterator[str]:
    """Every triple of the graph as an N-Triples line (with its newline)."""
    for s, p, o in triples(records, resolution):
        yield f"{s} {p} {o} .\n"


def turtle(
    records: Iterable[PaperRecord], resolution: Resolution, terms: TurtleTerms | None = None
) -> Iterator[str]:
    """Every triple of the graph as Turtle statements, one block per subject.

    The same triples in the same order as :func:`triples`. The ``@prefix`` header
    (``terms.header()``) is not included, so the blocks can be cut into chunks that each parse
    once the header is put in front.
    """
    by_paper = _links_by_paper(resolution)
    statements = _statements_by_paper(resolution)
    papers = ((r, by_paper.get(r.key, []), statements.get(r.key, [])) for r in records)
    yield from turtle_papers(resolution, papers, terms)


def turtle_papers(
    resolution: Resolution,
    papers: Iterable[tuple[PaperRecord, list[Link], list[Statement]]],
    terms: TurtleTerms | None = None,
) -> Iterator[str]:
    """:func:`turtle` for papers given with their own links and statements, in key order.

    A build that keeps its papers on disk reads them back one at a time for this.
    """
    t = terms or TurtleTerms(PREFIXES)
    yield from _blocks(entity_triples(resolution, t), t)
    for record, links, statements in papers:
        own = itertools.chain(paper_triples(record, t), link_triples(record, links, t))
        yield from _blocks(own, t)
        if statements:
            yield from _blocks(statement_triples(record, statements, t), t)


def _blocks(triples: Iterable[tuple[str, str, str]], t: TurtleTerms) -> Iterator[str]:
    """Turtle statements for triples, one per run of triples with the same subject."""
    rdf_type = t.iri(RDF_TYPE)
    subject = predicate = None
    parts: list[str] = []
    for s, p, o in triples:
        if p == rdf_type:
            p = "a"
        if s != subject:
            if parts:
                parts.append(" .\n")
                yield "".join(parts)
            parts = [s, " ", p, " ", o]
            subject, predicate = s, p
        elif p == predicate:
            parts += [" ,\n\t\t", o]
        else:
            parts += [" ;\n\t", p, " ", o]
            predicate = p
    if parts:
        parts.append(" .\n")
        yield "".join(parts)


def to_rdflib(records: Iterable[PaperRecord], resolution: Resolution) -> rdflib.Graph:
    """The whole graph as one rdflib Graph (for small corpora, validation and tests)."""
    graph = rdflib.Graph()
    graph.parse(data="".join(ntriples(records, resolution)), format="nt")
    return graph


def to_networkx(records: Iterable[PaperRecord], resolution: Resolution) -> nx.DiGraph:
    """The graph's projection onto papers and entities, for GraphML and the HTML view.

    Nodes are keyed by IRI and carry ``kind`` (Paper, Model, Dataset, Method, Language),
    ``label``; papers also ``title``, ``date``, ``arxiv``, ``url``, ``abstract``; entities
    ``aliases`` (" | "-joined), ``papers``, ``evidence`` (a sentence) and ``relations`` (see
    :func:`_relation_projection`). Edges carry ``predicate`` (``mentionsModel`` ...
    ``proposes``, or ``variantOf`` or a relation type such as ``basedOn`` between entities), for
    paper links ``rule`` and ``confidence``, and for relations ``relations`` (every type between
    the pair), ``papers`` and ``sentence``. (GraphML leaves the abstracts out.)
    """
    g = nx.DiGraph()
    for record in records:
        p = record.paper
        g.add_node(
            paper_iri(record.key),
            kind="Paper",
            label=p.title,
            title=p.title,
            date=(record.listing_dates or [p.date or ""])[0],
            arxiv=p.arxiv_id or "",
            url=p.url or "",
            abstract=p.abstract,
        )
    evidence: dict[str, str] = {}
    for link in resolution.links:
        best = max(link.mentions, key=lambda m: m.confidence)
        evidence.setdefault(link.entity_iri, best.sentence)
        g.add_edge(
            paper_iri(link.paper_key),
            link.entity_iri,
            predicate=link.predicate,
            rule=best.rule,
            confidence=float(best.confidence),
        )
    for e in resolution.entities.values():
        g.add_node(
            e.iri,
            kind=e.type,
            label=e.label,
            aliases=" | ".join(e.alt_labels),
            papers=e.papers,
            evidence=evidence.get(e.iri, ""),
            group=e.group,
            codes=" ".join(f"{k}={v}" for k, v in sorted(e.codes.items())),
        )
        for broader in e.broader:
            g.add_edge(e.iri, broader, predicate="variantOf")
    _relation_projection(g, records, resolution)
    return g


#: Most relations listed per entity in the projection (the view's tooltips).
RELATIONS_PER_ENTITY = 8


def _relation_projection(
    g: nx.DiGraph, records: Iterable[PaperRecord], resolution: Resolution
) -> None:
    """Add the resolution's statements to the projection (see :func:`add_relation_edges`)."""
    if not resolution.statements:
        return
    papers = {r.key: r.paper for r in records}
    rows = []
    for st in resolution.statements:
        paper = papers.get(st.paper_key)
        ev = st.evidence
        sentence = title = ""
        if paper is not None:
            sentence = (paper.title if ev.field == "title" else paper.abstract)[ev.start : ev.end]
            title = paper.title
        rows.append((st.subject, st.predicate, st.object, st.paper_key, sentence, title))
    add_relation_edges(g, rows)


def add_relation_edges(
    g: nx.DiGraph, statements: Iterable[tuple[str, str, str, str, str, str]]
) -> None:
    """Add statements to a projection: an edge per related pair, a list per entity.

    Args:
        g: The projection (entities already in it).
        statements: ``(subject, predicate, object, paper, sentence, paper title)`` per
            statement; ``predicate`` is a relation type's local name (``basedOn`` ...).

    A pair's edge takes the first of its relation types (in :data:`RELATION_TYPES` order) as
    ``predicate``, all of them in ``relations``, how many papers state any of them and one
    evidence sentence; a pair already linked by ``variantOf`` keeps that edge. Each entity's
    ``relations`` attribute is JSON (GraphML holds only scalars): a list of ``[predicate,
    "out" | "in", other entity's label, papers, sentence, paper title]``, the most stated first.
    """
    rank = {name: i for i, name in enumerate(RELATION_TYPES)}
    grouped: dict[tuple[str, str, str], list[tuple[str, str, str]]] = {}
    for s, p, o, paper, sentence, title in statements:
        grouped.setdefault((s, p, o), []).append((paper, sentence, title))
    pairs: dict[tuple[str, str], dict] = {}
    listed: dict[str, list[tuple]] = {}
    for (s, p, o), sts in sorted(grouped.items(), key=lambda kv: (rank.get(kv[0][1], 99), kv[0])):
        if s not in g or o not in g:
            continue
        sts.sort()
        _, sentence, title = sts[0]
        count = len({paper for paper, _, _ in sts})
        pair = pairs.setdefault((s, o), {"relations": [], "papers": set(), "sentence": sentence})
        pair["relations"].append(p)
        pair["papers"].update(paper for paper, _, _ in sts)
        for node, direction, other in ((s, "out", o), (o, "in", s)):
            label = g.nodes[other].get("label", other)
            listed.setdefault(node, []).append((p, direction, label, count, sentence, title))
    for (s, o), pair in pairs.items():
        if g.has_edge(s, o) and g.edges[s, o].get("predicate") == "variantOf":
            continue
        g.add_edge(
            s,
            o,
            predicate=pair["relations"][0],
            relations=" ".join(pair["relations"]),
            papers=len(pair["papers"]),
            sentence=pair["sentence"],
        )
    for node, items in listed.items():
        items.sort(key=lambda x: (-x[3], rank.get(x[0], 99), x[1], x[2]))
        g.nodes[node]["relations"] = json.dumps(
            [list(x) for x in items[:RELATIONS_PER_ENTITY]], ensure_ascii=True
        )
