"""Benchmark: example queries on the Oxigraph store against rdflib's in-memory store.

Builds a large graph by replicating the sample build (or any build) until it holds at least
``--papers`` papers: every copy gets its own paper and mention IRIs, titles and listing dates,
while the entities (models, datasets, methods, languages and their families) stay shared, as
they would in a real corpus of that size. The graph is bulk-loaded into an on-disk Oxigraph
store and parsed into ``rdflib.Graph()`` (the default in-memory store); then each query runs on
both. The store's time is the best of ``--repeat`` runs; rdflib's is one run after a warm-up
query (it is slow), in a separate process killed after ``--rdflib-timeout`` seconds.

Each query's whole result is read (every row), with the project's prefixes predeclared as in
``kg query``. The store runs the example files as shipped; several of them are written as
sub-selects so that Oxigraph joins by hashing, a form rdflib evaluates with nested loops, so
rdflib runs the plain form of those (:data:`PLAIN_FORMS`, same answers; its best chance)
unless ``--rdflib-same-text``. The row counts of both engines are compared.
Target: every query under 1 s on the store and at least 10x faster than rdflib.

Usage:
    python benchmarks/bench_query.py                     # 100,000 papers, five queries
    python benchmarks/bench_query.py --papers 20000 --queries most-used-models
    python benchmarks/bench_query.py --graph exports     # replicate another build

Not a test: it prints figures (and exits 1 if the target is missed).
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

#: Five of the example queries the issue names: the analytic ones (counts, joins, paths,
#: pairs, grouping). The sixth, languages-and-papers, and papers-about-llama-family are
#: listings of 10,000-30,000 rows on 100,000 papers; both engines answer them in a few
#: seconds at most, and the store's time there is mostly spent reading long strings (titles)
#: back from disk. Add them with --queries to see their figures.
DEFAULT_QUERIES = [
    "most-used-models",
    "datasets-with-model",
    "llama-family-proposals",
    "co-occurring-methods",
    "entities-per-listing-date",
]
#: Plain forms of the examples that are written as sub-selects for Oxigraph's sake. rdflib
#: joins sub-selects with nested loops, so these (same answers, the obvious way to write them)
#: are its best chance; each engine runs the form it is fastest with.
PLAIN_FORMS = {
    "datasets-with-model": """
SELECT ?dataset ?label (COUNT(DISTINCT ?paper) AS ?papers)
       (GROUP_CONCAT(DISTINCT ?modelLabel; SEPARATOR=" | ") AS ?models)
WHERE {
  VALUES ?given { "BERT" }
  ?root a kg:Model ; rdfs:label ?given .
  ?model kg:variantOf* ?root ; rdfs:label ?modelLabel .
  ?paper kg:mentionsModel|kg:proposes ?model .
  ?paper kg:usesDataset|kg:proposes ?dataset .
  ?dataset a kg:Dataset ; rdfs:label ?label .
}
GROUP BY ?dataset ?label
ORDER BY DESC(?papers) ?label
""",
    "languages-and-papers": """
SELECT ?language ?label ?iso639_3 ?papers ?paper ?title
WHERE {
  {
    SELECT ?language (COUNT(DISTINCT ?p) AS ?papers)
    WHERE { ?p kg:mentionsLanguage|kg:proposes ?language . ?language a kg:Language . }
    GROUP BY ?language
  }
  ?paper kg:mentionsLanguage|kg:proposes ?language ; dcterms:title ?title .
  ?language rdfs:label ?label .
  OPTIONAL { ?language kg:iso639_3 ?iso639_3 }
}
ORDER BY DESC(?papers) ?label
""",
    "llama-family-proposals": """
SELECT ?paper ?title ?method ?methodLabel
       (GROUP_CONCAT(DISTINCT ?modelLabel; SEPARATOR=" | ") AS ?llamaModels)
WHERE {
  ?root a kg:Model ; rdfs:label "LLaMA" .
  ?model kg:variantOf* ?root ; rdfs:label ?modelLabel .
  ?paper kg:mentionsModel|kg:proposes ?model ; kg:proposes ?method ; dcterms:title ?title .
  ?method a kg:Method ; rdfs:label ?methodLabel .
}
GROUP BY ?paper ?title ?method ?methodLabel
ORDER BY LCASE(?title) ?methodLabel
""",
    "papers-about-llama-family": """
SELECT ?paper ?title (GROUP_CONCAT(DISTINCT ?modelLabel; SEPARATOR=" | ") AS ?models)
WHERE {
  ?root a kg:Model ; rdfs:label "LLaMA" .
  ?model kg:variantOf* ?root ; rdfs:label ?modelLabel .
  ?paper kg:mentionsModel|kg:proposes ?model ; dcterms:title ?title .
}
GROUP BY ?paper ?title
ORDER BY LCASE(?title)
""",
    "co-occurring-methods": """
SELECT ?a ?aLabel ?b ?bLabel (COUNT(DISTINCT ?paper) AS ?papers)
WHERE {
  ?paper kg:usesMethod|kg:proposes ?a , ?b .
  ?a a kg:Method .
  ?b a kg:Method .
  FILTER(STR(?a) < STR(?b))
  ?a rdfs:label ?aLabel .
  ?b rdfs:label ?bLabel .
}
GROUP BY ?a ?aLabel ?b ?bLabel
ORDER BY DESC(?papers) ?aLabel ?bLabel
LIMIT 25
""",
    "entities-per-listing-date": """
SELECT ?date
       (COUNT(DISTINCT ?paper) AS ?papers)
       (COUNT(DISTINCT IF(?type = kg:Model, ?entity, ?unbound)) AS ?models)
       (COUNT(DISTINCT IF(?type = kg:Dataset, ?entity, ?unbound)) AS ?datasets)
       (COUNT(DISTINCT IF(?type = kg:Method, ?entity, ?unbound)) AS ?methods)
       (COUNT(DISTINCT IF(?type = kg:Language, ?entity, ?unbound)) AS ?languages)
WHERE {
  ?paper kg:listingDate ?date .
  OPTIONAL {
    ?paper kg:mentionsModel|kg:usesDataset|kg:usesMethod|kg:mentionsLanguage|kg:proposes ?entity .
    ?entity a ?type .
    FILTER(?type IN (kg:Model, kg:Dataset, kg:Method, kg:Language))
  }
}
GROUP BY ?date
ORDER BY ?date
""",
    "proposed-models": """
SELECT ?model ?label ?familyLabel ?paper ?title
WHERE {
  ?paper kg:proposes ?model ; dcterms:title ?title .
  ?model a kg:Model ; rdfs:label ?label .
  OPTIONAL { ?model kg:variantOf/rdfs:label ?familyLabel }
}
ORDER BY LCASE(?label) LCASE(?title)
""",
}
TARGET_SECONDS = 1.0
TARGET_SPEEDUP = 10.0

#: The IRIs each copy renames: papers, their mentions and the statements made in them.
_PAPER = re.compile(r"(<https://w3id\.org/paper-kg/id/(?:paper|mention|statement)/[^>]+)>")
_TITLE = "<http://purl.org/dc/terms/title>"
_LISTING_DATE = "<https://w3id.org/paper-kg/listingDate>"
_GMONTHDAY = re.compile(r'"--(\d\d)-(\d\d)"\^\^<http://www\.w3\.org/2001/XMLSchema#gMonthDay>')
_DATE = re.compile(r'"(\d{4})-(\d\d)-(\d\d)"\^\^<http://www\.w3\.org/2001/XMLSchema#date>')
_XSD_DATE = "<http://www.w3.org/2001/XMLSchema#date>"
_PAPER_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/paper-kg/Paper>"


def sample_ntriples(graph: str | None, workdir: Path) -> list[str]:
    """N-Triples lines of an existing build, or of a fresh build of the bundled sample."""
    if graph is None:
        from graph.pipeline import build

        print("building the sample graph ...", flush=True)
        build(None, workdir / "sample", formats=["ttl"])
        graph = str(workdir / "sample")
    from graph.store import open_graph

    store = open_graph(graph)
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return data.decode("utf-8").splitlines(keepends=True)


def replicate(lines: list[str], papers: int, target: Path) -> tuple[int, int]:
    """Write ``lines`` replicated until at least ``papers`` papers exist; return (papers, triples).

    Copy k renames every paper, mention and statement IRI (suffix ``-rK``; a statement names
    its paper, so a statement left shared would point at no copy), tags titles with ``[rK]`` and
    moves listing dates to year 2000 + k % 25 (as xsd:date), so queries grouping by date see a
    realistic spread; entity triples are written once.
    """
    per_copy = [ln for ln in lines if _PAPER.match(ln)]
    shared = [ln for ln in lines if not _PAPER.match(ln)]
    base_papers = sum(1 for ln in per_copy if _PAPER_TYPE in ln)
    if base_papers == 0:
        raise SystemExit("the source graph holds no kg:Paper")
    copies = math.ceil(papers / base_papers)
    triples = 0
    with target.open("w", encoding="utf-8") as out:
        out.writelines(shared)
        triples += len(shared)
        for k in range(copies):
            suffix = f"-r{k}>"
            year = 2000 + k % 25
            chunk = []
            for line in per_copy:
                line = _PAPER.sub(lambda m, s=suffix: m.group(1) + s, line)
                if _TITLE in line:
                    cut = line.rindex('"')
                    line = f"{line[:cut]} [r{k}]{line[cut:]}"
                elif _LISTING_DATE in line:
                    line = _GMONTHDAY.sub(
                        lambda m, y=year: f'"{y}-{m.group(1)}-{m.group(2)}"^^{_XSD_DATE}', line
                    )
                    line = _DATE.sub(
                        lambda m, y=year: f'"{y}-{m.group(2)}-{m.group(3)}"^^{_XSD_DATE}', line
                    )
                chunk.append(line)
            out.writelines(chunk)
            triples += len(chunk)
    return copies * base_papers, triples


def query_texts(names: list[str], plain: bool = False) -> dict[str, str]:
    """The example queries by name, with the project's prefixes predeclared (as kg query);
    with ``plain``, their plain forms where they have one."""
    from graph.query import example_query, prologue

    return {
        name: prologue()
        + (PLAIN_FORMS[name] if plain and name in PLAIN_FORMS else example_query(name))
        for name in names
    }


def time_oxigraph(store: ox.Store, text: str, repeat: int) -> tuple[float, int]:
    """Best time of ``repeat`` runs reading every row, and the row count."""
    best, rows = math.inf, 0
    for _ in range(repeat):
        started = time.perf_counter()
        result = store.query(text)
        rows = 1 if isinstance(result, ox.QueryBoolean) else sum(1 for _ in result)
        best = min(best, time.perf_counter() - started)
    return best, rows


def _rdflib_worker(nt_path: str, texts: dict[str, str], conn) -> None:
    """Child process: parse the graph into rdflib's memory store, then run the queries."""
    import rdflib

    started = time.perf_counter()
    graph = rdflib.Graph()
    graph.parse(nt_path, format="nt")
    conn.send(("loaded", time.perf_counter() - started, len(graph)))
    list(graph.query("SELECT * WHERE { ?s ?p ?o } LIMIT 1"))  # warm up the SPARQL engine
    for name, text in texts.items():
        started = time.perf_counter()
        try:
            rows = len(list(graph.query(text)))
        except Exception as exc:  # rdflib's engine has bugs of its own
            conn.send(("failed", name, f"{type(exc).__name__}: {exc}", None))
            continue
        conn.send(("done", name, time.perf_counter() - started, rows))
    conn.send(("end",))


def time_rdflib(nt_path: Path, texts: dict[str, str], timeout: float) -> dict[str, tuple]:
    """Run every query once on rdflib in a child process; a query past ``timeout`` seconds is
    killed (reported as None) and the child restarted for the queries left."""
    ctx = multiprocessing.get_context("fork")
    results: dict[str, tuple] = {}
    left = dict(texts)
    while left:
        parent, child = ctx.Pipe()
        process = ctx.Process(target=_rdflib_worker, args=(str(nt_path), left, child))
        process.start()
        child.close()
        message = parent.recv()
        print(
            f"rdflib: parsed {message[2]:,} triples in {message[1]:.1f} s (pid {process.pid})",
            flush=True,
        )
        for name in list(left):
            if not parent.poll(timeout):
                print(f"rdflib: {name} ran past {timeout:g} s; stopped", flush=True)
                process.kill()
                process.join()
                results[name] = (None, None)
                del left[name]
                break
            status, done, seconds, rows = parent.recv()
            if status == "failed":
                print(f"rdflib: {done} failed: {seconds}", flush=True)
                results[done] = ("error", None)
            else:
                print(f"rdflib: {done} {seconds:.2f} s, {rows} rows", flush=True)
                results[done] = (seconds, rows)
            del left[done]
        else:
            parent.recv()
            process.join()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=100_000, help="papers in the big graph")
    parser.add_argument("--graph", help="build to replicate (default: build the sample)")
    parser.add_argument(
        "--queries",
        nargs="+",
        default=DEFAULT_QUERIES,
        help="example query names (default: five of them)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="store runs per query (best kept)")
    parser.add_argument(
        "--rdflib-timeout", type=float, default=600.0, help="seconds before an rdflib query stops"
    )
    parser.add_argument(
        "--rdflib-same-text",
        action="store_true",
        help="run rdflib on the example files too, not on their plain forms",
    )
    parser.add_argument("--workdir", help="where to write the graph (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args(argv)

    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="kg-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        texts = query_texts(args.queries)
        lines = sample_ntriples(args.graph, workdir)
        nt_path = workdir / "big.nt"
        started = time.perf_counter()
        papers, triples = replicate(lines, args.papers, nt_path)
        print(
            f"graph: {papers:,} papers, {triples:,} triples "
            f"({nt_path.stat().st_size / 1e6:.0f} MB N-Triples, "
            f"written in {time.perf_counter() - started:.1f} s)",
            flush=True,
        )

        started = time.perf_counter()
        store_path = workdir / "store"
        if store_path.exists():
            shutil.rmtree(store_path)
        writable = ox.Store(str(store_path))
        writable.bulk_load(path=str(nt_path), format=ox.RdfFormat.N_TRIPLES)
        writable.flush()
        del writable
        store = ox.Store.read_only(str(store_path))
        print(f"oxigraph: bulk-loaded in {time.perf_counter() - started:.1f} s", flush=True)
        ox_times = {}
        for name, text in texts.items():
            ox_times[name] = time_oxigraph(store, text, args.repeat)
            print(f"oxigraph: {name} {ox_times[name][0]:.3f} s, {ox_times[name][1]} rows")

        rdf_texts = query_texts(args.queries, plain=not args.rdflib_same_text)
        rdf_times = time_rdflib(nt_path, rdf_texts, args.rdflib_timeout)
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)

    print()
    print(
        f"{papers:,} papers, {triples:,} triples; Python {sys.version.split()[0]}, "
        f"pyoxigraph {ox.__version__}, {os.cpu_count()} cores"
    )
    header = (
        f"| {'query':28} | {'rows':>7} | {'Oxigraph store':>14} | {'rdflib memory':>13} | "
        f"{'speed-up':>9} | target |"
    )
    print(header)
    print("|" + "|".join("-" * (len(c)) for c in header.split("|")[1:-1]) + "|")
    ok = True
    for name in texts:
        ox_s, ox_rows = ox_times[name]
        rd_s, rd_rows = rdf_times.get(name, (None, None))
        if rd_s == "error":
            rd_text, ratio, speedup = "error", math.nan, "n/a"
        elif rd_s is None:
            rd_text = f">{args.rdflib_timeout:g} s"
            ratio, speedup = math.inf, f">{args.rdflib_timeout / ox_s:,.0f}x"
        else:
            ratio = rd_s / ox_s
            rd_text, speedup = f"{rd_s:.2f} s", f"{ratio:,.0f}x"
        if math.isnan(ratio):  # rdflib could not answer: nothing to compare with
            verdict = "n/a"
            passed = ox_s < TARGET_SECONDS
        else:
            passed = ox_s < TARGET_SECONDS and ratio >= TARGET_SPEEDUP
            verdict = "PASS" if passed else "FAIL"
        if rd_rows is not None and rd_rows != ox_rows:
            print(f"warning: {name}: rdflib returned {rd_rows} rows, Oxigraph {ox_rows}")
        ok &= passed
        print(
            f"| {name:28} | {ox_rows:>7,} | {ox_s:>12.3f} s | {rd_text:>13} | {speedup:>9} | "
            f"{verdict:>6} |"
        )
    print(
        f"\ntarget: each query under {TARGET_SECONDS:g} s on the store and at least "
        f"{TARGET_SPEEDUP:g}x faster than rdflib: {'PASS' if ok else 'FAIL'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
