"""Benchmark the whole `kg build` against a bare spaCy tokeniser on the same texts.

Makes a corpus of N distinct papers (the bundled sample replicated with distinct arXiv ids and
titles), runs the whole build on it in a child process (ingest -> extract -> resolve -> store ->
Turtle), and in the same run tokenises the same texts with a bare ``spacy.blank("en")`` in one
process. Prints papers per second for both, their ratio, the build's CPU time and peak memory
(RSS) and the size of its outputs.

It also times bulk-loading the build's own graph.ttl into a fresh on-disk Oxigraph store: the
least any build that writes this graph to a store must spend, whatever its extraction costs.

    python benchmarks/bench_build.py --papers 10000
    python benchmarks/bench_build.py --papers 100000 --jobs 2

Figures depend on the machine and its load: compare the ratio, measured in one run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
import spacy

from graph.ingest import read_inputs
from graph.resources import samples_dir


def make_corpus(path: Path, n: int) -> list[str]:
    """Write N distinct papers as JSONL; return the texts a tokeniser would see."""
    base = list(read_inputs([str(samples_dir())]))
    texts = []
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            p = base[i % len(base)]
            title = f"{p.title} (replica {i // len(base)})" if i >= len(base) else p.title
            arxiv_id = f"{2300 + i // 100000:04d}.{i % 100000:05d}"
            f.write(json.dumps({"id": arxiv_id, "title": title, "abstract": p.abstract}) + "\n")
            texts.append(f"{title}\n\n{p.abstract}")
    return texts


def bare_tokeniser(texts: list[str]) -> float:
    """Seconds a bare spacy.blank("en") takes to tokenise the texts in one process."""
    nlp = spacy.blank("en")
    started = time.perf_counter()
    for doc in nlp.pipe(texts, batch_size=256):
        del doc
    return time.perf_counter() - started


def whole_build(corpus: Path, out: Path, jobs: int | None) -> tuple[float, float, int, str]:
    """Run `kg build` in a child process.

    Returns:
        Seconds, CPU seconds (all its processes), peak RSS in bytes (its largest process), and
        its summary line.
    """
    command = [
        sys.executable,
        "-m",
        "graph",
        "build",
        str(corpus),
        "--out",
        str(out),
        "--to",
        "ttl",
    ]
    if jobs:
        command += ["--jobs", str(jobs)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    lines = (result.stdout + result.stderr).splitlines()
    summary = next((line for line in lines if " papers (" in line), "")
    return seconds, cpu, after.ru_maxrss * 1024, summary


def store_load(turtle: Path, directory: Path) -> tuple[float, float]:
    """Bulk-load a Turtle file into a new on-disk Oxigraph store; return seconds and CPU seconds."""
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    store = ox.Store(str(directory))
    store.bulk_load(path=str(turtle), format=ox.RdfFormat.TURTLE)
    store.flush()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    del store
    return seconds, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def size_of(path: Path) -> int:
    """Total size of a file or directory tree in bytes."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--papers", type=int, default=10_000)
    ap.add_argument("--jobs", type=int, default=None, help="extraction processes (default: all)")
    ap.add_argument("--keep", type=Path, default=None, help="keep the corpus and build here")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        corpus = work / "corpus.jsonl"
        texts = make_corpus(corpus, args.papers)
        tokenise = bare_tokeniser(texts)
        seconds, cpu, peak, summary = whole_build(corpus, work / "out", args.jobs)
        load_seconds, load_cpu = store_load(work / "out" / "graph.ttl", work / "load-check")
        n = args.papers
        cores = os.cpu_count() or 1
        # With every core busy and extraction free, a build still tokenises and loads the store.
        floor = (tokenise + load_cpu) / cores
        print(f"papers                     {n}")
        print(f"cores                      {cores} (build --jobs {args.jobs or 'all'})")
        print(
            f"bare spacy.blank tokeniser {n / tokenise:10.0f} papers/s  "
            f"({tokenise:.1f} s, 1 process)"
        )
        print(f"whole kg build             {n / seconds:10.0f} papers/s  ({seconds:.1f} s)")
        print(f"ratio build / tokeniser    {tokenise / seconds:10.2f}   (target >= 0.50)")
        print(
            f"build CPU time             {cpu:10.1f} s    "
            f"({cpu / seconds / cores:.0%} of {cores} cores)"
        )
        print(f"peak memory (RSS)          {peak / 2**20:10.0f} MiB (largest process)")
        print(f"graph.ttl                  {size_of(work / 'out' / 'graph.ttl') / 2**20:10.1f} MiB")
        print(f"store/                     {size_of(work / 'out' / 'store') / 2**20:10.1f} MiB")
        print(f"store load of graph.ttl    {load_seconds:10.1f} s    ({load_cpu:.1f} s CPU)")
        print(
            f"floor: tokenise + load     {floor:10.1f} s    (ratio at best "
            f"{tokenise / floor:.2f} on {cores} cores)"
        )
        print(f"build summary: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
