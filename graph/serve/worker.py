"""A query worker process: one read-only store, one query at a time, killable from outside.

pyoxigraph cannot cancel a running query, so :class:`graph.serve.pool.QueryPool` runs queries
in worker processes like this one and kills a worker whose query runs past the time limit.
The worker is a fresh interpreter (``python -m graph.serve.worker FD``), not a fork of the
threaded server, and talks to the server over an inherited socket.

Before it opens the store, a worker that may not federate moves itself into a network
namespace of its own (Linux ``unshare(CLONE_NEWNET)``, where permitted): it then has no
network at all, so even a query that slipped past :mod:`graph.sparql_guard` could not reach
another host. Where the kernel refuses, the guard alone stands.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
from multiprocessing.connection import Connection

import pyoxigraph as ox

from graph.serve.results import error_reply, execute

_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000
_PR_SET_PDEATHSIG = 1


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover - no C library to load
        return None


def isolate_network() -> bool:
    """Move this (single-threaded) process into an empty network namespace.

    Returns:
        Whether it worked: the process can then open no connection to any host, loopback
        included (sockets it already holds keep working).
    """
    libc = _libc()
    if libc is None:
        return False
    for flags in (_CLONE_NEWNET, _CLONE_NEWUSER | _CLONE_NEWNET):
        with contextlib.suppress(AttributeError, OSError):
            if libc.unshare(flags) == 0:
                return True
    return False


def _die_with_parent() -> None:
    """On Linux, have the kernel kill this worker when the thread that started it ends."""
    libc = _libc()
    if libc is not None:
        with contextlib.suppress(AttributeError, OSError):
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def main(fd: int) -> None:  # pragma: no cover - runs in the worker process
    """Read the start-up message, open the store read-only, then answer jobs until told to
    stop (``None``) or the server goes away.

    The start-up message is ``(store_path, prefixes, allow_service)``; the worker answers
    ``("ready", identity, isolated)`` where ``identity`` is the store directory's (device,
    inode) before and after opening it (None if it changed meanwhile), or ``("error", text)``.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's business
    _die_with_parent()
    conn = Connection(fd)
    try:
        store_path, prefixes, allow_service = conn.recv()
        isolated = False if allow_service else isolate_network()
        before = _identity(store_path)
        store = ox.Store.read_only(store_path)
        identity = before if _identity(store_path) == before else None
    except (EOFError, OSError, ValueError) as exc:
        with contextlib.suppress(OSError):
            conn.send(("error", f"cannot open the store ({exc})"))
        return
    conn.send(("ready", identity, isolated))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            reply = execute(store, job, prefixes, allow_service=allow_service)
        except Exception as exc:
            reply = error_reply(500, f"query failed: {exc}")
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


if __name__ == "__main__":  # pragma: no cover
    main(int(sys.argv[1]))
