"""Validate: check a built graph against ontology/shapes.ttl with pyshacl."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib
from pyshacl import validate as shacl_validate
from rdflib.namespace import SH

from graph.ontology import ontology_file
from graph.store import open_graph


@dataclass(frozen=True)
class Violation:
    """One SHACL result: the node, the property path, and what is wrong."""

    focus: str
    path: str
    message: str
    severity: str

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        return f"{self.focus}{where}: {self.message}"


def load_rdflib(graph: str | Path | None) -> rdflib.Graph:
    """Load a built graph (store or RDF file) into an rdflib Graph."""
    store = open_graph(graph)
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    g = rdflib.Graph()
    g.parse(data=data, format="nt")
    return g


def validate_graph(data: rdflib.Graph) -> list[Violation]:
    """Validate an rdflib Graph against the shapes; return the violations (empty when valid)."""
    shapes = rdflib.Graph().parse(ontology_file("shapes.ttl"))
    _, report, _ = shacl_validate(data, shacl_graph=shapes, inference="none", advanced=True)
    violations = []
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        severity = report.value(result, SH.resultSeverity)
        violations.append(
            Violation(
                focus=str(focus),
                path=data.namespace_manager.normalizeUri(path)
                if isinstance(path, rdflib.URIRef)
                else "",
                message=str(message) if message else "does not conform",
                severity=str(severity).rsplit("#", 1)[-1],
            )
        )
    return sorted(violations, key=lambda v: (v.focus, v.path, v.message))


def validate(graph: str | Path | None) -> list[Violation]:
    """Validate a built graph (a build directory, its store, or an RDF file)."""
    return validate_graph(load_rdflib(graph))
