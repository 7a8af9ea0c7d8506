"""Extraction on a Dask cluster, for corpora past one machine.

Partitions of raw text go to the workers; each worker builds the spaCy pipeline once and sends
back only the small :class:`~graph.records.Extraction` records. Every worker needs paper-kg
installed (the same version as the client).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from graph.errors import KGError
from graph.ontology import Vocabulary
from graph.records import Extraction, Paper

_NLP = None


def _extract_partition(items: list[tuple[int, str, str]]) -> list[tuple[int, Extraction]]:
    """Run on a worker: extract a partition of (index, title, abstract)."""
    global _NLP
    from graph.extract import extract_batch, make_pipeline

    if _NLP is None:
        _NLP = make_pipeline(lexical_attributes=False)
    return extract_batch(_NLP, items)


def extract_papers_dask(
    papers: Sequence[Paper],
    *,
    scheduler: str | None = None,
    vocabulary: Vocabulary | None = None,
    partition_size: int = 2000,
) -> Iterator[tuple[int, Extraction]]:
    """Extract from papers on a Dask cluster, yielding ``(index, extraction)``.

    Args:
        papers: The papers.
        scheduler: A scheduler address (``tcp://host:8786``); None starts a ``LocalCluster``.
        vocabulary: Unused on workers, which load the vocabularies shipped with their install;
            accepted so the signature matches the local engine.
        partition_size: Papers per task.

    Raises:
        KGError: if dask.distributed is not installed or the scheduler cannot be reached.
    """
    try:
        import dask.bag as db
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise KGError(
            "--engine dask needs dask[distributed]: pip install 'paper-kg[dask]'"
        ) from exc
    items = [(i, p.title, p.abstract) for i, p in enumerate(papers)]
    if not items:
        return
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="30s")
        else:
            cluster = LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
            )
            client = Client(cluster)
    except OSError as exc:
        raise KGError(f"cannot reach the Dask scheduler at {scheduler} ({exc})") from exc
    try:
        npartitions = max(1, -(-len(items) // partition_size))
        bag = db.from_sequence(items, npartitions=npartitions)
        results = bag.map_partitions(_extract_partition).compute(scheduler=client.get)
        yield from results
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
