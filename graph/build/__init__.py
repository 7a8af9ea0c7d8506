"""Build: records -> RDF triples (streamed as N-Triples lines), an rdflib Graph, a NetworkX graph.

The triples follow the RDF contract in the README: papers, entities, one direct link per
(paper, entity) pair, one ``kg:evidence`` literal on the paper per surface form (a
``kg:evidenceRecord``, see :func:`mention_record`), and for the relations between entities the
plain triple plus a ``kg:Statement`` per (paper, subject, predicate, object) with one
``kg:evidence`` literal of its own (:func:`statement_record`). They are produced as N-Triples
lines so the store can bulk-load them without building Python term objects.

The modules: :mod:`.terms` (how IRIs and literals are written in N-Triples and Turtle),
:mod:`.evidence` (evidence records), :mod:`.triples` (the triples, N-Triples lines, Turtle
blocks, an rdflib Graph), :mod:`.network` (the NetworkX projection). Every name is importable
from here.
"""

from __future__ import annotations

from graph.build.evidence import EVIDENCE as EVIDENCE
from graph.build.evidence import EVIDENCE_RECORD as EVIDENCE_RECORD
from graph.build.evidence import EvidenceRecord as EvidenceRecord
from graph.build.evidence import mention_record as mention_record
from graph.build.evidence import parse_record as parse_record
from graph.build.evidence import statement_record as statement_record
from graph.build.network import RELATIONS_PER_ENTITY as RELATIONS_PER_ENTITY
from graph.build.network import add_relation_edges as add_relation_edges
from graph.build.network import to_networkx as to_networkx
from graph.build.terms import DCTERMS as DCTERMS
from graph.build.terms import OWL_SAME_AS as OWL_SAME_AS
from graph.build.terms import RDF as RDF
from graph.build.terms import RDF_TYPE as RDF_TYPE
from graph.build.terms import RDFS_LABEL as RDFS_LABEL
from graph.build.terms import SCHEMA as SCHEMA
from graph.build.terms import SKOS_ALT as SKOS_ALT
from graph.build.terms import XSD as XSD
from graph.build.terms import NTriplesTerms as NTriplesTerms
from graph.build.terms import Terms as Terms
from graph.build.terms import TurtleTerms as TurtleTerms
from graph.build.terms import iri as iri
from graph.build.terms import literal as literal
from graph.build.triples import entity_triples as entity_triples
from graph.build.triples import link_triples as link_triples
from graph.build.triples import ntriples as ntriples
from graph.build.triples import paper_triples as paper_triples
from graph.build.triples import statement_triples as statement_triples
from graph.build.triples import to_rdflib as to_rdflib
from graph.build.triples import triples as triples
from graph.build.triples import turtle as turtle
from graph.build.triples import turtle_papers as turtle_papers
