"""Export: write a built graph as Turtle, N-Triples, JSON-LD, GraphML and interactive HTML.

Every writer writes to a temporary file beside the target and renames it into place, so an
interrupted export never leaves a half-written file.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from graph.errors import OutputError
from graph.ontology import PREFIXES

#: Export formats `kg build --formats` knows, and their file names.
FORMATS: dict[str, str] = {
    "ttl": "graph.ttl",
    "nt": "graph.nt",
    "jsonld": "graph.jsonld",
    "graphml": "graph.graphml",
    "html": "graph.html",
}
DEFAULT_FORMATS = ("ttl", "html", "graphml")


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success rename it to ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_rdf(store: ox.Store, target: Path, fmt: str) -> None:
    """Write the store's default graph as Turtle (``ttl``), N-Triples (``nt``) or JSON-LD.

    Output is deterministic: the same triples always give the same bytes. JSON-LD is compacted
    with the context in ontology/context.jsonld ("title", "label", "mentionsModel" ...).
    """
    formats = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES}
    try:
        with atomic_path(target) as tmp:
            if fmt == "jsonld":
                tmp.write_text(jsonld(store), encoding="utf-8")
            else:
                store.dump(
                    str(tmp),
                    formats[fmt],
                    from_graph=ox.DefaultGraph(),
                    prefixes=PREFIXES if fmt != "nt" else None,
                )
    except OSError as exc:
        raise OutputError(f"{target}: cannot write ({exc})") from exc


def write_turtle(chunks: Iterable[bytes], target: Path, header: bytes) -> None:
    """Write Turtle statements, chunk by chunk, after their ``@prefix`` header.

    Args:
        chunks: Turtle statements without prefix lines (see :func:`graph.build.turtle`); all
            of them are read.
        target: The file to write (atomically).
        header: The ``@prefix`` lines.

    Raises:
        OutputError: if the file cannot be written.
    """
    try:
        with atomic_path(target) as tmp, open(tmp, "wb") as f:
            f.write(header)
            for chunk in chunks:
                f.write(chunk)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write ({exc})") from exc


def jsonld(store: ox.Store) -> str:
    """The store's default graph as compacted JSON-LD, sorted so equal graphs give equal text."""
    import rdflib

    from graph.ontology import ontology_file

    context = json.loads(ontology_file("context.jsonld").read_text(encoding="utf-8"))["@context"]
    graph = rdflib.Graph()
    graph.parse(
        data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()).decode(),
        format="nt",
    )
    data = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    if "@graph" in data:
        nodes = data["@graph"]
    else:  # a single node comes back as the document itself, beside the context
        node = {k: v for k, v in data.items() if k != "@context"}
        nodes = [node] if node else []
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda v: json.dumps(v, sort_keys=True))
    nodes.sort(key=lambda n: n.get("id", ""))
    document = {"@context": context, "@graph": nodes}
    return json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


#: Node attributes the HTML view uses but GraphML leaves out (the abstracts would double the
#: file at 100,000 papers; the RDF exports carry them).
GRAPHML_SKIPS = ("abstract",)


def write_graphml(graph: nx.DiGraph, target: Path) -> None:
    """Write the NetworkX projection as GraphML (for Gephi, Cytoscape, yEd), without the
    attributes in :data:`GRAPHML_SKIPS`."""
    held = {
        (n, key): data.pop(key)
        for n, data in graph.nodes(data=True)
        for key in GRAPHML_SKIPS
        if key in data
    }
    try:
        with atomic_path(target) as tmp:
            nx.write_graphml_lxml(graph, str(tmp))
    finally:  # the caller's graph is given back as it was
        for (n, key), value in held.items():
            graph.nodes[n][key] = value
