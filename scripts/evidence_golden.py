"""Answers of the evidence queries over a whole graph, for tests/test_evidence.py's golden file.

Runs ``ontology/queries/evidence-for-link.rq`` and ``statement-evidence.rq`` with their
``VALUES`` parameter line removed, so they answer for every entity and every statement rather
than the one example each names, and writes every answer as JSON: per query its columns and its
rows, each cell the N-Triples form of the term (so datatypes count: ``"0.95"^^xsd:decimal`` is
not ``"0.95"``), rows sorted (ORDER BY leaves ties in any order).

tests/fixtures/evidence-golden.json.gz is made with the code before evidence was packed into
kg:evidenceRecord literals (commit 6c9a81f) running today's extraction, from a build of the
bundled sample. When the extraction changes, remake it so (the writer and queries are the old
ones, the findings today's):

    git worktree add --detach /tmp/evold 6c9a81f
    rm -r /tmp/evold/graph/extract /tmp/evold/ontology/vocab
    cp -r graph/extract /tmp/evold/graph/ && cp -r ontology/vocab /tmp/evold/ontology/
    cp scripts/evidence_golden.py /tmp/evold/scripts/
    cp graph/errors.py /tmp/evold/graph/  # today's extraction raises errors added since
    (cd /tmp/evold && PYTHONPATH=. python -m graph build --out /tmp/ev/before)  # not from here
    python /tmp/evold/scripts/evidence_golden.py /tmp/ev/before/graph.ttl \
        tests/fixtures/evidence-golden.json.gz

The test builds the sample with today's code and compares its answers with the file.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from pathlib import Path

import pyoxigraph as ox

QUERIES = Path(__file__).resolve().parent.parent / "ontology" / "queries"
NAMES = ("evidence-for-link", "statement-evidence")
#: The parameter line of an example query (``VALUES ?name { "LoRA" }`` ...).
_VALUES = re.compile(r"^\s*VALUES\b.*$", re.MULTILINE)


def unparameterised(name: str) -> str:
    """The example query ``name`` without its VALUES line: every entity or statement."""
    text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    stripped, n = _VALUES.subn("", text)
    if n != 1:
        raise ValueError(f"{name}.rq has {n} VALUES lines, expected 1")
    return stripped


def answers(store: ox.Store) -> dict[str, dict[str, list]]:
    """Per query name, its columns and its sorted rows of N-Triples terms."""
    out: dict[str, dict[str, list]] = {}
    for name in NAMES:
        solutions = store.query(unparameterised(name))
        columns = [v.value for v in solutions.variables]
        rows = sorted([None if s[c] is None else str(s[c]) for c in columns] for s in solutions)
        out[name] = {"columns": columns, "rows": rows}
    return out


def load(graph: Path) -> ox.Store:
    """An in-memory store holding a Turtle or N-Triples file."""
    store = ox.Store()
    fmt = ox.RdfFormat.N_TRIPLES if graph.suffix == ".nt" else ox.RdfFormat.TURTLE
    store.bulk_load(path=str(graph), format=fmt)
    return store


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("graph", type=Path, help="a build's graph.ttl (or .nt)")
    ap.add_argument("out", type=Path, help="the JSON file to write (gzipped if it ends in .gz)")
    args = ap.parse_args()
    data = json.dumps(answers(load(args.graph)), ensure_ascii=False, indent=0) + "\n"
    if args.out.suffix == ".gz":
        # mtime=0: the same answers give the same bytes.
        args.out.write_bytes(gzip.compress(data.encode("utf-8"), mtime=0))
    else:
        args.out.write_text(data, encoding="utf-8")
    counts = ", ".join(f"{n}: {len(v['rows'])} rows" for n, v in json.loads(data).items())
    print(f"wrote {args.out} ({counts})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
