#!/usr/bin/env python3
"""Extraction CPU per paper of whichever ``graph`` package comes first on ``sys.path``.

Compares two versions of the extractor on the same texts: run it from a checkout of each, in
turn, and compare the figures of one sitting (the machine's load changes between sittings)::

    git worktree add --detach /tmp/base 768941b
    F="eval/corpora/ml-nlp-venues.jsonl eval/corpora/other-fields.jsonl"
    (cd /tmp/base && PYTHONPATH=. python /path/to/benchmarks/extract_cpu.py $(realpath $F))
    python benchmarks/extract_cpu.py $F

Texts an older version fails on are left out of its figure (it says how many). Prints the
papers timed and the best of two rounds' CPU time per paper (``time.process_time``).
"""

from __future__ import annotations

import json
import sys
import time

import graph
from graph.extract import extract_paper, make_pipeline


def main(paths: list[str]) -> int:
    """Time extraction over the JSONL files ``paths`` and print the figure."""
    texts = []
    for path in paths:
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                row = json.loads(line)
                title, abstract = row.get("title") or "", row.get("abstract") or ""
                if abstract:
                    texts.append((" ".join(title.split()), " ".join(abstract.split())))
    try:
        nlp = make_pipeline(lexical_attributes=False)  # as the build's workers run it
    except TypeError:  # a version from before the option
        nlp = make_pipeline()
    ok = []
    for title, abstract in texts:  # also the warm-up round
        try:
            extract_paper(nlp, title, abstract)
            ok.append((title, abstract))
        except Exception:  # an old version's bug must not stop the comparison
            pass
    best = float("inf")
    for _ in range(2):
        start = time.process_time()
        for title, abstract in ok:
            extract_paper(nlp, title, abstract)
        best = min(best, time.process_time() - start)
    print(
        f"{graph.__file__}: {len(ok)} papers ({len(texts) - len(ok)} failed), "
        f"{best / len(ok) * 1e6:.0f} µs CPU/paper"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
