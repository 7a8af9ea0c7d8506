"""Every triple of the graph in a fixed order: as term tuples, N-Triples lines, Turtle
blocks (one per subject) or an rdflib Graph.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator

import rdflib

from graph.build.evidence import EVIDENCE, EVIDENCE_RECORD, mention_record, statement_record
from graph.build.terms import (
    _NT,
    DCTERMS,
    OWL_SAME_AS,
    RDF,
    RDF_TYPE,
    RDFS_LABEL,
    SCHEMA,
    SKOS_ALT,
    XSD,
    Terms,
    TurtleTerms,
    iri,
)
from graph.iri import paper_iri, statement_iri
from graph.namespaces import BASE
from graph.ontology import PREFIXES
from graph.records import RELATION_TYPES, PaperRecord
from graph.resolve import Link, Resolution, Statement


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
