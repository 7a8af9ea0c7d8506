"""Worker processes for extraction: each with pipes of its own, so that giving up never waits.

``multiprocessing.Pool`` shares one task queue and one result queue among its workers, behind
locks, with three handler threads in the parent. A worker killed while it holds a queue's lock
or is half-way through writing a result (Ctrl-C, ``kill``, ``timeout`` signalling the process
group, the kernel's out-of-memory killer) leaves that lock held or that message unfinished, and
``Pool.terminate()`` then waits for ever: for the lock, or, seen under CI, for the rest of a
result no process will write. Here every worker has a task pipe and a result pipe of its own,
the parent does all its reading in the calling thread, and giving up is: kill each worker, reap
it, close its pipes. Nothing is shared, so nothing a dead worker held can block the rest.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import pickle
import queue
import signal
import threading
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from multiprocessing.pool import ExceptionWithTraceback
from types import TracebackType
from typing import Any, Generic, TypeVar

from graph.errors import WorkerError

T = TypeVar("T")
R = TypeVar("R")

# A worker killed by one of these is part of a build being stopped (the signal went to the
# whole process group), not a failure of its own.
_STOP_SIGNALS = frozenset(
    -s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", signal.SIGTERM))
)


def _serve(
    tasks: Connection,
    results: Connection,
    inherited: Sequence[Connection],
    work: Callable[[Any], Any],
    initializer: Callable[..., None] | None,
    initargs: tuple[Any, ...],
) -> None:
    """A worker's life: run ``work`` on each ``(seq, task)`` received until ``None`` or EOF."""
    # Ctrl-C reaches the whole process group: the parent handles it and kills the workers, so
    # a worker ignores it (no traceback per worker) and dies quietly on a SIGTERM.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    for conn in inherited:  # the parent's ends of other workers' pipes, copied by fork
        conn.close()
    # A thread takes tasks off the pipe as they come, so the parent's send never waits on this
    # worker's send of a result (both pipes full would be a deadlock).
    inbox: queue.SimpleQueue[tuple[int, Any] | None] = queue.SimpleQueue()

    def take() -> None:
        while True:
            try:
                item = tasks.recv()
            except (EOFError, OSError):  # the parent is gone
                item = None
            inbox.put(item)
            if item is None:
                return

    taker = threading.Thread(target=take, name="kg-tasks", daemon=True)
    try:
        if initializer is not None:
            initializer(*initargs)
    except BaseException as exc:
        # Tasks are taken while the (perhaps large) error is sent: the parent, sending a task,
        # must not wait on a worker that waits for the parent to read. (Not started before the
        # initializer: started there, forked workers in the CLI tests aborted with a C++
        # std::system_error while they made their pipelines.)
        taker.start()
        _reply(results, (-1, False, _portable(exc)))
        return
    taker.start()
    while (item := inbox.get()) is not None:
        seq, task = item
        try:
            reply = (seq, True, work(task))
        except BaseException as exc:
            reply = (seq, False, _portable(exc))
        if not _reply(results, reply):
            return


def _reply(results: Connection, reply: tuple[int, bool, Any]) -> bool:
    """Send a reply to the parent; False if the parent is gone (nobody to tell).

    A result that cannot be pickled is sent as the error it raised instead (``send`` pickles
    before it writes, so nothing of the first attempt is in the pipe).
    """
    try:
        results.send(reply)
    except OSError:
        return False
    except Exception as exc:
        return _reply(results, (reply[0], False, _portable(exc)))
    return True


@contextlib.contextmanager
def signals_ignored() -> Iterator[None]:
    """Ignore Ctrl-C and SIGTERM for the duration (the build is stopping already).

    Only the main thread can change signal handlers; elsewhere this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            if handler is not None:  # None: a handler not set from Python, nothing to restore
                signal.signal(sig, handler)


def _portable(exc: BaseException) -> BaseException:
    """``exc`` with its traceback as its cause, in a form the parent can unpickle.

    An exception that does not survive a pickle round trip (one whose ``__init__`` wants other
    arguments than its ``args``) goes as a RuntimeError holding its formatted traceback.
    """
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        text = "".join(traceback.format_exception(exc))
        return RuntimeError(f"{type(exc).__name__} in a worker process:\n{text}")
    return ExceptionWithTraceback(exc, exc.__traceback__)  # type: ignore[return-value]


class Workers(Generic[T, R]):
    """``jobs`` processes running ``work`` on the tasks given, results back in submission order.

    Use as a context manager: leaving it normally lets the workers finish and exit; leaving it
    by an exception (Ctrl-C, SIGTERM, an error, a consumer that stops early) kills them.

    Args:
        jobs: How many worker processes.
        work: The function each task goes through (a module-level function: it is pickled
            where processes are spawned rather than forked).
        initializer: Run once in each worker before its first task.
        initargs: Its arguments.
        context: The multiprocessing context (default: fork where there is one, else spawn).
    """

    def __init__(
        self,
        jobs: int,
        work: Callable[[T], R],
        initializer: Callable[..., None] | None = None,
        initargs: tuple[Any, ...] = (),
        context: BaseContext | None = None,
    ) -> None:
        if context is None:
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            context = multiprocessing.get_context(method)
        forked = context.get_start_method() == "fork"
        self._procs: list[multiprocessing.process.BaseProcess] = []
        self._tasks: list[Connection] = []
        self._results: list[Connection] = []
        #: Per worker, the sequence numbers of its tasks not yet answered, oldest first (a
        #: worker answers its tasks in the order it gets them).
        self._queued: list[deque[int]] = []
        self._done: dict[int, tuple[bool, Any]] = {}
        self._sent = 0
        self._taken = 0
        try:
            for i in range(max(jobs, 1)):
                task_r, task_w = context.Pipe(duplex=False)
                result_r, result_w = context.Pipe(duplex=False)
                inherited = [*self._tasks, *self._results, task_w, result_r] if forked else []
                proc = context.Process(  # type: ignore[attr-defined]
                    target=_serve,
                    args=(task_r, result_w, inherited, work, initializer, initargs),
                    name=f"kg-worker-{i}",
                    daemon=True,
                )
                self._tasks.append(task_w)
                self._results.append(result_r)
                self._queued.append(deque())
                try:
                    proc.start()
                finally:
                    task_r.close()  # the worker's ends: it alone holds them, so its death is EOF
                    result_w.close()
                self._procs.append(proc)
        except BaseException:
            self.kill()
            raise

    def __enter__(self) -> Workers[T, R]:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if kind is None and not self.pending:
            self.close()
        else:
            # `timeout` signals the build, then its whole group: a second signal landing here
            # must not cut the killing short.
            with signals_ignored():
                self.kill()

    @property
    def pids(self) -> list[int | None]:
        """The workers' process ids."""
        return [proc.pid for proc in self._procs]

    @property
    def pending(self) -> int:
        """Tasks submitted whose results have not been taken yet."""
        return self._sent - self._taken

    def submit(self, task: T) -> None:
        """Send ``task`` to the worker with the fewest unfinished tasks."""
        i = min(range(len(self._procs)), key=lambda j: len(self._queued[j]))
        try:
            self._tasks[i].send((self._sent, task))
        except OSError:  # its task pipe is broken: the worker is dead
            raise self._died(i) from None
        self._queued[i].append(self._sent)
        self._sent += 1

    def ready(self) -> bool:
        """Whether the next result in submission order has come (waits for no worker: a reply
        already begun is read to its end)."""
        self._receive(timeout=0)
        return self._taken in self._done

    def result(self) -> R:
        """The next result in submission order, waiting for it; a task's exception is raised."""
        if not self.pending:
            raise RuntimeError("no task is pending")
        while self._taken not in self._done:
            self._receive(timeout=None)
        ok, value = self._done.pop(self._taken)
        self._taken += 1
        if not ok:
            raise value
        return value

    def _receive(self, timeout: float | None) -> None:
        """Read one reply from each busy worker that has one, waiting up to ``timeout`` s."""
        busy = [i for i, q in enumerate(self._queued) if q]
        watched = [self._results[i] for i in busy] + [self._procs[i].sentinel for i in busy]
        ready = set(multiprocessing.connection.wait(watched, timeout))
        for i in busy:
            if self._results[i] in ready:
                try:
                    data = self._results[i].recv_bytes()
                except (EOFError, OSError):  # died, perhaps half-way through a message
                    raise self._died(i) from None
                self._take(i, data)
            elif self._procs[i].sentinel in ready:
                raise self._died(i)

    def _take(self, i: int, data: bytes) -> None:
        """Keep worker ``i``'s reply ``data`` as the answer to its oldest task."""
        seq = self._queued[i].popleft() if self._queued[i] else -1
        try:
            sent, ok, value = pickle.loads(data)
        except Exception as exc:  # what the worker sent does not unpickle here
            ok, value, sent = False, WorkerError(f"a reply of worker {i} is unreadable: {exc}"), seq
        if sent < 0:  # its initializer failed, and it stopped: that is the error
            raise value
        self._done[seq] = (ok, value)

    def _died(self, i: int) -> BaseException:
        """The exception for worker ``i``'s death, after taking what it sent before it died."""
        conn = self._results[i]
        try:
            while conn.poll():
                self._take(i, conn.recv_bytes())
        except (EOFError, OSError):  # the rest of a message it did not finish
            pass
        except BaseException as exc:  # its initializer's error
            return exc
        proc = self._procs[i]
        proc.join()
        code = proc.exitcode
        if code in _STOP_SIGNALS:
            return KeyboardInterrupt()  # the build is being stopped with it
        how = f"was killed by signal {-code}" if code and code < 0 else f"exited with {code}"
        return WorkerError(
            f"extraction worker {proc.name} (pid {proc.pid}) {how} before it finished; if the "
            "machine ran out of memory, build again with fewer --jobs"
        )

    def close(self) -> None:
        """Let the workers finish and exit, then reap them (with results untaken: kill them)."""
        if self.pending:
            self.kill()
            return
        for conn in self._tasks:
            with contextlib.suppress(OSError):  # a worker already gone
                conn.send(None)
        # Read each result pipe to its end (the worker's exit): a worker that never had a task
        # may be waiting to send its initializer's error, and would never exit otherwise.
        for conn in self._results:
            with contextlib.suppress(EOFError, OSError):
                while True:
                    conn.recv_bytes()
        for proc in self._procs:
            proc.join()
        self._close_pipes()

    def kill(self) -> None:
        """Kill every worker at once and reap it; never waits on anything a worker holds."""
        for proc in self._procs:
            if proc.exitcode is None:
                with contextlib.suppress(OSError):  # pragma: no cover - gone in between
                    proc.kill()
        for proc in self._procs:
            proc.join()
        self._close_pipes()

    def _close_pipes(self) -> None:
        for conn in (*self._tasks, *self._results):
            conn.close()
        for proc in self._procs:
            proc.close()  # its sentinel's file descriptor
        self._procs = []
        self._tasks, self._results = [], []
        self._done.clear()
