"""Extraction's worker processes: results in order, errors and deaths told, stops that never hang.

Every test that could hang if stopping waited on a dead worker runs its body in a thread and
fails after a time limit instead (the limit is only a guard, far above what a run takes).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
import types
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import graph.extract as ex
from graph.errors import WorkerError
from graph.extract.workers import Workers

GUARD = 60.0  # seconds


def square(n: int) -> int:
    time.sleep((n % 3) * 0.002)  # uneven tasks, so workers finish out of order
    return n * n


def fail_on_three(n: int) -> int:
    if n == 3:
        raise ValueError("three is right out")
    return n


def big(n: int) -> bytes:
    return bytes(8_000_000)  # far more than a pipe holds: the worker blocks half-way through


def unpicklable_if_odd(n: int) -> object:
    return (lambda: n) if n % 2 else n


def broken_init() -> None:
    raise RuntimeError("no pipeline here")


def big_broken_init() -> None:
    raise RuntimeError("no pipeline here " + "x" * 200_000)  # more than a pipe holds


def second_breaks() -> None:
    if multiprocessing.current_process().name.endswith("-1"):
        big_broken_init()


class Picky(Exception):
    """Pickles, but does not unpickle: its ``__init__`` wants two arguments, its args are one."""

    def __init__(self, a: int, b: int):
        super().__init__(f"{a}/{b}")


def picky(n: int) -> int:
    raise Picky(n, n)


def within_guard(body: Callable[[], object]) -> object:
    """Run ``body`` in a thread; fail if it has not returned after GUARD seconds."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = body()
        except BaseException as exc:  # handed to the test thread
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(GUARD)
    if thread.is_alive():
        pytest.fail(f"did not return within {GUARD:.0f} s")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome.get("value")


def no_workers_left() -> bool:
    return multiprocessing.active_children() == []


def wait_until_blocked_writing(workers: Workers, n: int = 1) -> None:
    workers.submit(n)
    time.sleep(1.0)  # the 8 MB result is written up to what the pipe holds, then it waits


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 1000), max_size=40), st.integers(1, 3))
def test_results_come_in_submission_order(tasks, jobs):
    got = []
    with Workers(jobs, square) as workers:
        for task in tasks:
            workers.submit(task)
            while workers.pending > 2 * jobs:
                got.append(workers.result())
        while workers.pending:
            got.append(workers.result())
    assert got == [n * n for n in tasks]
    assert no_workers_left()


def test_a_tasks_exception_is_raised_with_the_workers_traceback():
    with (
        pytest.raises(ValueError, match="three is right out") as info,
        Workers(2, fail_on_three) as workers,
    ):
        for n in range(6):
            workers.submit(n)
        while workers.pending:
            workers.result()
    assert "fail_on_three" in str(info.value.__cause__)  # the remote traceback
    assert no_workers_left()


def test_a_result_that_cannot_be_sent_is_an_error_and_the_worker_goes_on():
    with Workers(1, unpicklable_if_odd) as workers:
        workers.submit(1)
        workers.submit(2)
        with pytest.raises(Exception, match="pickle"):
            workers.result()
        assert workers.result() == 2
    assert no_workers_left()


@pytest.mark.parametrize(
    ("initializer", "task", "delay"),
    [
        (broken_init, "y", 0.0),
        (broken_init, "y", 1.0),  # 1 s: the workers have stopped already
        # The worker waits to send its error while the parent sends it a task no one reads.
        (big_broken_init, "y" * 1_000_000, 0.0),
    ],
)
def test_an_initializer_that_fails_is_raised(initializer, task, delay):
    def body() -> None:
        with Workers(2, len, initializer) as workers:
            time.sleep(delay)
            workers.submit(task)
            workers.result()

    with pytest.raises(RuntimeError, match="no pipeline here"):
        within_guard(body)
    assert no_workers_left()


def test_leaving_normally_with_an_idle_worker_whose_initializer_failed():
    def body() -> int:
        with Workers(2, square, second_breaks) as workers:
            workers.submit(3)  # to worker 0, which is fine
            return workers.result()

    assert within_guard(body) == 9
    assert no_workers_left()


def test_an_exception_that_does_not_unpickle_comes_back_as_its_traceback():
    with Workers(1, picky) as workers:
        workers.submit(1)
        workers.submit(2)
        for n in (1, 2):
            with pytest.raises(RuntimeError, match=f"(?s)Picky in a worker.*Picky: {n}/{n}"):
                workers.result()
        assert workers.pending == 0
    assert no_workers_left()


def test_a_worker_killed_half_way_through_a_result_is_an_error_not_a_hang():
    """What hung multiprocessing.Pool under CI: the parent waiting for the rest of a message."""

    def body() -> None:
        with Workers(1, big) as workers:
            wait_until_blocked_writing(workers)
            os.kill(workers.pids[0], signal.SIGKILL)
            workers.result()

    with pytest.raises(WorkerError, match=r"killed by signal 9.*fewer --jobs"):
        within_guard(body)
    assert no_workers_left()


def test_a_worker_stopped_by_sigterm_means_the_build_is_being_stopped():
    def body() -> None:
        with Workers(2, square) as workers:
            workers.submit(1)
            workers.result()
            workers.submit(2)
            os.kill(workers.pids[1], signal.SIGTERM)  # the idle one, which the next task goes to
            workers.submit(3)
            while workers.pending:
                workers.result()

    with pytest.raises(KeyboardInterrupt):
        within_guard(body)
    assert no_workers_left()


def test_stopping_while_workers_are_writing_results_returns_at_once():
    def body() -> None:
        with Workers(2, big) as workers:
            wait_until_blocked_writing(workers)
            workers.submit(2)
            raise KeyboardInterrupt  # Ctrl-C with two results half-written

    with pytest.raises(KeyboardInterrupt):
        within_guard(body)
    assert no_workers_left()


def test_leaving_with_results_untaken_kills_the_workers():
    def body() -> None:
        with Workers(1, big) as workers:
            wait_until_blocked_writing(workers)

    within_guard(body)
    assert no_workers_left()


def test_a_consumer_that_stops_early_leaves_no_workers():
    papers = [
        types.SimpleNamespace(title=f"T{i}", abstract="We fine-tune BERT.") for i in range(50)
    ]

    def body() -> list:
        results = ex.extract_papers(papers, jobs=2, batch_size=2)
        first = [next(results) for _ in range(3)]
        results.close()
        return first

    first = within_guard(body)
    assert [i for i, _ in first] == [0, 1, 2]
    assert no_workers_left()


def test_parallel_extraction_equals_serial():
    papers = [
        types.SimpleNamespace(title=f"Paper {i}", abstract=text)
        for i, text in enumerate(
            [
                "We fine-tune BERT on GLUE and compare with RoBERTa.",
                "We propose FooNet, trained on ImageNet, which outperforms ResNet-50.",
                "We build a Maltese treebank and evaluate mBERT on it.",
                "LoRA adapters for LLaMA-2 reduce memory; we evaluate on MMLU.",
            ]
            * 5
        )
    ]
    serial = list(ex.extract_papers(papers, jobs=1, batch_size=3))
    parallel = list(ex.extract_papers(papers, jobs=3, batch_size=3))
    assert parallel == serial
    assert no_workers_left()
