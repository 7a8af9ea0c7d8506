"""Views: small functions over one SPARQL query each, and the pages made of them.

Every query lives in ``queries/NAME.rq`` beside this module; its parameters (``?this``, the
resource a page is about; ``?type``; ``?q``, a search text) are bound as values through
pyoxigraph's substitutions, never spliced into the text. A view takes a ``run`` function
(a :class:`~graph.serve.results.Job` in, a :class:`~graph.serve.results.Reply` out): the
server's query pool, with its time limit, or a store in-process for the static site.

:mod:`graph.serve.pagedata` composes them into the data of each page. Nothing here knows about
HTTP or HTML.
"""

from __future__ import annotations

import functools
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.errors import KGError
from graph.namespaces import BASE
from graph.ontology import PREFIXES
from graph.serve.results import Job, Reply

if TYPE_CHECKING:
    from graph.serve.batch import Batch

Run = Callable[[Job], Reply]
Row = dict[str, Any]

QUERIES = Path(__file__).resolve().parent / "queries"
ID = BASE + "id/"
#: Entity types in display order, with their plural and their IRI path segment.
ENTITY_TYPES: dict[str, tuple[str, str]] = {
    "Model": ("Models", "model"),
    "Dataset": ("Datasets", "dataset"),
    "Method": ("Methods", "method"),
    "Language": ("Languages", "language"),
}
LINKS = ("mentionsModel", "usesDataset", "usesMethod", "mentionsLanguage", "proposes")
#: The relations between entities (the relations issue's RDF contract), in display order.
RELATIONS = ("basedOn", "trainedOn", "evaluatedOn", "outperforms", "uses", "forLanguage")
#: Most papers listed on an entity page (the query fetches one more, to tell there are more).
PAPERS_SHOWN = 200
#: Most rows :func:`select` reads.
SELECT_LIMIT = 100_000
_XSD = "http://www.w3.org/2001/XMLSchema#"
_SEPARATOR = "\u001f"
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


class ViewError(KGError):
    """A view's query failed (timed out, or the store could not answer)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@functools.cache
def query_text(name: str) -> str:
    """The text of ``queries/NAME.rq``."""
    return (QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def _value(term: dict[str, str] | None) -> Any:
    """A SPARQL JSON term as a plain value: IRIs and strings as str, numbers as numbers."""
    if term is None:
        return None
    value = term["value"]
    if term["type"] == "bnode":
        return "_:" + value
    datatype = term.get("datatype", "")
    if datatype in (_XSD + "integer", _XSD + "int", _XSD + "long"):
        return int(value)
    if datatype in (_XSD + "decimal", _XSD + "double", _XSD + "float"):
        return float(value)
    if datatype == _XSD + "boolean":
        return value in ("true", "1")
    return value


def _bindings(params: dict[str, str]) -> dict[str, tuple[str, str]]:
    return {
        name: ("iri", value) if name in ("this", "type") else ("literal", value)
        for name, value in params.items()
    }


def _select(
    run: Run, text: str, params: dict[str, str], max_results: int
) -> tuple[list[Row], bool]:
    """Rows of a SELECT query as plain dicts, and whether ``max_results`` cut them."""
    reply = run(
        Job(
            text,
            accept="application/sparql-results+json",
            bindings=_bindings(params),
            max_results=max_results,
        )
    )
    if reply.status != 200:
        raise ViewError(reply.status, reply.body.decode("utf-8", "replace").strip())
    data = json.loads(reply.body)
    names = data["head"]["vars"]
    rows = [{v: _value(b.get(v)) for v in names} for b in data["results"]["bindings"]]
    return rows, reply.headers.get("X-KG-Truncated") == "true"


def select(run: Run, name: str, **params: str) -> list[Row]:
    """Run the SELECT query ``queries/NAME.rq`` with ``params`` bound; rows as plain dicts.

    ``this`` and ``type`` are bound as IRIs, anything else as a plain literal.

    Raises:
        ViewError: when the query fails or times out.
    """
    return _select(run, query_text(name), params, SELECT_LIMIT)[0]


def select_about(run: Run, name: str, iri: str, batch: Batch | None = None) -> list[Row]:
    """``select(run, name, this=iri)``, answered from ``batch`` when there is one."""
    return batch.select(name, iri) if batch is not None else select(run, name, this=iri)


def document(run: Run, iri: str, accept: str) -> Reply:
    """The RDF description of one resource (``queries/document.rq``) in the format ``accept``."""
    return run(Job(query_text("document"), accept=accept, bindings=_bindings({"this": iri})))


# ----------------------------------------------------------------------------- helpers


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``/`` or ``#``."""
    return re.split(r"[/#]", iri)[-1]


def type_name(iri: str | None) -> str | None:
    """``https://w3id.org/paper-kg/Model`` -> ``Model``; None for other IRIs."""
    if iri and iri.startswith(BASE) and "/" not in iri[len(BASE) :]:
        return iri[len(BASE) :]
    return None


def words(name: str) -> str:
    """A camelCase property name as words: ``evaluatedOn`` -> ``evaluated on``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).lower()


def display_name(label: str | None) -> str:
    """A label as pages show it: no TeX math dollars, no sentence-final period.

    ``$λ$-ECLIPSE`` -> ``λ-ECLIPSE``; ``GPT-4.`` -> ``GPT-4`` (but ``U.S.`` stays).
    """
    text = (label or "").strip()
    if text.count("$") >= 2:
        text = text.replace("$", "")
    if text.endswith(".") and text.count(".") == 1 and len(text) > 1 and text[-2].isalnum():
        text = text[:-1]
    return text or (label or "")


def prefixed(iri: str) -> str:
    """An IRI as a prefixed name when a project prefix fits (``model:llama-2``), else as is."""
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            rest = iri[len(namespace) :]
            if rest and re.fullmatch(r"[\w.-]+", rest) and not rest.endswith("."):
                best = prefix
    return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else iri


def month_label(month: str) -> str:
    """``--03`` -> ``Mar``; ``2024-03`` -> ``Mar 2024``."""
    if re.fullmatch(r"--\d\d", month):
        return _MONTHS[int(month[2:]) - 1]
    if re.fullmatch(r"\d{4}-\d\d", month):
        return f"{_MONTHS[int(month[5:]) - 1]} {month[:4]}"
    return month


def month_range(months: Iterable[str]) -> list[str]:
    """Every month from the first to the last of ``months`` (yearless ones first)."""
    given = sorted(set(months))
    yearless = [m for m in given if m.startswith("--")]
    dated = [m for m in given if not m.startswith("--")]
    out: list[str] = []
    if yearless:
        first, last = int(yearless[0][2:]), int(yearless[-1][2:])
        out += [f"--{m:02d}" for m in range(first, last + 1)]
    if dated:
        year, month = int(dated[0][:4]), int(dated[0][5:])
        end = (int(dated[-1][:4]), int(dated[-1][5:]))
        while (year, month) <= end and len(out) < 600:
            out.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def day_label(day: str | None) -> str:
    """``--03-14`` -> ``14 Mar``; ``2024-03-14`` -> ``2024-03-14``."""
    if not day:
        return ""
    found = re.fullmatch(r"--(\d\d)-(\d\d)", day)
    if found:
        return f"{int(found.group(2))} {_MONTHS[int(found.group(1)) - 1]}"
    return day


def arxiv_url(arxiv: str | None, url: str | None) -> str | None:
    """The arXiv abstract page of a paper, from its id or its schema:url."""
    if arxiv:
        return f"https://arxiv.org/abs/{arxiv}"
    if url and url.startswith(("https://arxiv.org/", "http://arxiv.org/")):
        return url
    return None


def entity_ref(iri: str, label: str | None, type_iri: str | None = None, papers: Any = None) -> Row:
    """A reference to an entity as pages show it: IRI, display name, type, paper count."""
    return {
        "iri": iri,
        "label": display_name(label) if label else prefixed(iri),
        "type": type_name(type_iri) if type_iri and "://" in type_iri else type_iri,
        "papers": papers,
    }


def segments(text: str, names: list[tuple[str, Row]]) -> list[Row]:
    """Cut ``text`` into plain and marked pieces: each whole-word occurrence of a name.

    Args:
        text: A title, abstract or sentence.
        names: ``(surface form, entity ref)`` pairs; longer forms win where they overlap.

    Returns:
        ``[{"text": ..., "entity": ref or None}, ...]`` covering ``text`` exactly, to be
        written out as escaped text (never as markup).
    """
    spans: list[tuple[int, int, Row]] = []
    taken = [False] * len(text)
    for form, ref in sorted(names, key=lambda pair: -len(pair[0])):
        if not form.strip():
            continue
        pattern = re.compile(rf"(?<!\w){re.escape(form)}(?!\w)")
        for match in pattern.finditer(text):
            start, end = match.span()
            if not any(taken[start:end]):
                spans.append((start, end, ref))
                taken[start:end] = [True] * (end - start)
    out: list[Row] = []
    at = 0
    for start, end, ref in sorted(spans, key=lambda span: span[0]):
        if start > at:
            out.append({"text": text[at:start], "entity": None})
        out.append({"text": text[start:end], "entity": ref})
        at = end
    if at < len(text):
        out.append({"text": text[at:], "entity": None})
    return out


# ----------------------------------------------------------------------------- small views


def resource_types(run: Run, iri: str) -> list[str] | None:
    """The types of a resource (local names for the project's classes), or None if the graph
    does not hold it at all."""
    rows = select(run, "resource", this=iri)
    if not rows:
        return None
    return sorted({type_name(r["type"]) or r["type"] for r in rows if r["type"]})


def summary(run: Run, iri: str) -> list[Row]:
    """Every property of a resource: ``{"p", "o", "olabel"}`` rows."""
    return select(run, "summary", this=iri)


def family(run: Run, iri: str, batch: Batch | None = None) -> dict[str, list[Row]]:
    """An entity's family: ``broader`` (nearest first, up the kg:variantOf chain) and its
    direct ``variants`` (most-named first)."""
    rows = select_about(run, "entity-family", iri, batch)
    parents: dict[str, list[Row]] = defaultdict(list)
    variants = []
    for r in rows:
        ref = entity_ref(r["e"], r["label"], r["type"], r["papers"])
        if r["relation"] == "broader":
            parents[r["child"]].append(ref)
        else:
            variants.append(ref)
    chain, seen, frontier = [], {iri}, [iri]
    while frontier:
        step = []
        for child in frontier:
            for ref in parents.get(child, []):
                if ref["iri"] not in seen:
                    seen.add(ref["iri"])
                    chain.append(ref)
                    step.append(ref["iri"])
        frontier = step
    return {"broader": chain, "variants": variants}


def papers_of(run: Run, iri: str, batch: Batch | None = None) -> list[Row]:
    """The papers naming an entity, newest first (at most :data:`PAPERS_SHOWN` + 1)."""
    return [
        {
            "iri": r["paper"],
            "title": r["title"],
            "arxiv": r["arxiv"],
            "arxiv_url": arxiv_url(r["arxiv"], r["url"]),
            "date": r["date"] or r["listed"],
            "date_label": day_label(r["date"] or r["listed"]),
            "proposes": bool(r["proposes"]),
        }
        for r in select_about(run, "entity-papers", iri, batch)
    ]


def comentions(run: Run, iri: str, batch: Batch | None = None) -> list[Row]:
    """The entities most often named in the same papers as this one."""
    return [
        entity_ref(r["other"], r["label"], r["type"], r["papers"])
        for r in select_about(run, "entity-comentions", iri, batch)
    ]


def group_relations(rows: list[Row], paper_key: str | None) -> list[Row]:
    """Relation rows grouped per (subject, predicate, object), with their papers and sentences,
    in the order of :data:`RELATIONS`."""
    grouped: dict[tuple[str, str, str], Row] = {}
    for r in rows:
        key = (r["subject"], r["predicate"], r["object"])
        if key not in grouped:
            name = local_name(r["predicate"])
            grouped[key] = {
                "subject": entity_ref(r["subject"], r["slabel"]),
                "predicate": name,
                "predicate_label": words(name),
                "object": entity_ref(r["object"], r["olabel"]),
                "papers": [],
                "sentences": [],
            }
        entry = grouped[key]
        if (
            paper_key
            and r.get(paper_key)
            and r[paper_key] not in {p["iri"] for p in entry["papers"]}
        ):
            entry["papers"].append({"iri": r[paper_key], "title": r.get("title") or r[paper_key]})
        if r.get("sentence") and r["sentence"] not in entry["sentences"]:
            entry["sentences"].append(r["sentence"])
    order = {name: i for i, name in enumerate(RELATIONS)}
    return sorted(
        grouped.values(),
        key=lambda e: (order.get(e["predicate"], 99), e["subject"]["label"], e["object"]["label"]),
    )


def relations_of(run: Run, iri: str, batch: Batch | None = None) -> list[Row]:
    """The relations stated about an entity (kg:basedOn ...), each with its papers and
    sentences where the graph has kg:Statement nodes for it."""
    return group_relations(select_about(run, "entity-relations", iri, batch), "paper")


def evidence_of(run: Run, iri: str, batch: Batch | None = None) -> list[Row]:
    """The evidence sentences for an entity, most confident first, with the name marked."""
    out = []
    for r in select_about(run, "entity-evidence", iri, batch):
        ref = {"iri": iri, "label": r["form"], "type": None, "papers": None}
        out.append(
            {
                "paper": {"iri": r["paper"], "title": r["title"]},
                "form": r["form"],
                "field": r["field"],
                "sentence": r["sentence"],
                "segments": segments(r["sentence"], [(r["form"], ref)]),
                "rule": r["rule"],
                "confidence": r["confidence"],
                "occurrences": r["occurrences"],
            }
        )
    return out


def months_of(run: Run, iri: str, batch: Batch | None = None) -> list[Row]:
    """Papers naming an entity per listing month, every month of the span (zeros included)."""
    counts = {r["month"]: r["papers"] for r in select_about(run, "entity-months", iri, batch)}
    return [
        {"month": m, "label": month_label(m), "papers": counts.get(m, 0)}
        for m in month_range(counts)
    ]


def type_counts(run: Run) -> dict[str, Row]:
    """Papers and entities per type: ``{"Model": {"count": 207, "named": 195}, ...}``."""
    return {
        type_name(r["type"]) or r["type"]: {"count": r["count"], "named": r["named"]}
        for r in select(run, "type-counts")
    }


def top_entities(run: Run, entity_type: str) -> list[Row]:
    """The entities of one type that the most papers name (a dozen)."""
    return [
        entity_ref(r["e"], r["label"], entity_type, r["papers"])
        for r in select(run, "top-entities", type=BASE + entity_type)
    ]


def entities_of_type(run: Run, entity_type: str) -> list[Row]:
    """Every entity of one type, most-named first, with its aliases."""
    out = []
    for r in select(run, "entities-of-type", type=BASE + entity_type):
        ref = entity_ref(r["e"], r["label"], entity_type, r["papers"])
        ref["aliases"] = sorted(a for a in (r["aliases"] or "").split(_SEPARATOR) if a)
        out.append(ref)
    return out


def trends(run: Run, entity_type: str) -> Row:
    """Papers per listing month for the five most-named entities of one type."""
    rows = select(run, "trends", type=BASE + entity_type)
    months = month_range(r["month"] for r in rows)
    series: dict[str, Row] = {}
    for r in rows:
        entry = series.setdefault(
            r["e"],
            {**entity_ref(r["e"], r["label"], entity_type), "counts": dict.fromkeys(months, 0)},
        )
        entry["counts"][r["month"]] = r["papers"]
    lines = sorted(series.values(), key=lambda s: (-sum(s["counts"].values()), s["label"]))
    for line in lines:
        line["papers"] = sum(line["counts"].values())
        line["counts"] = [line["counts"][m] for m in months]
    return {
        "type": entity_type,
        "months": months,
        "month_labels": [month_label(m) for m in months],
        "series": lines,
    }


def search(run: Run, text: str) -> list[Row]:
    """Entities whose name or an alias contains ``text`` (any case), best matches first."""
    text = text.strip()
    if not text:
        return []
    found: dict[str, Row] = {}
    for r in select(run, "search", q=text):
        entry = found.setdefault(r["e"], {**entity_ref(r["e"], r["label"], r["type"], r["papers"])})
        entry.setdefault("matched", [])
        if r["name"] != r["label"] and r["name"] not in entry["matched"]:
            entry["matched"].append(r["name"])
    return list(found.values())


def names_index(run: Run) -> list[Row]:
    """Every entity with its names (the static site's search index)."""
    out = []
    for r in select(run, "names"):
        ref = entity_ref(r["e"], r["label"], r["type"], r["papers"])
        ref["aliases"] = sorted(a for a in (r["aliases"] or "").split(_SEPARATOR) if a)
        out.append(ref)
    return out


def page_resources(run: Run) -> list[tuple[str, str]]:
    """Every paper and entity as ``(iri, type)``: the pages of a static site."""
    return [(r["this"], type_name(r["type"]) or r["type"]) for r in select(run, "pages")]
