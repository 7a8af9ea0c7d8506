#!/usr/bin/env python3
"""Benchmark `kg build --update`: a build of N papers, then an update that adds M more.

The papers are the honest corpus of ``bench_build.py`` (distinct real abstracts, then replicas
with renamed names): the first N make the first build, the next M the update's new listings.
Both builds run in a child process; prints each one's wall time, CPU time and the peak RSS of
its main process and of all its processes at once (polled with psutil), and whether the update's
graph.ttl is byte-identical to a full build of all N + M papers (``--check``, a third build).

    python benchmarks/bench_update.py --papers 100000 --new 1000
    python benchmarks/bench_update.py --papers 20000 --new 500 --check

Run it with each version of ``graph`` on ``PYTHONPATH`` to compare them; the update reads the
first build's state, so its memory is what an update of a large build needs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import make_corpus, run_kg


def run(args: list[str]) -> dict:
    """:func:`run_kg`'s figures, with the peak RSS of the main process and of all at once."""
    r = run_kg(args)
    poller = r.pop("poller")
    return {**r, "main": poller.peaks.get(poller.root, 0), "all": poller.total_peak}


def split_corpus(corpus: Path, first: Path, rest: Path, n: int) -> None:
    """Write the corpus's first ``n`` papers to ``first`` and the others to ``rest``."""
    with first.open("w", encoding="utf-8") as a, rest.open("w", encoding="utf-8") as b:
        count = 0
        for part in sorted(corpus.glob("*.jsonl")):
            with part.open(encoding="utf-8") as lines:
                for line in lines:
                    (a if count < n else b).write(line)
                    count += 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--papers", type=int, default=100_000, help="papers of the first build")
    ap.add_argument("--new", type=int, default=1_000, help="papers the update adds")
    ap.add_argument("--check", action="store_true", help="also compare with a full build")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-update-") as tmp:
        work = Path(tmp)
        make_corpus(work / "corpus", args.papers + args.new, False, 2)
        first, new = work / "first.jsonl", work / "new.jsonl"
        split_corpus(work / "corpus", first, new, args.papers)
        out = work / "out"
        runs = {
            f"build of {args.papers}": run(["build", str(first), "--out", str(out)]),
            f"update adding {args.new}": run(["build", "--update", str(new), "--out", str(out)]),
        }
        for name, r in runs.items():
            print(
                f"{name:24} {r['seconds']:8.1f} s  CPU {r['cpu']:7.1f} s  "
                f"peak RSS main {r['main'] / 2**20:6.0f} MiB, all {r['all'] / 2**20:6.0f} MiB"
            )
            print(f"  {r['summary']}")
        if args.check:
            full = work / "full"
            run(["build", str(first), str(new), "--out", str(full)])
            same = (out / "graph.ttl").read_bytes() == (full / "graph.ttl").read_bytes()
            print(f"update's graph.ttl == full build's: {same}")
            if not same:
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
