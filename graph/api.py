"""The notebook API: a built graph as Python objects.

>>> from graph import open_graph                              # doctest: +SKIP
>>> kg = open_graph("exports")                                # doctest: +SKIP
>>> kg.query("SELECT ?m ?l WHERE { ?m a kg:Model ; rdfs:label ?l } LIMIT 3")  # doctest: +SKIP
>>> kg.rdf                  # an rdflib Graph over the same Oxigraph store   # doctest: +SKIP
>>> g = kg.networkx()       # papers and entities as a networkx.DiGraph      # doctest: +SKIP
>>> net = kg.pyvis(focus="LLaMA"); net.show("llama.html")  # in Jupyter       # doctest: +SKIP

Queries go through :mod:`graph.sparql_guard` (no ``SERVICE`` unless allowed, bounded nesting)
with the project's prefixes predeclared, and so do SPARQL queries made through ``kg.rdf``.
The store is opened read-only.
"""

from __future__ import annotations

import datetime
import functools
import html
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from graph.errors import QueryError
from graph.namespaces import BASE
from graph.ontology import PREFIXES
from graph.sparql_guard import UnsafeQueryError, check_query

if TYPE_CHECKING:  # imported when used: rdflib, networkx and pyvis take a while to load
    import networkx as nx
    import rdflib
    from pyvis.network import Network

_XSD = "http://www.w3.org/2001/XMLSchema#"
_LINKS = "kg:mentionsModel kg:usesDataset kg:usesMethod kg:mentionsLanguage kg:proposes"


def python_value(term: Any) -> Any:
    """A pyoxigraph term as a plain Python value: IRIs as str, typed literals as int, float,
    bool or datetime.date where they parse, other literals as str, blank nodes as ``_:id``."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        try:
            if datatype in (_XSD + "integer", _XSD + "int", _XSD + "long"):
                return int(term.value)
            if datatype in (_XSD + "decimal", _XSD + "double", _XSD + "float"):
                return float(term.value)
            if datatype == _XSD + "boolean":
                return term.value in ("true", "1")
            if datatype == _XSD + "date":
                return datetime.date.fromisoformat(term.value)
        except ValueError:
            return term.value
        return term.value
    return str(term)


def _term(value: Any) -> Any:
    """A value to bind: pyoxigraph terms as they are; rdflib URIRefs as IRIs; the rest as
    literals (``42`` as an xsd:integer)."""
    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    kind = type(value).__name__
    if kind == "URIRef":
        return ox.NamedNode(str(value))
    if isinstance(value, bool):
        return ox.Literal(str(value).lower(), datatype=ox.NamedNode(_XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(_XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(_XSD + "double"))
    return ox.Literal(str(value))


@dataclass
class QueryResult:
    """What :meth:`KnowledgeGraph.query` returns.

    SELECT: ``variables`` and ``rows`` (tuples of plain values, see :func:`python_value`);
    iterate it for the rows. ASK: ``boolean``. CONSTRUCT/DESCRIBE: ``triples`` (pyoxigraph
    triples) and :meth:`graph` for an rdflib Graph of them. Shown as a table in Jupyter.
    """

    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] | None = None

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows) if self.triples is None else len(self.triples)

    def __bool__(self) -> bool:
        return bool(self.boolean) if self.boolean is not None else len(self) > 0

    def dicts(self) -> list[dict[str, Any]]:
        """The rows as dicts keyed by variable name."""
        return [dict(zip(self.variables, row, strict=True)) for row in self.rows]

    def to_dataframe(self) -> Any:
        """The rows as a pandas DataFrame (needs pandas, which paper-kg does not install)."""
        import pandas as pd

        return pd.DataFrame(self.rows, columns=self.variables)

    def graph(self) -> rdflib.Graph:
        """CONSTRUCT/DESCRIBE triples as an rdflib Graph."""
        import rdflib

        out = rdflib.Graph()
        for prefix, namespace in PREFIXES.items():
            out.bind(prefix, namespace)
        data = ox.serialize(self.triples or [], format=ox.RdfFormat.N_TRIPLES)
        out.parse(data=data.decode("utf-8"), format="nt")
        return out

    def _repr_html_(self) -> str:
        if self.boolean is not None:
            return f"<p>ASK: {str(self.boolean).lower()}</p>"
        if self.triples is not None:
            return f"<p>{len(self.triples)} triples</p>"
        head = "".join(f"<th>{html.escape(v)}</th>" for v in self.variables)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape('' if c is None else str(c))}</td>" for c in r)
            + "</tr>"
            for r in self.rows[:200]
        )  # fmt: skip
        more = f"<p>… {len(self.rows) - 200} more rows</p>" if len(self.rows) > 200 else ""
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"


class KnowledgeGraph:
    """A built graph opened for reading (see :func:`open_graph`)."""

    def __init__(self, store: ox.Store, path: Path, allow_service: Collection[str] = ()):
        self.store = store
        self.path = path
        self.allow_service = tuple(allow_service)

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {self.path}>"

    def _check(self, sparql: str) -> None:
        try:
            check_query(sparql, allow_service=self.allow_service, prefixes=PREFIXES)
        except UnsafeQueryError:
            raise
        except QueryError as exc:  # pragma: no cover - check_query raises only the above
            raise UnsafeQueryError(str(exc)) from exc

    def query(self, sparql: str, **params: Any) -> QueryResult:
        """Run a SPARQL SELECT, ASK, CONSTRUCT or DESCRIBE query.

        The project's prefixes (``kg:``, ``model:``, ``rdfs:`` ...) are predeclared. Keyword
        arguments bind variables to values before the query runs (never spliced into its
        text): ``kg.query("SELECT ?l WHERE { ?m rdfs:label ?l }", m=URIRef(...))``; a
        bound variable must be one the query selects.

        Raises:
            UnsafeQueryError: for a ``SERVICE`` clause or a query nested too deeply.
            QueryError: if the query does not parse or fails.
        """
        self._check(sparql)
        substitutions = {ox.Variable(k): _term(v) for k, v in params.items()}
        try:
            result = self.store.query(
                sparql, prefixes=PREFIXES, substitutions=substitutions or None
            )
        except SyntaxError as exc:
            raise QueryError(f"invalid SPARQL: {exc}".replace("\n", " ")) from exc
        except (OSError, ValueError) as exc:
            raise QueryError(f"query failed: {exc}") from exc
        if isinstance(result, ox.QueryBoolean):
            return QueryResult(boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = [tuple(python_value(s[v]) for v in variables) for s in result]
            return QueryResult(variables, rows)
        return QueryResult(triples=list(result))

    @functools.cached_property
    def rdf(self) -> rdflib.Graph:
        """The graph as an ``rdflib.Graph`` over the same Oxigraph store (through oxrdflib):
        rdflib's API, Oxigraph's speed. Read-only; its SPARQL queries are guarded too."""
        import rdflib
        from oxrdflib import OxigraphStore
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

        guard = self._check

        class GuardedStore(OxigraphStore):
            def query(self, query: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
                if isinstance(query, str):
                    guard(query)
                return super().query(query, *args, **kwargs)

        graph = rdflib.Graph(
            store=GuardedStore(store=self.store), identifier=DATASET_DEFAULT_GRAPH_ID
        )
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace, override=True)
        return graph

    def networkx(self) -> nx.DiGraph:
        """Papers and entities as a ``networkx.DiGraph``, in the shape of the build's GraphML.

        Nodes are keyed by IRI with ``kind`` (Paper, Model, Dataset, Method, Language) and
        ``label``; papers also ``title``, ``date``, ``arxiv``, ``url``, ``abstract``; entities
        ``aliases`` (" | "-joined), ``papers``, ``evidence`` (a sentence), ``group``, ``codes``,
        ``relations``. Edges carry ``predicate`` (``mentionsModel`` ... ``proposes``,
        ``variantOf``, or a relation type such as ``basedOn``); paper links also ``rule`` and
        ``confidence`` (of their most confident evidence).
        """
        return projection(self.store)

    def pyvis(
        self,
        *,
        focus: str | None = None,
        depth: int = 2,
        top: int | None = 150,
        max_nodes: int = 1500,
        notebook: bool = True,
        height: str = "720px",
        **network_options: Any,
    ) -> Network:
        """A ``pyvis.network.Network`` of the graph, ready for ``.show("x.html")`` in Jupyter.

        What is shown, the colours, shapes, sizes and positions are those of ``kg view``
        (:func:`graph.export.html.select_view` and its layout): the most-linked ``top``
        entities and their papers, or the neighbourhood of ``focus``, at most ``max_nodes``.
        Positions are computed here and physics is off, so the network is still at once.

        Why two writers: this method gives notebook users pyvis's own object, to restyle,
        extend (``net.add_node``), ``show()`` or ``save_graph()``. ``kg build`` and ``kg view``
        keep their own self-contained page (:mod:`graph.export.html`), because a pyvis page
        fetches Bootstrap from a CDN even with ``cdn_resources="in_line"`` (and with
        ``"local"`` fetches vis-network and copies a ``lib/`` folder into the working
        directory), has no search, legend or type toggles, and shows text in tooltips as
        markup. Nodes and edges are filled in directly rather than through ``add_edge``,
        which scans every edge so far for each new one (20,000 nodes: 38 s against 0.07 s).

        Args:
            focus: An entity's label, alias or IRI to centre on.
            depth: Hops around ``focus``.
            top: Most-linked entities shown without ``focus`` (None: all).
            max_nodes: Most nodes shown.
            notebook: Make the network for a Jupyter notebook (``show()`` returns an IFrame).
            height: The canvas height.
            network_options: More ``pyvis.network.Network`` arguments.
        """
        from pyvis.network import Network

        from graph.export.html import page_data, select_view

        view = select_view(self.networkx(), top=top, focus=focus, depth=depth, max_nodes=max_nodes)
        data = page_data(view)
        options = {"cdn_resources": "in_line", "directed": True, **network_options}
        net = Network(height=height, width="100%", notebook=notebook, **options)
        colours = {k["kind"]: (k["color"], k["shape"]) for k in data["kinds"]}
        iris = {}
        for node in data["nodes"]:
            colour, shape = colours.get(node["kind"], ("#7F7F7F", "dot"))
            iris[node["id"]] = node["iri"]
            tip = [node["label"], node["kind"]]
            if node.get("papers") is not None:
                tip.append(f"{node['papers']} papers")
            if node.get("aliases"):
                tip.append("also: " + ", ".join(node["aliases"]))
            item = {
                "id": node["iri"],
                "label": node["label"] if node["kind"] != "Paper" else "",
                "title": "\n".join(tip),  # vis-network 9 shows a string title as text
                "shape": shape,
                "color": colour,
                "size": node["size"],
                "x": node["x"],
                "y": node["y"],
                "kind": node["kind"],
            }
            net.nodes.append(item)
            net.node_ids.append(item["id"])
            net.node_map[item["id"]] = item
        for source, target, predicate in data["edges"]:
            edge = {"from": iris[source], "to": iris[target], "title": predicate}
            if predicate == "variantOf":
                edge["dashes"] = True
            if net.directed:
                edge["arrows"] = "to"
            net.edges.append(edge)
        net.toggle_physics(False)
        net.heading = ""
        return net

    def entity(self, name: str) -> dict[str, Any]:
        """What the entity page of one entity shows (label, aliases, family, papers ...), as
        a dict, for a name, alias or IRI.

        Raises:
            QueryError: when no entity has that name.
        """
        from graph.serve import pagedata, views
        from graph.serve.results import execute

        def run(job: Any) -> Any:
            return execute(self.store, job, PREFIXES)

        iri = name if name.startswith(BASE) else None
        if iri is None:
            found = views.search(run, name)
            exact = [e for e in found if e["label"].lower() == name.lower().strip()]
            matches = exact or [e for e in found if name.lower() in map(str.lower, e["matched"])]
            if not (matches or found):
                raise QueryError(f"no entity is named {name!r}; try kg.query or a shorter name")
            iri = (matches or found)[0]["iri"]
        types = views.resource_types(run, iri)
        if not types:
            raise QueryError(f"the graph holds nothing about <{iri}>")
        return pagedata.entity_page(run, iri, types)


def projection(store: ox.Store) -> nx.DiGraph:
    """Papers and entities of a store as a ``networkx.DiGraph`` (see
    :meth:`KnowledgeGraph.networkx`): the projection ``kg view`` draws from any graph."""
    from graph.export.projection import networkx_from_store

    return networkx_from_store(store)


def open_graph(
    graph: str | Path | None = None, *, allow_service: Collection[str] = ()
) -> KnowledgeGraph:
    """Open a built graph for use from Python (a notebook, a script).

    Args:
        graph: A build directory (default ``exports/``), its ``store/``, or an RDF file
            (.ttl, .nt, .jsonld: loaded into memory).
        allow_service: Hosts SPARQL ``SERVICE`` clauses may call (default none).

    Returns:
        A :class:`KnowledgeGraph`: ``.query()``, ``.rdf``, ``.networkx()``, ``.pyvis()``,
        ``.entity()``.

    Raises:
        GraphNotFoundError: when there is no graph there.
        InputError: when an RDF file does not parse.
    """
    from graph.store import open_graph as open_store
    from graph.store import resolve_graph_path

    path = resolve_graph_path(graph)
    return KnowledgeGraph(open_store(path), path, allow_service)


__all__ = [
    "KnowledgeGraph",
    "QueryResult",
    "open_graph",
    "projection",
    "python_value",
]
