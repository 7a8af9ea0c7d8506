"""Store: the embedded Oxigraph store `kg build` writes to DIR/store, and opening built graphs.

`kg query`, `kg stats` and `kg serve` read the store without re-parsing Turtle; they also accept
a Turtle/N-Triples/JSON-LD file, which is loaded into an in-memory store.
"""

from __future__ import annotations

import collections
import shutil
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from graph.errors import GraphNotFoundError, InputError

STORE_DIR = "store"
_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
}
#: About how much RDF text is bulk-loaded at a time. Oxigraph's loader holds several times a
#: chunk's size while it loads it: 16 MiB chunks took about 240 MiB with two loader threads,
#: 4 MiB chunks about 120, in the same time.
CHUNK_BYTES = 4 * 1024 * 1024


def write_store(
    path: Path,
    chunks: Iterable[bytes],
    *,
    fmt: ox.RdfFormat = ox.RdfFormat.TURTLE,
    header: bytes = b"",
    consume: Callable[[Iterator[bytes]], object] | None = None,
    threads: int = 2,
) -> ox.Store:
    """Create an on-disk store at ``path`` and bulk-load RDF text into it, chunk by chunk.

    Args:
        path: A directory that must not exist yet.
        chunks: RDF text in ``fmt``, in chunks of whole statements (see :func:`chunked`).
        fmt: The RDF format of the chunks.
        header: Put in front of every chunk before loading it (Turtle ``@prefix`` lines).
        consume: Reads the same chunks as they go to the store (to write an export in the
            same pass); it must read them all.
        threads: Chunks loaded at once.

    Returns:
        The open, writable store.
    """
    store = ox.Store(str(path))
    # Oxigraph's loader releases the GIL, and loads of separate chunks may run at once: loader
    # threads load the last chunks while this one formats the next (and ``consume`` writes it
    # out); at most ``threads + 1`` chunks are in memory at a time.
    with ThreadPoolExecutor(threads, thread_name_prefix="kg-load") as loader:
        pending: collections.deque[Future] = collections.deque()

        def passing() -> Iterator[bytes]:
            for chunk in chunks:
                while len(pending) >= threads:
                    pending.popleft().result()
                pending.append(loader.submit(store.bulk_load, header + chunk, format=fmt))
                yield chunk

        if consume is None:
            collections.deque(passing(), maxlen=0)
        else:
            consume(passing())
        while pending:
            pending.popleft().result()
    store.flush()
    return store


def chunked(statements: Iterable[str], size: int = CHUNK_BYTES) -> Iterator[bytes]:
    """Group RDF statements (each ending in a newline) into UTF-8 chunks of about ``size``."""
    buffer: list[str] = []
    length = 0
    for statement in statements:
        buffer.append(statement)
        length += len(statement)
        if length >= size:
            yield "".join(buffer).encode("utf-8")
            buffer, length = [], 0
    if buffer:
        yield "".join(buffer).encode("utf-8")


def replace_dir(new: Path, target: Path) -> None:
    """Move directory ``new`` to ``target``, replacing what was there as atomically as a
    directory can be (rename the old one aside, rename the new one in, delete the old one)."""
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    new.rename(target)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def recover_dir(target: Path) -> None:
    """Undo a :func:`replace_dir` cut short between its two renames (a kill, a power cut).

    If ``target`` is missing but its renamed-aside copy exists, the copy is put back.
    """
    old = target.with_name(f".{target.name}.old")
    if not target.exists() and old.is_dir():
        old.rename(target)


def resolve_graph_path(graph: str | Path | None) -> Path:
    """Find the built graph a command should read.

    Accepts a build directory (holding ``store/`` or ``graph.ttl``), a store directory, or an
    RDF file. None means ``exports/``.

    Raises:
        GraphNotFoundError: if nothing readable is there.
    """
    path = Path(graph) if graph is not None else Path("exports")
    if path.is_dir():
        recover_dir(path / STORE_DIR)
        for candidate in (path / STORE_DIR, path):
            if _is_store(candidate):
                return candidate
        if (path / "graph.ttl").is_file():
            return path / "graph.ttl"
        raise GraphNotFoundError(
            f"{path}: no built graph here (no {STORE_DIR}/ or graph.ttl); run `kg build` first "
            "or name another build directory or RDF file"
        )
    if path.is_file():
        return path
    raise GraphNotFoundError(
        f"{path}: no such graph; run `kg build` first or name another build directory or RDF file"
    )


def _is_store(path: Path) -> bool:
    return (
        path.is_dir()
        and any(path.glob("CURRENT"))
        and any(path.glob("*.sst")) | any(path.glob("MANIFEST-*"))
    )


def open_graph(graph: str | Path | None) -> ox.Store:
    """Open a built graph for reading: the on-disk store, or an RDF file loaded in memory.

    Raises:
        GraphNotFoundError: if there is no graph.
        InputError: if an RDF file does not parse.
    """
    path = resolve_graph_path(graph)
    if path.is_dir():
        try:
            return ox.Store.read_only(str(path))
        except OSError as exc:
            raise GraphNotFoundError(f"{path}: cannot open the store ({exc})") from exc
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(
            f"unknown RDF file type {path.suffix!r}; use .ttl, .nt or .jsonld", path=path
        )
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt)
    except SyntaxError as exc:
        raise InputError(f"does not parse as {fmt.name}: {exc}", path=path) from exc
    return store
