"""paper-kg: a knowledge graph of the models, methods, datasets and languages ML papers name.

``from graph import open_graph`` opens a built graph for notebooks and scripts (see
:mod:`graph.api`); it is imported on first use, so ``import graph`` stays light.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in ("open_graph", "KnowledgeGraph"):
        from graph import api

        return getattr(api, name)
    raise AttributeError(f"module 'graph' has no attribute {name!r}")


__all__ = ["KnowledgeGraph", "__version__", "open_graph"]
