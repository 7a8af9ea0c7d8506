"""Loading the ontology's data: the class/property file, SHACL shapes, SKOS vocabularies, queries.

Vocabularies are parsed with pyoxigraph (thousands of concepts load in well under a second) and
turned into plain :class:`Concept` records the extractor and the resolver use.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from graph.errors import OntologyError
from graph.namespaces import BASE
from graph.records import ENTITY_TYPES
from graph.resources import ontology_dir

SKOS = "http://www.w3.org/2004/02/skos/core#"
OWL = "http://www.w3.org/2002/07/owl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_TRUE = {"true", "1"}
#: The scheme of the other-sense phrases (ontology/vocab/senses.ttl).
SENSES_SCHEME = BASE + "vocab/senses"

#: Prefixes written into every Turtle export (order kept).
PREFIXES: dict[str, str] = {
    "kg": BASE,
    "paper": BASE + "id/paper/",
    "model": BASE + "id/model/",
    "dataset": BASE + "id/dataset/",
    "method": BASE + "id/method/",
    "language": BASE + "id/language/",
    "statement": BASE + "id/statement/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": OWL,
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": SKOS,
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "wd": "http://www.wikidata.org/entity/",
    "lexvo": "http://lexvo.org/id/iso639-3/",
}


@dataclass
class Concept:
    """One SKOS concept of a vocabulary: a known model, dataset, method or language."""

    iri: str
    type: str
    pref_label: str
    alt_labels: list[str] = field(default_factory=list)
    broader: list[str] = field(default_factory=list)
    case_sensitive: bool = False
    needs_context: bool = False
    family: bool = False
    #: Labels with different numbers that name one release ("YOLO9000", "YOLOv2"): kg:sameRelease.
    same_release: bool = False
    group: bool = False
    same_as: list[str] = field(default_factory=list)
    exact_match: list[str] = field(default_factory=list)
    codes: dict[str, str] = field(default_factory=dict)

    @property
    def labels(self) -> list[str]:
        """The preferred label followed by the alternative labels."""
        return [self.pref_label, *self.alt_labels]


@dataclass(frozen=True)
class OtherSense:
    """A phrase in which an ML-looking name means something else ("Otter theorem prover",
    "SOAP note", "Gemini telescope"): a concept of the ``kgv:senses`` scheme."""

    iri: str
    labels: tuple[str, ...]
    case_sensitive: bool = False
    definition: str = ""


@dataclass
class Vocabulary:
    """Every concept of the vocabularies, the stoplist of never-entity words, and the phrases
    that give a name another sense."""

    concepts: dict[str, Concept]
    stoplist: frozenset[str]
    other_senses: tuple[OtherSense, ...] = ()

    def of_type(self, entity_type: str) -> list[Concept]:
        """Return the concepts of one entity type, sorted by IRI."""
        return sorted(
            (c for c in self.concepts.values() if c.type == entity_type), key=lambda c: c.iri
        )


def _value(term: ox.NamedNode | ox.Literal | ox.BlankNode) -> str:
    return term.value


def load_vocabulary_files(paths: Iterable[Path]) -> Vocabulary:
    """Load SKOS vocabulary files (see ontology/vocab/README.md) into a :class:`Vocabulary`.

    Raises:
        OntologyError: if a file does not parse, or a concept lacks a class or a preferred label.
    """
    props: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path in paths:
        try:
            for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
                if isinstance(triple.subject, ox.NamedNode):
                    props[triple.subject.value][triple.predicate.value].append(
                        _value(triple.object)
                    )
        except (SyntaxError, OSError, ValueError) as exc:
            raise OntologyError(
                f"{path}: cannot read vocabulary ({exc}); fix or regenerate it"
            ) from exc
    concepts: dict[str, Concept] = {}
    stop: set[str] = set()
    senses: list[OtherSense] = []
    classes = {BASE + t: t for t in ENTITY_TYPES}
    for iri, p in props.items():
        if SKOS + "Concept" not in p.get(RDF_TYPE, ()):
            continue
        labels = p.get(SKOS + "prefLabel", [])
        schemes = p.get(SKOS + "inScheme", ())
        if any(s.endswith("stoplist") for s in schemes):
            stop.update(labels + p.get(SKOS + "altLabel", []))
            continue
        if SENSES_SCHEME in schemes:
            senses.append(
                OtherSense(
                    iri=iri,
                    labels=tuple(sorted(labels) + sorted(set(p.get(SKOS + "altLabel", [])))),
                    case_sensitive=any(v in _TRUE for v in p.get(BASE + "caseSensitive", ())),
                    definition=next(iter(p.get(SKOS + "definition", [])), ""),
                )
            )
            continue
        cls = next((classes[c] for c in p.get(BASE + "entityClass", ()) if c in classes), None)
        if cls is None or not labels:
            raise OntologyError(
                f"vocabulary concept <{iri}> needs kg:entityClass and skos:prefLabel"
            )
        codes = {k: p[BASE + k][0] for k in ("iso639_1", "iso639_3", "iso639_5") if BASE + k in p}
        concepts[iri] = Concept(
            iri=iri,
            type=cls,
            pref_label=sorted(labels)[0],
            alt_labels=sorted(set(p.get(SKOS + "altLabel", [])) - {sorted(labels)[0]}),
            broader=sorted(p.get(SKOS + "broader", [])),
            case_sensitive=any(v in _TRUE for v in p.get(BASE + "caseSensitive", ())),
            needs_context=any(v in _TRUE for v in p.get(BASE + "needsContext", ())),
            family=any(v in _TRUE for v in p.get(BASE + "familyName", ())),
            same_release=any(v in _TRUE for v in p.get(BASE + "sameRelease", ())),
            group=BASE + "LanguageGroup" in p.get(RDF_TYPE, ()),
            same_as=sorted(p.get(OWL + "sameAs", [])),
            exact_match=sorted(p.get(SKOS + "exactMatch", [])),
            codes=codes,
        )
    return Vocabulary(
        concepts=concepts,
        stoplist=frozenset(stop),
        other_senses=tuple(sorted(senses, key=lambda o: o.iri)),
    )


@functools.lru_cache(maxsize=4)
def load_vocabulary(directory: Path | None = None) -> Vocabulary:
    """Load every ``*.ttl`` vocabulary in ``ontology/vocab`` (or ``directory``), cached."""
    vocab_dir = directory or ontology_dir() / "vocab"
    files = sorted(vocab_dir.glob("*.ttl"))
    if not files:
        raise OntologyError(f"{vocab_dir}: no vocabulary files (*.ttl); reinstall paper-kg")
    return load_vocabulary_files(files)


def ontology_file(name: str) -> Path:
    """Return the path of a file in ontology/ (``kg.ttl``, ``shapes.ttl`` ...).

    Raises:
        OntologyError: if it does not exist.
    """
    path = ontology_dir() / name
    if not path.is_file():
        raise OntologyError(f"{path}: missing; reinstall paper-kg")
    return path


def example_queries() -> dict[str, Path]:
    """Return the example queries of ontology/queries, by name (file stem)."""
    return {p.stem: p for p in sorted((ontology_dir() / "queries").glob("*.rq"))}
