"""Serve: a built graph over HTTP, as linked data for people and machines.

``kg serve`` answers SPARQL 1.1 Protocol queries at ``/sparql``, dereferences every IRI of the
graph's namespace (``/id/model/llama-2`` gives a page to a browser and Turtle, N-Triples or
JSON-LD to an RDF client), and serves entity and paper pages, a home page with search and
trends, the query page and the graph view. ``kg site`` writes the same pages as static files.

One job per module:

- :mod:`graph.sparql_protocol` (beside this package) reads protocol requests and negotiates
  formats; :mod:`graph.sparql_guard` refuses federated and stack-crashing queries;
- :mod:`.results` runs one query and writes its result document (what a worker does);
- :mod:`.worker` is the worker process, :mod:`.pool` the pool of them (time limits, a reserve
  for short queries, rebuilds followed without mixing graphs);
- :mod:`.views` are small functions over one SPARQL query each (``queries/*.rq``),
  :mod:`.pagedata` composes them into each page's data (its ``.json`` twin);
  :mod:`.charts` draws the charts as inline SVG; :mod:`.pages` renders the data with the
  Jinja2 templates in ``templates/``;
- :mod:`.app` is the Starlette application (routes, content negotiation), :mod:`.guard` the
  security checks in front of it, :mod:`.server` runs it under uvicorn; :mod:`.site` writes
  the static site.

Names are imported lazily, so a worker process (``python -m graph.serve.worker``) loads
neither Starlette nor Jinja2 nor matplotlib.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Job": "results",
    "Reply": "results",
    "execute": "results",
    "QueryPool": "pool",
    "DEFAULT_TIMEOUT": "pool",
    "DEFAULT_WORKERS": "pool",
    "DEFAULT_MAX_RESULTS": "results",
    "DEFAULT_HOST": "server",
    "DEFAULT_PORT": "server",
    "KGServer": "server",
    "is_loopback": "server",
    "make_server": "server",
    "serve": "server",
    "build_app": "app",
    "write_site": "site",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'graph.serve' has no attribute {name!r}")
    return getattr(importlib.import_module(f"graph.serve.{module}"), name)


__all__ = sorted(_EXPORTS)
