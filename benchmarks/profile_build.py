"""Where the build's time goes: µs per paper for each pipeline component and each build phase.

Runs on the honest corpus of ``bench_build.py`` (the first N papers), in one process, so
every figure is CPU time of one core (``time.process_time``: what other processes on a shared
machine take is not counted), measured in the same run:

- extraction: ``make_doc`` (the tokeniser) and each component, over groups of 64 papers as
  :func:`graph.extract.extract_batch` runs them, next to a bare ``spacy.blank("en")``;
- the build's phases as :func:`graph.pipeline.build` runs them, one after the other (ingest,
  extract in one process, merge, resolve, Turtle generation, store load, state).

    python benchmarks/profile_build.py --papers 5000
    python benchmarks/profile_build.py --papers 5000 --replicate   # the old corpus
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import spacy

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import corpus_texts, make_corpus

from graph import build as rdf
from graph.export import write_turtle
from graph.extract import _new_doc, make_pipeline
from graph.ingest import read_inputs
from graph.merge import merge_listings
from graph.ontology import PREFIXES, load_vocabulary
from graph.resolve import resolve
from graph.state import save_state
from graph.store import chunked, write_store


def components(
    papers: list[tuple[str, str]],
    rounds: int,
    cache: int | None = None,
    tokenizer: str = "fast",
) -> dict[str, float]:
    """Seconds per stage of extraction over all papers (best of ``rounds``).

    ``tokenizer`` is :func:`make_pipeline`'s (``"spacy"``: spaCy's rules); ``cache`` sets the
    tokeniser's cache size (spaCy's default is 10,000). Each round starts with a fresh
    pipeline, so no round reads the chunks a previous one cached. The pipeline is the build's:
    without spaCy's lexical attributes (a version of ``graph`` without that option, run from
    another checkout, computes them).
    """
    best: dict[str, float] = {}
    for _ in range(rounds):
        try:
            nlp = make_pipeline(tokenizer=tokenizer, lexical_attributes=False)
        except TypeError:
            nlp = make_pipeline(tokenizer=tokenizer)
        if cache is not None:
            nlp.tokenizer.max_cache_size = cache
        bare = spacy.blank("en")
        took: dict[str, float] = {}
        started = time.process_time()
        for title, abstract in papers:
            bare.make_doc(f"{title}\n\n{abstract}")
        took["bare spacy.blank make_doc"] = time.process_time() - started
        for g in range(0, len(papers), 64):
            group = papers[g : g + 64]
            started = time.process_time()
            docs = [_new_doc(nlp, title, abstract) for title, abstract in group]
            took["make_doc"] = took.get("make_doc", 0.0) + time.process_time() - started
            for name, proc in nlp.pipeline:
                started = time.process_time()
                docs = [proc(doc) for doc in docs]
                took[name] = took.get(name, 0.0) + time.process_time() - started
        for k, v in took.items():
            best[k] = min(best.get(k, v), v)
    return best


def phases(corpus: Path, work: Path) -> dict[str, float]:
    """Seconds per phase of a build in one process."""
    from graph.extract import extract_papers

    took: dict[str, float] = {}
    vocabulary = load_vocabulary()

    def phase(name: str, started: float) -> None:
        took[name] = time.process_time() - started

    started = time.process_time()
    listings = list(read_inputs([str(corpus)]))
    phase("ingest (read, clean)", started)
    started = time.process_time()
    extracted = dict(extract_papers(listings, jobs=1, vocabulary=vocabulary))
    phase("extract (1 process)", started)
    started = time.process_time()
    by_text = {(p.title, p.abstract): extracted[i] for i, p in enumerate(listings)}
    records = merge_listings(listings)
    for r in records:
        r.extraction = by_text[(r.paper.title, r.paper.abstract)]
    phase("merge listings", started)
    started = time.process_time()
    resolution = resolve(records, vocabulary)
    phase("resolve", started)
    terms = rdf.TurtleTerms(PREFIXES)
    header = terms.header().encode()
    started = time.process_time()
    chunks = list(chunked(rdf.turtle(records, resolution, terms)))
    phase("build: Turtle generation", started)
    started = time.process_time()
    write_store(work / "store", iter(chunks), header=header)
    phase("store load (CPU of 2 threads)", started)
    started = time.process_time()
    write_turtle(iter(chunks), work / "graph.ttl", header)
    phase("write graph.ttl", started)
    started = time.process_time()
    save_state(work, listings, records)
    phase("state (its JSON lines and gzip)", started)
    return took


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--papers", type=int, default=5000)
    ap.add_argument("--rounds", type=int, default=2, help="extraction rounds (best is kept)")
    ap.add_argument("--replicate", action="store_true", help="the old corpus")
    ap.add_argument("--no-phases", action="store_true", help="extraction components only")
    ap.add_argument(
        "--before-after",
        action="store_true",
        help="also run extraction with spaCy's tokeniser rules (with our large cache and with "
        "spaCy's 10,000 chunks), alternating",
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-profile-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        make_corpus(corpus, args.papers, args.replicate, 2)
        papers = [tuple(t.split("\n\n", 1)) for t in corpus_texts(corpus, None)]
        n = len(papers)
        runs = {"shipped": components(papers, args.rounds)}
        if args.before_after:
            runs["spaCy rules"] = components(papers, args.rounds, tokenizer="spacy")
            runs["10k cache"] = components(papers, args.rounds, 10_000, tokenizer="spacy")
            again = components(papers, args.rounds)
            runs["shipped"] = {k: min(v, again[k]) for k, v in runs["shipped"].items()}
        print(f"extraction, {n} papers, one process, best of {args.rounds} (µs/paper)")
        print(f"  {'':28} " + " ".join(f"{name:>10}" for name in runs))
        for k in runs["shipped"]:
            print(f"  {k:28} " + " ".join(f"{r[k] / n * 1e6:10.0f}" for r in runs.values()))
        totals = [sum(v for k, v in r.items() if not k.startswith("bare")) for r in runs.values()]
        print(
            f"  {'total (make_doc + components)':28} "
            + " ".join(f"{t / n * 1e6:10.0f}" for t in totals)
        )
        ratios = [
            t / r["bare spacy.blank make_doc"] for t, r in zip(totals, runs.values(), strict=True)
        ]
        print(f"  {'ratio total / bare tokeniser':28} " + " ".join(f"{x:10.2f}" for x in ratios))
        if not args.no_phases:
            took = phases(corpus, work)
            print(f"build phases, {n} papers, one process (µs/paper)")
            for k, v in took.items():
                print(f"  {k:28} {v / n * 1e6:8.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
