#!/usr/bin/env python3
"""Photograph the HTML view in headless Chromium (the README's docs/graph-view.png).

    python scripts/screenshot.py exports/graph.html            # -> docs/graph-view.png
    python scripts/screenshot.py exports/graph.html -o view.png --width 1600 --height 1000
    python scripts/screenshot.py --sample                      # whole bundled sample corpus

The page is opened from file://, every request beyond it is refused, and the picture is taken once
the graph has come to rest (``<body data-stable="true">``). Needs Playwright for Python and a
Chromium (``apt-get install chromium``; ``playwright install`` is not needed). ``--sample``
builds the bundled sample corpus into a temporary directory and shows all of it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

DEFAULT_PNG = Path("docs/graph-view.png")


def sample_page(directory: Path, *, top: int | None, max_nodes: int) -> Path:
    """Build the bundled sample corpus into ``directory`` and write its view there."""
    import networkx as nx

    from graph.export.html import write_html
    from graph.pipeline import build

    build(None, directory, formats=["graphml"])
    graph = nx.read_graphml(str(directory / "graph.graphml"))
    target = directory / "graph.html"
    view = write_html(graph, target, top=top, max_nodes=max_nodes, title="paper-kg: sample corpus")
    print(f"{target}: {view.note()}", file=sys.stderr)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("html", nargs="?", type=Path, help="a page written by kg build / kg view")
    parser.add_argument("-o", "--out", type=Path, default=DEFAULT_PNG, help="PNG to write")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to come to rest")
    parser.add_argument("--sample", action="store_true", help="build and show the sample corpus")
    parser.add_argument("--top", type=int, default=None, help="with --sample: most-linked N only")
    parser.add_argument("--max-nodes", type=int, default=1500, help="with --sample: node cap")
    args = parser.parse_args(argv)
    if (args.html is None) == (not args.sample):
        parser.error("give either an HTML file or --sample")

    from graph.errors import KGError
    from graph.export.html import screenshot

    try:
        with tempfile.TemporaryDirectory(prefix="kg-screenshot-") as tmp:
            page = (
                sample_page(Path(tmp), top=args.top, max_nodes=args.max_nodes)
                if args.sample
                else args.html
            )
            png = screenshot(
                page, args.out, width=args.width, height=args.height, timeout=args.timeout
            )
    except KGError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    print(png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
