"""Batches: a page's query asked once for every page of the static site.

Asked page by page with ``?this`` bound, the slow per-page queries took most of ``kg site``'s
time, as Oxigraph does not narrow a query by a bound value; asked once with ``?this`` free they
cost little more than one page's (:class:`Batch`). The query text stays the ``.rq`` file's.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from graph.serve.views import SELECT_LIMIT, Row, Run, _select, query_text, select

#: The query NAME.rq's closing ``ORDER BY`` line and optional ``LIMIT`` line.
_TAIL = re.compile(r"\nORDER BY (?P<keys>[^\n]+)(?:\nLIMIT (?P<limit>\d+))?\s*\Z")


@functools.cache
def batch_query(name: str) -> tuple[str, tuple[str, ...], int | None]:
    """``queries/NAME.rq``, a query about one resource ``?this``, asked of every resource at
    once: the same text with ``?this`` left free and ordered by ``?this`` first, then by the
    query's own keys, without its ``LIMIT``.

    Returns:
        The text, the variables of the query's own ``ORDER BY`` keys, and its ``LIMIT``.
    """
    text = query_text(name)
    tail = _TAIL.search(text)
    if tail is None or not re.search(r"^SELECT \?this ", text, re.MULTILINE):
        raise ValueError(f"queries/{name}.rq does not select ?this or end in an ORDER BY line")
    keys = tuple(re.findall(r"\?(\w+)", tail["keys"]))
    limit = int(tail["limit"]) if tail["limit"] else None
    return f"{text[: tail.start()]}\nORDER BY ?this {tail['keys']}\n", keys, limit


class Batch:
    """Per-resource queries answered for every resource at once (the static site's pages).

    ``batch.select(name, iri)`` returns what ``select(run, name, this=iri)`` does. The first
    call for a query named in ``names`` runs :func:`batch_query` once and keeps its rows per
    resource, cut at the query's ``LIMIT``. (Oxigraph does not narrow a query's plan by a
    bound ``?this``: the same query with ``?this`` written in as ``VALUES`` runs 3 to 30
    times faster, and the sample's 855 entity co-mention queries take 8.5 s, the batch 0.4 s.)
    Where two different rows of a resource sort alike on the query's keys, the engine may
    order them otherwise when asked about that resource alone, so that resource's rows come
    from its own query; so do every resource's when the batch outgrew ``max_results``.
    """

    def __init__(self, run: Run, names: Iterable[str], max_results: int = 2_000_000):
        self.run = run
        self.names = frozenset(names)
        self.max_results = max_results
        self._rows: dict[str, dict[str, list[Row] | None] | None] = {}
        #: How many resources' rows came from their own query, per query name.
        self.asked_alone: dict[str, int] = defaultdict(int)

    def select(self, name: str, iri: str) -> list[Row]:
        """The rows of ``queries/NAME.rq`` about ``iri``."""
        if name not in self.names:
            return select(self.run, name, this=iri)
        if name not in self._rows:
            self._rows[name] = self._load(name)
        grouped = self._rows[name]
        rows = grouped.get(iri, []) if grouped is not None else None
        if rows is None:
            self.asked_alone[name] += 1
            return select(self.run, name, this=iri)
        return rows

    def _load(self, name: str) -> dict[str, list[Row] | None] | None:
        text, keys, limit = batch_query(name)
        rows, truncated = _select(self.run, text, {}, self.max_results)
        if truncated:
            return None
        keep = min(limit or SELECT_LIMIT, SELECT_LIMIT)  # as select() cuts one resource's
        grouped: dict[str, list[Row]] = defaultdict(list)
        for r in rows:
            grouped[r["this"]].append(r)
        return {
            iri: None if _ties(found[: keep + 1], keys) else found[:keep]
            for iri, found in grouped.items()
        }


def _ties(rows: list[Row], keys: tuple[str, ...]) -> bool:
    """Whether two different neighbouring rows have the same ORDER BY keys (blank nodes all
    sort alike)."""

    def key(r: Row) -> list[Any]:
        return ["_:" if isinstance(r[k], str) and r[k].startswith("_:") else r[k] for k in keys]

    return any(a != b and key(a) == key(b) for a, b in itertools.pairwise(rows))
