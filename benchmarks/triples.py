"""Count a built graph's triples per paper, by what they describe.

    python benchmarks/triples.py exports/graph.ttl
    python benchmarks/triples.py /tmp/bench/out/graph.ttl   # bench_build.py --keep /tmp/bench

Prints the papers, the triples (all, and per paper), and the triples of each kind of subject:
papers (their metadata; their links and evidence literals on their own lines), evidence nodes
(``kg:Mention``, in graphs built before evidence records), statements (``kg:Statement``) and
entities (everything else: labels, aliases, families, codes, counts, plain relations), with
graph.ttl's size when the graph is a Turtle file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pyoxigraph as ox

KG = "https://w3id.org/paper-kg/"
_LINKS = (
    f"<{KG}mentionsModel> <{KG}usesDataset> <{KG}usesMethod> <{KG}mentionsLanguage> <{KG}proposes>"
)
_BY_KIND = f"""
SELECT ?kind (COUNT(*) AS ?n) WHERE {{
  ?s ?p ?o .
  OPTIONAL {{ ?s a ?t FILTER(?t IN (<{KG}Paper>, <{KG}Mention>, <{KG}Statement>)) }}
  BIND(COALESCE(?t, "entity") AS ?kind)
}} GROUP BY ?kind"""
_PAPER_PARTS = f"""
SELECT ?part (COUNT(*) AS ?n) WHERE {{
  ?s a <{KG}Paper> ; ?p ?o .
  BIND(IF(?p IN ({", ".join(_LINKS.split())}), "links",
          IF(?p = <{KG}evidence>, "evidence", "metadata")) AS ?part)
}} GROUP BY ?part"""


def count(graph: Path) -> dict[str, int]:
    """Papers, triples, and triples per kind of subject and per part of a paper's triples."""
    store = ox.Store()
    fmt = ox.RdfFormat.N_TRIPLES if graph.suffix == ".nt" else ox.RdfFormat.TURTLE
    store.bulk_load(path=str(graph), format=fmt)
    papers = next(iter(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?p a <{KG}Paper> }}")))
    out = {"papers": int(papers["n"].value), "triples": len(store)}
    for row in store.query(_BY_KIND):
        kind = row["kind"].value.rsplit("/", 1)[-1]
        out[kind] = int(row["n"].value)
    for row in store.query(_PAPER_PARTS):
        out[f"Paper {row['part'].value}"] = int(row["n"].value)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("graph", type=Path, help="graph.ttl or graph.nt of a build")
    args = ap.parse_args()
    counts = count(args.graph)
    n = counts["papers"]
    print(f"{'papers':<22}{n:>10}")
    for key in ("triples", "Paper", "Paper metadata", "Paper links", "Paper evidence"):
        if key in counts:
            print(f"{key:<22}{counts[key]:>10}  {counts[key] / n:7.2f} per paper")
    for key in ("Mention", "Statement", "entity"):
        if key in counts:
            print(f"{key:<22}{counts[key]:>10}  {counts[key] / n:7.2f} per paper")
    if args.graph.suffix == ".ttl":
        size = args.graph.stat().st_size
        print(f"{'graph.ttl bytes':<22}{size:>10}  {size / n:7.0f} per paper")
    return 0


if __name__ == "__main__":
    sys.exit(main())
