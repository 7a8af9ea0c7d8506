"""Build: records -> RDF triples (streamed as N-Triples lines), an rdflib Graph, a NetworkX graph.

The triples follow the RDF contract in the README: papers, entities, one direct link per
(paper, entity) pair, and a ``kg:Mention`` evidence node per surface form. They are produced as
N-Triples lines so the store can bulk-load them without building Python term objects.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import networkx as nx
import rdflib

from graph.iri import mention_iri, paper_iri
from graph.namespaces import BASE
from graph.records import PaperRecord
from graph.resolve import Resolution

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
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
    if isinstance(value, bool):
        raise TypeError("booleans are not written as literals here")
    if isinstance(value, int):
        return f'"{value}"^^<{XSD}integer>'
    if isinstance(value, float):
        return f'"{value:.2f}"^^<{XSD}decimal>'
    if _NEEDS_ESCAPE.search(value):
        value = value.translate(_ESCAPES)
    text = f'"{value}"'
    return f"{text}^^<{datatype}>" if datatype else text


def _date_literal(value: str) -> str:
    return literal(value, XSD + ("gMonthDay" if value.startswith("--") else "date"))


def paper_triples(record: PaperRecord) -> Iterator[tuple[str, str, str]]:
    """The triples of one paper node (not its links)."""
    s = iri(paper_iri(record.key))
    p = record.paper
    yield s, iri(RDF_TYPE), iri(BASE + "Paper")
    yield s, iri(DCTERMS + "title"), literal(p.title)
    yield s, iri(DCTERMS + "abstract"), literal(p.abstract)
    if p.arxiv_id:
        yield s, iri(BASE + "arxivId"), literal(p.arxiv_id)
        yield s, iri(SCHEMA + "url"), iri(f"https://arxiv.org/abs/{p.arxiv_id}")
    elif (
        p.url
        and p.url.startswith(("http://", "https://"))
        and not any(c in p.url for c in '<>" {}|\\^`')
    ):
        yield s, iri(SCHEMA + "url"), iri(p.url)
    if p.date:
        yield s, iri(DCTERMS + "date"), _date_literal(p.date)
    for day in record.listing_dates:
        yield s, iri(BASE + "listingDate"), _date_literal(day)
    for source in record.sources:
        yield s, iri(BASE + "source"), literal(str(source))
    for author in p.authors:
        yield s, iri(BASE + "author"), literal(author)
    for category in p.categories:
        yield s, iri(BASE + "category"), literal(category)


def resolution_triples(resolution: Resolution) -> Iterator[tuple[str, str, str]]:
    """The triples of every entity, every paper -> entity link and every evidence node."""
    for e in resolution.entities.values():
        s = iri(e.iri)
        yield s, iri(RDF_TYPE), iri(BASE + e.type)
        if e.group:
            yield s, iri(RDF_TYPE), iri(BASE + "LanguageGroup")
        yield s, iri(RDFS_LABEL), literal(e.label)
        for alt in e.alt_labels:
            yield s, iri(SKOS_ALT), literal(alt)
        for broader in e.broader:
            yield s, iri(BASE + "variantOf"), iri(broader)
        for other in e.same_as:
            yield s, iri(OWL_SAME_AS), iri(other)
        for scheme, code in sorted(e.codes.items()):
            yield s, iri(BASE + scheme), literal(code)
        yield s, iri(BASE + "paperCount"), literal(e.papers)
    for link in resolution.links:
        paper = paper_iri(link.paper_key)
        yield iri(paper), iri(BASE + link.predicate), iri(link.entity_iri)
        for m in link.mentions:
            s = iri(mention_iri(link.paper_key, m.type, m.text))
            yield s, iri(RDF_TYPE), iri(BASE + "Mention")
            yield s, iri(BASE + "inPaper"), iri(paper)
            yield s, iri(BASE + "refersTo"), iri(link.entity_iri)
            yield s, iri(BASE + "surfaceForm"), literal(m.text)
            yield s, iri(BASE + "field"), literal(m.field)
            yield s, iri(BASE + "sentence"), literal(m.sentence)
            yield s, iri(BASE + "startOffset"), literal(m.start)
            yield s, iri(BASE + "endOffset"), literal(m.end)
            yield s, iri(BASE + "rule"), literal(m.rule)
            yield s, iri(BASE + "confidence"), literal(float(m.confidence))
            yield s, iri(BASE + "occurrences"), literal(m.occurrences)


def ntriples(records: Iterable[PaperRecord], resolution: Resolution) -> Iterator[str]:
    """Every triple of the graph as an N-Triples line (with its newline)."""
    for record in records:
        for s, p, o in paper_triples(record):
            yield f"{s} {p} {o} .\n"
    for s, p, o in resolution_triples(resolution):
        yield f"{s} {p} {o} .\n"


def to_rdflib(records: Iterable[PaperRecord], resolution: Resolution) -> rdflib.Graph:
    """The whole graph as one rdflib Graph (for small corpora, validation and tests)."""
    graph = rdflib.Graph()
    graph.parse(data="".join(ntriples(records, resolution)), format="nt")
    return graph


def to_networkx(records: Iterable[PaperRecord], resolution: Resolution) -> nx.DiGraph:
    """The graph's projection onto papers and entities, for GraphML and the HTML view.

    Nodes are keyed by IRI and carry ``kind`` (Paper, Model, Dataset, Method, Language),
    ``label``; papers also ``title``, ``date``; entities ``aliases`` (" | "-joined), ``papers``
    and ``evidence`` (a sentence). Edges carry ``predicate`` (``mentionsModel`` ... ``proposes``,
    or ``variantOf`` between entities), and for paper links ``rule`` and ``confidence``.
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
    return g
