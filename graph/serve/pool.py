"""The query pool: worker processes on one read-only store, killed past the time limit.

Three promises, each kept here:

- **A time limit.** pyoxigraph cannot cancel a query, so each runs in a worker process
  (:mod:`graph.serve.worker`); one past the limit has its worker killed and replaced, and the
  client gets a 503 saying so.
- **Slow queries do not starve short ones.** Besides ``size`` ordinary workers the pool keeps
  ``reserve`` workers that take a query only when every ordinary one is busy, and stop it after
  ``reserve_timeout`` seconds (default 2 s). Two long queries can hold both ordinary workers
  for their full limit; an ASK or a page's query still answers at once on the reserve.
- **One graph at a time.** The workers of a *generation* all opened the same store directory
  (same device and inode). When ``kg build`` swaps a new store in, the pool notices (a stat per
  request, at most every quarter second), starts a whole new generation on it in the
  background and switches over in one step once every new worker is ready; an old worker
  finishing its query then retires. A replacement worker joins its generation only if it
  opened the very directory the others did. So a client never sees answers alternate between
  the old and the new graph: all old, then all new.
"""

from __future__ import annotations

import contextlib
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from graph.errors import KGError
from graph.serve.results import Job, Reply, error_reply

DEFAULT_TIMEOUT = 10.0
DEFAULT_WORKERS = 2
#: Seconds a query may run on a reserve worker (capped at the pool's own time limit).
RESERVE_TIMEOUT = 2.0
_WORKER_START_TIMEOUT = 120.0
#: How often (seconds) the store directory is checked for a rebuild.
_WATCH_INTERVAL = 0.25


def _identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen
    conn: Connection
    reserve: bool
    generation: int
    identity: tuple[int, int] | None = None
    isolated: bool = False


@dataclass(eq=False)
class _Generation:
    number: int
    identity: tuple[int, int] | None
    idle: list[_Worker] = field(default_factory=list)
    idle_reserve: list[_Worker] = field(default_factory=list)


class QueryPool:
    """Worker processes answering queries on one read-only store (see the module docstring).

    Args:
        store_path: An on-disk Oxigraph store.
        prefixes: Prefixes predeclared for every query.
        size: Ordinary worker processes (long queries answered at once).
        timeout: Seconds a query may run; also how long a request waits for a free worker.
        reserve: Reserve workers, kept for short queries while the ordinary ones are busy.
        reserve_timeout: Seconds a query may run on a reserve worker.
        allow_service: Hosts a SPARQL ``SERVICE`` clause may call (default: none, and the
            workers then have no network at all where the kernel allows it).
        watch: Follow rebuilds of ``store_path`` (a new directory renamed into place).

    Raises:
        KGError: if a worker cannot open the store.
    """

    def __init__(
        self,
        store_path: str | Path,
        prefixes: dict[str, str],
        size: int = DEFAULT_WORKERS,
        timeout: float = DEFAULT_TIMEOUT,
        *,
        reserve: int = 1,
        reserve_timeout: float = RESERVE_TIMEOUT,
        allow_service: tuple[str, ...] = (),
        watch: bool = True,
    ):
        self.store_path = str(store_path)
        self.prefixes = dict(prefixes)
        self.size = size
        self.reserve = reserve
        self.timeout = timeout
        self.reserve_timeout = min(reserve_timeout, timeout)
        self.allow_service = tuple(allow_service)
        self.watch = watch
        self.restarts = 0
        self.isolated = False
        self._cond = threading.Condition()
        self._all: list[_Worker] = []
        self._closed = False
        self._reloading = False
        self._next_check = 0.0
        # Workers are started by one long-lived thread: on Linux each worker asks the kernel
        # to kill it when the thread that started it ends (PR_SET_PDEATHSIG follows threads).
        self._spawn_requests: queue.Queue[queue.Queue | None] = queue.Queue()
        self._spawner = threading.Thread(
            target=self._spawn_loop, name="kg-serve-spawner", daemon=True
        )
        self._spawner.start()
        try:
            self._current = self._start_generation(0, _identity(self.store_path))
        except BaseException:
            self.close()
            raise
        self.isolated = all(w.isolated for w in self._members(self._current))

    # ------------------------------------------------------------------ starting workers

    @property
    def generation(self) -> int:
        """The number of the store generation now answering (0, then 1 after a rebuild ...)."""
        return self._current.number

    def _spawn_loop(self) -> None:
        while True:
            box = self._spawn_requests.get()
            if box is None:
                return
            try:
                box.put(self._spawn())
            except BaseException as exc:  # handed to the caller of _start
                box.put(exc)

    def _spawn(self) -> tuple[subprocess.Popen, Connection]:
        """Start a worker: a fresh interpreter talking over a socket pair."""
        parent, child = socket.socketpair()
        env = dict(os.environ)
        package_root = str(Path(__file__).resolve().parent.parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "graph.serve.worker", str(child.fileno())],
                pass_fds=[child.fileno()],
                stdin=subprocess.DEVNULL,
                env=env,
                close_fds=True,
            )
        finally:
            child.close()
        conn = Connection(parent.detach())
        with contextlib.suppress(OSError):  # if it died already, _await_ready reports it
            conn.send((self.store_path, self.prefixes, self.allow_service))
        return process, conn

    def _start(self, reserve: bool, generation: int) -> _Worker:
        if self._closed:
            raise KGError("query worker: the server is shutting down")
        box: queue.Queue = queue.Queue(maxsize=1)
        self._spawn_requests.put(box)
        try:
            result = box.get(timeout=_WORKER_START_TIMEOUT)
        except queue.Empty:
            raise KGError("query worker: did not start in time") from None
        if isinstance(result, BaseException):
            raise result
        process, conn = result
        worker = _Worker(process, conn, reserve, generation)
        with self._cond:
            self._all.append(worker)
        return worker

    def _await_ready(self, worker: _Worker) -> None:
        message: tuple = ("error", "did not start in time")
        try:
            if worker.conn.poll(_WORKER_START_TIMEOUT):
                message = worker.conn.recv()
        except (EOFError, OSError):
            message = ("error", "exited while starting")
        if message[0] != "ready":
            self._kill(worker)
            raise KGError(f"query worker: {message[1]}")
        worker.identity, worker.isolated = message[1], message[2]

    def _start_generation(self, number: int, identity: tuple[int, int] | None) -> _Generation:
        """Start every worker of a generation and wait until all are ready on ``identity``."""
        generation = _Generation(number, identity)
        started = [self._start(False, number) for _ in range(self.size)]
        started += [self._start(True, number) for _ in range(self.reserve)]
        try:
            for worker in started:
                self._await_ready(worker)
                if worker.identity != identity:
                    raise KGError("query worker: the store changed while it opened")
        except BaseException:
            for worker in started:
                self._kill(worker)
            raise
        for worker in started:
            (generation.idle_reserve if worker.reserve else generation.idle).append(worker)
        return generation

    def _members(self, generation: _Generation) -> list[_Worker]:
        with self._cond:
            return [w for w in self._all if w.generation == generation.number]

    # ------------------------------------------------------------------ stopping workers

    def _kill(self, worker: _Worker) -> None:
        if worker.process.poll() is None:
            worker.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            worker.process.wait(5)
        with contextlib.suppress(OSError):
            worker.conn.close()
        with self._cond, contextlib.suppress(ValueError):
            self._all.remove(worker)

    def _retire(self, workers: list[_Worker]) -> None:
        """Ask idle workers of an old generation to quit, in the background."""

        def stop() -> None:
            for worker in workers:
                with contextlib.suppress(OSError, ValueError):
                    worker.conn.send(None)
            for worker in workers:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    worker.process.wait(5)
                self._kill(worker)

        if workers:
            threading.Thread(target=stop, name="kg-serve-retire", daemon=True).start()

    def _release(self, worker: _Worker) -> None:
        with self._cond:
            current = self._current
            if not self._closed and worker.generation == current.number:
                (current.idle_reserve if worker.reserve else current.idle).append(worker)
                self._cond.notify()
                return
        self._retire([worker])

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and start another for its generation, in the background."""
        self._kill(worker)
        self.restarts += 1
        generation = self._current
        if worker.generation != generation.number:
            return

        def restart() -> None:
            try:
                new = self._start(worker.reserve, generation.number)
                self._await_ready(new)
            except KGError as exc:
                if not self._closed:
                    print(f"kg serve: cannot restart a query worker: {exc}", file=sys.stderr)
                return
            with self._cond:
                joined = (
                    not self._closed
                    and self._current is generation
                    and new.identity == generation.identity
                )
                if joined:
                    (generation.idle_reserve if new.reserve else generation.idle).append(new)
                    self._cond.notify()
            if not joined:
                self._kill(new)
                self._next_check = 0.0  # the store moved: look for the new generation now

        threading.Thread(target=restart, name="kg-serve-restart", daemon=True).start()

    # ------------------------------------------------------------------ following rebuilds

    def _check_generation(self) -> None:
        if not self.watch or self._reloading or time.monotonic() < self._next_check:
            return
        self._next_check = time.monotonic() + _WATCH_INTERVAL
        identity = _identity(self.store_path)
        if identity is None or identity == self._current.identity:
            return
        with self._cond:
            if self._reloading or self._closed:
                return
            self._reloading = True
        threading.Thread(
            target=self._reload, args=(identity,), name="kg-serve-reload", daemon=True
        ).start()

    def _reload(self, identity: tuple[int, int]) -> None:
        try:
            new = self._start_generation(self._current.number + 1, identity)
        except KGError as exc:
            if not self._closed:
                print(
                    f"kg serve: the store changed but cannot be opened yet: {exc}", file=sys.stderr
                )
            self._next_check = time.monotonic() + 2.0
            self._reloading = False
            return
        with self._cond:
            if self._closed:
                old_idle = [*new.idle, *new.idle_reserve]
            else:
                old = self._current
                old_idle = [*old.idle, *old.idle_reserve]
                old.idle.clear()
                old.idle_reserve.clear()
                self._current = new
                self._cond.notify_all()
            self._reloading = False
        self._retire(old_idle)

    # ------------------------------------------------------------------ running queries

    def run(self, job: Job) -> Reply:
        """Run a job on a free worker; a 503 reply if none frees up or the query runs too long.

        An ordinary worker is taken if one is free, else a reserve worker (with its shorter
        limit); a request waits at most ``timeout`` seconds for either.
        """
        self._check_generation()
        deadline = time.monotonic() + self.timeout
        with self._cond:
            while True:
                if self._closed:
                    return error_reply(503, "the server is shutting down")
                generation = self._current
                if generation.idle:
                    worker, limit = generation.idle.pop(), self.timeout
                    break
                if generation.idle_reserve:
                    worker, limit = generation.idle_reserve.pop(), self.reserve_timeout
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return error_reply(
                        503,
                        f"all query workers stayed busy for {self.timeout:g} s; try again later",
                    )
                self._cond.wait(remaining)
        try:
            worker.conn.send(job)
            if worker.conn.poll(limit):
                reply = worker.conn.recv()
                self._release(worker)
                return reply
        except (EOFError, OSError, ValueError):
            code = worker.process.poll()
            self._replace(worker)
            return error_reply(
                500,
                f"the query worker stopped unexpectedly (exit status {code}); narrow the query "
                "or try again",
            )
        self._replace(worker)
        if worker.reserve:
            return error_reply(
                503,
                f"every query worker is busy with long queries, and this one ran past the "
                f"{limit:g} s allowed on the worker kept for short queries; try again later, or "
                "add a LIMIT or narrow the patterns",
            )
        return error_reply(
            503,
            f"query exceeded the {limit:g} s time limit and was stopped; add a LIMIT or narrow "
            "the patterns, or start kg serve with a longer --timeout",
        )

    def close(self) -> None:
        """Stop every worker (idle ones are asked to quit; busy ones are killed)."""
        with self._cond:
            self._closed = True
            workers = list(self._all)
            self._cond.notify_all()
        for worker in workers:
            with contextlib.suppress(OSError, ValueError):
                worker.conn.send(None)
        deadline = time.monotonic() + 2
        for worker in workers:
            with contextlib.suppress(subprocess.TimeoutExpired):
                worker.process.wait(max(0.0, deadline - time.monotonic()))
            self._kill(worker)
        self._spawn_requests.put(None)
