"""Benchmark the whole `kg build` against a bare spaCy tokeniser on the same texts.

The corpus is honest by default: first every distinct real abstract we have (the bundled
sample and the unlabeled ``eval/corpora/*.jsonl``: ML/NLP venues and other fields), then, for
sizes beyond them, replicas in which each paper's own names are renamed: the names it proposes,
the acronyms it defines and the names the vocabulary does not know (found by running the
pipeline once over the distinct papers) get a fresh spelling per replica (ProLLaMA ->
ZuvLLaMA, QecLLaMA ...), so the number of distinct names grows with the corpus as in a real
one and no cache sees the same few hundred names again and again. A replica of a paper with no
such name gets ``(replica k)`` after its title, so no text is extracted only once for many
papers. ``--replicate`` gives the old corpus instead (the sample replicated, titles marked).

The build runs in a child process (ingest -> extract -> resolve -> store -> Turtle -> state);
in the same run a bare ``spacy.blank("en")`` tokenises the same texts in one process. Prints
the corpus (papers, distinct abstracts, distinct names), both rates and their ratio, the
build's CPU time, the peak RSS of every process of the build (polled with psutil), the triples
per paper and the size of the outputs.

    python benchmarks/bench_build.py --papers 10000
    python benchmarks/bench_build.py --papers 100000 --jobs 2
    python benchmarks/bench_build.py --papers 1000000 --tokenise-papers 100000

Figures depend on the machine and its load: compare the ratio, measured in one run.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pyoxigraph as ox
import spacy

from graph.extract import extract_papers
from graph.ingest import read_inputs
from graph.records import Paper
from graph.resources import samples_dir

REPO = Path(__file__).resolve().parent.parent
CORPORA = sorted((REPO / "eval" / "corpora").glob("*.jsonl"))

#: Pieces of a name: a capitalised word, a run of capitals, a run of lowercase, digits, other.
_PIECES = re.compile(r"[A-Z][a-z]+|[A-Z]+(?![a-z])|[a-z]+|\d+|.", re.S)
_ASCII_WORD = re.compile(r"[A-Za-z]{2}")


def distinct_papers() -> list[Paper]:
    """Every distinct (title, abstract) of the sample and eval/corpora, in a fixed order."""
    seen: set[tuple[str, str]] = set()
    papers = []
    for p in read_inputs([str(samples_dir()), *map(str, CORPORA)]):
        if (p.title, p.abstract) not in seen:
            seen.add((p.title, p.abstract))
            papers.append(p)
    return papers


def own_names(papers: list[Paper], jobs: int) -> list[list[str]]:
    """Per paper, the one-word names that are its own: proposed, defined acronyms, unknown.

    Names the vocabulary knows (BERT, ImageNet) stay as they are in every replica, as they
    would in a real corpus.
    """
    names: list[list[str]] = [[] for _ in papers]
    for i, e in extract_papers(papers, jobs=jobs):
        found = {m.text for m in e.mentions if m.proposed or m.concept is None}
        found |= {a.short for a in e.aliases}
        text = papers[i].title + "\n" + papers[i].abstract
        names[i] = sorted(
            (n for n in found if " " not in n and _ASCII_WORD.search(n) and n in text),
            key=lambda n: (-len(n), n),
        )
    return names


def fresh_name(name: str, replica: int) -> str:
    """A new spelling of ``name`` for one replica: its first letters replaced, case kept.

    Deterministic; the rest of the name (a known family such as LLaMA, a version) stays.
    """
    seed = hashlib.blake2b(f"{replica}\0{name}".encode(), digest_size=8).digest()
    rng = random.Random(seed)
    pieces = _PIECES.findall(name)
    first = next(i for i, p in enumerate(pieces) if p.isascii() and p.isalpha())
    new = "".join(
        rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c.isupper() else "abcdefghijklmnopqrstuvwxyz")
        for c in pieces[first]
    )
    if len(pieces[first]) < 3:  # a short piece would repeat across replicas
        new += rng.choice("abcdefghijklmnopqrstuvwxyz") + rng.choice("aeiou")
    pieces[first] = new
    return "".join(pieces)


def honest_corpus(n: int, jobs: int) -> Iterator[tuple[str, str, list[str]]]:
    """N papers as (title, abstract, the names renamed in it), real abstracts first."""
    base = distinct_papers()
    names = own_names(base, jobs)
    patterns = [
        re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(map(re.escape, ns)) + r")(?![A-Za-z0-9])")
        if ns
        else None
        for ns in names
    ]
    for i in range(n):
        replica, k = divmod(i, len(base))
        p = base[k]
        if replica == 0:
            yield p.title, p.abstract, names[k]
            continue
        pattern = patterns[k]
        if pattern is None:
            yield f"{p.title} (replica {replica})", p.abstract, []
            continue
        mapping = {name: fresh_name(name, replica) for name in names[k]}

        def swap(m: re.Match, mapping: dict[str, str] = mapping) -> str:
            return mapping[m.group(0)]

        yield pattern.sub(swap, p.title), pattern.sub(swap, p.abstract), list(mapping.values())


def replicated_corpus(n: int) -> Iterator[tuple[str, str, list[str]]]:
    """The old corpus: the bundled sample replicated, titles marked with the replica."""
    base = list(read_inputs([str(samples_dir())]))
    for i in range(n):
        p = base[i % len(base)]
        title = f"{p.title} (replica {i // len(base)})" if i >= len(base) else p.title
        yield title, p.abstract, []


#: Papers per corpus file (a real snapshot comes in many files; kg streams each one).
FILE_PAPERS = 100_000


def make_corpus(path: Path, n: int, replicate: bool, jobs: int) -> dict[str, int]:
    """Write N papers as JSONL files of :data:`FILE_PAPERS` papers into the directory ``path``;
    return how many distinct abstracts and names they hold."""
    abstracts: set[bytes] = set()
    names: set[str] = set()
    papers = replicated_corpus(n) if replicate else honest_corpus(n, jobs)
    path.mkdir(parents=True, exist_ok=True)
    f = None
    try:
        for i, (title, abstract, renamed) in enumerate(papers):
            if i % FILE_PAPERS == 0:
                if f is not None:
                    f.close()
                f = (path / f"papers-{i // FILE_PAPERS:03d}.jsonl").open("w", encoding="utf-8")
            arxiv_id = f"{2300 + i // 100000:04d}.{i % 100000:05d}"
            f.write(json.dumps({"id": arxiv_id, "title": title, "abstract": abstract}) + "\n")
            abstracts.add(hashlib.blake2b(abstract.encode(), digest_size=12).digest())
            names.update(renamed)
    finally:
        if f is not None:
            f.close()
    return {"abstracts": len(abstracts), "names": len(names)}


def corpus_texts(path: Path, limit: int | None) -> Iterator[str]:
    """The texts the pipeline sees (title, blank line, abstract), read back from the corpus."""
    i = 0
    for name in sorted(path.glob("*.jsonl")):
        with name.open(encoding="utf-8") as f:
            for line in f:
                if limit is not None and i >= limit:
                    return
                i += 1
                record = json.loads(line)
                yield f"{record['title']}\n\n{record['abstract']}"


def tokenise(texts: Iterator[str], nlp: spacy.Language) -> tuple[int, float, float]:
    """Papers, seconds and CPU seconds a tokeniser takes over the texts in one process."""
    n = 0
    seconds = cpu = 0.0
    batch: list[str] = []
    for text in itertools.chain(texts, [None]):
        if text is not None:
            batch.append(text)
        if len(batch) == 1024 or (text is None and batch):
            started, started_cpu = time.perf_counter(), time.process_time()
            for t in batch:
                nlp.make_doc(t)
            seconds += time.perf_counter() - started
            cpu += time.process_time() - started_cpu
            n += len(batch)
            batch = []
    return n, seconds, cpu


class RssPoller:
    """Peak RSS of a process and all its descendants, polled every ``interval`` seconds."""

    def __init__(self, pid: int, interval: float = 0.2, status: float = 0.0) -> None:
        self.root = pid
        self.interval = interval
        self.status = status
        self.started = time.perf_counter()
        self.peaks: dict[int, int] = {}
        self.parents: dict[int, int] = {}
        self.names: dict[int, str] = {}
        self.total_peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            root = psutil.Process(self.root)
        except psutil.Error:
            return
        while not self._stop.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                return
            total = 0
            for proc in procs:
                try:
                    rss = proc.memory_info().rss
                    if proc.pid not in self.parents:
                        self.parents[proc.pid] = proc.ppid()
                        self.names[proc.pid] = proc.name()
                except psutil.Error:
                    continue
                total += rss
                self.peaks[proc.pid] = max(self.peaks.get(proc.pid, 0), rss)
            self.total_peak = max(self.total_peak, total)
            elapsed = time.perf_counter() - self.started
            if self.status and elapsed >= self.status * (1 + getattr(self, "_said", 0)):
                self._said = getattr(self, "_said", 0) + 1
                print(
                    f"[{elapsed:7.0f} s] {len(procs)} processes, RSS now {total / 2**20:.0f} MiB "
                    f"(peak {self.total_peak / 2**20:.0f} MiB; by process "
                    + ", ".join(f"{self.peaks[p] / 2**20:.0f}" for p in sorted(self.peaks))
                    + " MiB)",
                    flush=True,
                )
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def report(self) -> list[str]:
        """One line per process: its role and peak RSS."""
        lines = []
        for pid, peak in sorted(self.peaks.items(), key=lambda kv: -kv[1]):
            role = "main" if pid == self.root else f"child of {self.parents.get(pid)}"
            lines.append(f"  pid {pid:<8} {role:<18} {peak / 2**20:8.0f} MiB")
        return lines


def run_kg(args: list[str], status: float = 0.0) -> dict:
    """Run ``python -m graph ARGS`` in a child process and measure it: wall and CPU seconds,
    the children's max RSS, the RSS poller (every process's peak) and the summary line."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "graph", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    poller = RssPoller(child.pid, status=status)
    stdout, stderr = child.communicate()
    seconds = time.perf_counter() - started
    poller.stop()
    if child.returncode:
        sys.stderr.write(stderr)
        raise SystemExit(f"kg {' '.join(args)} failed ({child.returncode})")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    lines = (stdout + stderr).splitlines()
    return {
        "seconds": seconds,
        "cpu": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime,
        "maxrss": after.ru_maxrss * 1024,
        "poller": poller,
        "summary": next((line for line in lines if " papers (" in line), ""),
    }


def whole_build(corpus: Path, out: Path, jobs: int | None, status: float = 0.0) -> dict:
    """Run `kg build` in a child process and measure it (see :func:`run_kg`)."""
    args = ["build", str(corpus), "--out", str(out), "--to", "ttl"]
    if jobs:
        args += ["--jobs", str(jobs)]
    return run_kg(args, status)


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


def triples_in(store_dir: Path) -> int:
    """Triples in the build's store."""
    store = ox.Store.read_only(str(store_dir))
    n = len(store)
    del store
    return n


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
    ap.add_argument(
        "--replicate", action="store_true", help="the old corpus: the sample replicated"
    )
    ap.add_argument(
        "--tokenise-papers",
        type=int,
        default=None,
        help="tokenise only the first N texts (default: all; the rate is what is compared)",
    )
    ap.add_argument(
        "--load-check",
        action="store_true",
        help="also time a bulk load of graph.ttl into a fresh store",
    )
    ap.add_argument(
        "--status",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="print the build's elapsed time and memory every SECONDS while it runs",
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        corpus = work / "corpus"
        started = time.perf_counter()
        distinct = make_corpus(corpus, args.papers, args.replicate, args.jobs or 2)
        made = time.perf_counter() - started
        bare_n, bare_s, bare_cpu = tokenise(
            corpus_texts(corpus, args.tokenise_papers), spacy.blank("en")
        )
        print(
            f"corpus made ({made:.0f} s): {distinct['abstracts']} distinct abstracts, "
            f"{distinct['names']} distinct renamed names; tokeniser done; building",
            flush=True,
        )
        build = whole_build(corpus, work / "out", args.jobs, args.status)
        triples = triples_in(work / "out" / "store")
        n = args.papers
        cores = os.cpu_count() or 1
        rate = n / build["seconds"]
        bare_rate = bare_n / bare_s
        kind = "replicated sample" if args.replicate else "honest"
        print(f"corpus                     {kind} ({made:.1f} s to make)")
        print(f"papers                     {n}")
        print(f"distinct abstracts         {distinct['abstracts']}")
        print(f"distinct renamed names     {distinct['names']}")
        print(f"cores                      {cores} (build --jobs {args.jobs or 'all'})")
        print(
            f"bare spacy.blank tokeniser {bare_rate:10.0f} papers/s  "
            f"({bare_s:.1f} s for {bare_n} papers, 1 process; "
            f"{bare_cpu / bare_n * 1e6:.0f} µs CPU/paper)"
        )
        print(f"whole kg build             {rate:10.0f} papers/s  ({build['seconds']:.1f} s)")
        print(f"ratio build / tokeniser    {rate / bare_rate:10.2f}   (rates, wall clock)")
        print(
            f"ratio of CPU per paper     {build['cpu'] / n / (bare_cpu / bare_n):10.2f}   "
            "(build, all processes / bare tokeniser)"
        )
        print(
            f"build CPU time             {build['cpu']:10.1f} s    "
            f"({build['cpu'] / build['seconds'] / cores:.0%} of {cores} cores, "
            f"{build['cpu'] / n * 1e6:.0f} µs/paper)"
        )
        poller = build["poller"]
        print(
            f"peak RSS, largest process  {build['maxrss'] / 2**20:10.0f} MiB  "
            f"(all processes at once: {poller.total_peak / 2**20:.0f} MiB)"
        )
        print("peak RSS per process (polled every 0.2 s):")
        print("\n".join(poller.report()))
        print(f"triples                    {triples:10d}  ({triples / n:.1f} per paper)")
        print(f"graph.ttl                  {size_of(work / 'out' / 'graph.ttl') / 2**20:10.1f} MiB")
        print(f"store/                     {size_of(work / 'out' / 'store') / 2**20:10.1f} MiB")
        state = size_of(work / "out" / "state.jsonl.gz")
        print(f"state.jsonl.gz             {state / 2**20:10.1f} MiB")
        if args.load_check:
            load_s, load_cpu = store_load(work / "out" / "graph.ttl", work / "load-check")
            print(f"store load of graph.ttl    {load_s:10.1f} s    ({load_cpu:.1f} s CPU)")
        print(f"build summary: {build['summary']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
