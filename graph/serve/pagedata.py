"""Page data: what each page shows, composed of the small views of :mod:`graph.serve.views`.

Each function returns plain JSON-ready data: the server sends it as the page's ``.json`` twin,
and :mod:`graph.serve.pages` renders it with a template.
"""

from __future__ import annotations

from typing import Any

from graph.namespaces import BASE
from graph.ontology import PREFIXES
from graph.serve.batch import Batch
from graph.serve.views import (
    ENTITY_TYPES,
    PAPERS_SHOWN,
    Row,
    Run,
    arxiv_url,
    comentions,
    day_label,
    display_name,
    entities_of_type,
    entity_ref,
    evidence_of,
    family,
    group_relations,
    local_name,
    months_of,
    papers_of,
    prefixed,
    relations_of,
    search,
    segments,
    select_about,
    summary,
    top_entities,
    trends,
    type_counts,
    type_name,
)

_IDENTIFIER_SCHEMES = [
    # (property or IRI prefix, scheme label)
    ("http://www.wikidata.org/entity/", "Wikidata"),
    ("http://lexvo.org/id/", "Lexvo"),
]


def _identifiers(props: list[Row]) -> list[Row]:
    out = []
    for r in props:
        p, o = r["p"], r["o"]
        if p == PREFIXES["owl"] + "sameAs" and isinstance(o, str):
            scheme = next((s for ns, s in _IDENTIFIER_SCHEMES if o.startswith(ns)), "same as")
            out.append({"scheme": scheme, "value": prefixed(o), "href": o})
        elif p == PREFIXES["skos"] + "exactMatch" and isinstance(o, str):
            out.append({"scheme": "exact match", "value": prefixed(o), "href": o})
        elif p.startswith(BASE + "iso639_"):
            part = p[len(BASE + "iso639_") :]
            href = f"http://lexvo.org/id/iso639-{part}/{o}" if part in ("3", "5") else None
            out.append({"scheme": f"ISO 639-{part}", "value": str(o), "href": href})
    return sorted(out, key=lambda i: (i["scheme"], i["value"]))


def _values(props: list[Row], prop: str) -> list[Any]:
    return sorted({r["o"] for r in props if r["p"] == prop}, key=str)


def entity_page(run: Run, iri: str, types: list[str], batch: Batch | None = None) -> Row:
    """Everything an entity page shows, as JSON-ready data (some of it from ``batch``, the
    static site's queries about every entity at once, when given)."""
    props = summary(run, iri)
    labels = _values(props, PREFIXES["rdfs"] + "label")
    entity_type = next((t for t in ENTITY_TYPES if t in types), types[0] if types else None)
    papers = papers_of(run, iri, batch)
    evidence = evidence_of(run, iri, batch)
    best: dict[str, Row] = {}
    for e in evidence:
        best.setdefault(e["paper"]["iri"], e)
    for paper in papers:
        found = best.get(paper["iri"])
        paper["evidence"] = (
            {"sentence": found["sentence"], "segments": found["segments"]} if found else None
        )
    count = _values(props, BASE + "paperCount")
    return {
        "kind": "entity",
        "iri": iri,
        "prefixed": prefixed(iri),
        "type": entity_type,
        "types": types,
        "label": display_name(labels[0]) if labels else prefixed(iri),
        "aliases": [a for a in _values(props, PREFIXES["skos"] + "altLabel") if a not in labels],
        "group": "LanguageGroup" in types,
        "identifiers": _identifiers(props),
        "paper_count": count[0] if count else len(papers),
        "family": family(run, iri, batch),
        "papers": papers[:PAPERS_SHOWN],
        "papers_more": len(papers) > PAPERS_SHOWN,
        "co_mentioned": comentions(run, iri, batch),
        "relations": relations_of(run, iri, batch),
        "evidence": evidence[:50],
        "months": months_of(run, iri, batch),
    }


def paper_page(run: Run, iri: str, batch: Batch | None = None) -> Row:
    """Everything a paper page shows: its fields, its text with the found names marked, its
    entities by type with their evidence, and the relations it states (some of it from
    ``batch``, as for :func:`entity_page`)."""
    props = summary(run, iri)

    def one(prop: str) -> Any:
        found = _values(props, prop)
        return found[0] if found else None

    title = one(PREFIXES["dcterms"] + "title") or prefixed(iri)
    abstract = one(PREFIXES["dcterms"] + "abstract") or ""
    arxiv = one(BASE + "arxivId")
    url = one(PREFIXES["schema"] + "url")
    listed = _values(props, BASE + "listingDate")
    by_type: dict[str, dict[str, Row]] = {}
    names: dict[str, list[tuple[str, Row]]] = {"title": [], "abstract": []}
    for r in select_about(run, "paper-mentions", iri, batch):
        entity_type = type_name(r["type"]) or "Entity"
        ref = entity_ref(r["entity"], r["label"], entity_type)
        entry = by_type.setdefault(entity_type, {}).setdefault(
            r["entity"],
            {
                **ref,
                "proposed": bool(r["link"]) and local_name(r["link"]) == "proposes",
                "evidence": [],
            },
        )
        entry["evidence"].append(
            {
                "form": r["form"],
                "field": r["field"],
                "sentence": r["sentence"],
                "segments": segments(r["sentence"] or "", [(r["form"], ref)]),
                "rule": r["rule"],
                "confidence": r["confidence"],
                "occurrences": r["occurrences"],
            }
        )
        for field in ("title", "abstract"):
            names[field].append((r["form"], ref))
    entities = {
        t: sorted(by_type[t].values(), key=lambda e: (not e["proposed"], e["label"].lower()))
        for t in [*ENTITY_TYPES, *sorted(set(by_type) - set(ENTITY_TYPES))]
        if t in by_type
    }
    return {
        "kind": "paper",
        "iri": iri,
        "prefixed": prefixed(iri),
        "title": title,
        "title_segments": segments(title, names["title"]),
        "abstract": abstract,
        "abstract_segments": segments(abstract, names["abstract"]),
        "arxiv": arxiv,
        "arxiv_url": arxiv_url(arxiv, url),
        "url": url,
        "date": one(PREFIXES["dcterms"] + "date"),
        "listing_dates": [day_label(d) for d in listed],
        "authors": _values(props, BASE + "author"),
        "categories": _values(props, BASE + "category"),
        "sources": _values(props, BASE + "source"),
        "entities": entities,
        "relations": group_relations(select_about(run, "paper-relations", iri, batch), None),
    }


def resource_page(run: Run, iri: str, types: list[str]) -> Row:
    """A page for any other resource (an evidence node, a statement): its properties."""
    props = []
    for r in summary(run, iri):
        value = r["o"]
        is_iri = isinstance(value, str) and "://" in value and " " not in value
        props.append(
            {
                "property": prefixed(r["p"]),
                "property_iri": r["p"],
                "value": display_name(r["olabel"]) if r["olabel"] else value,
                "value_iri": value if is_iri else None,
                "value_prefixed": prefixed(value) if is_iri else None,
            }
        )
    props.sort(key=lambda p: (p["property"] != "rdf:type", p["property"], str(p["value"])))
    return {
        "kind": "resource",
        "iri": iri,
        "prefixed": prefixed(iri),
        "types": types,
        "label": prefixed(iri),
        "properties": props,
    }


def home_page(run: Run, trend_type: str = "Model") -> Row:
    """The home page: counts, the most-named entities per type, and a trends chart."""
    counts = type_counts(run)
    return {
        "kind": "home",
        "counts": counts,
        "top": {t: top_entities(run, t) for t in ENTITY_TYPES},
        "trends": trends(run, trend_type),
    }


def type_page(run: Run, entity_type: str) -> Row:
    """Every entity of one type, and the trends of its five most-named."""
    entities = entities_of_type(run, entity_type)
    return {
        "kind": "type",
        "type": entity_type,
        "plural": ENTITY_TYPES[entity_type][0],
        "entities": entities,
        "named": sum(1 for e in entities if e["papers"]),
        "trends": trends(run, entity_type),
    }


def search_page(run: Run, text: str) -> Row:
    """Search results for a text over entity names and aliases."""
    return {"kind": "search", "q": text, "results": search(run, text)}
