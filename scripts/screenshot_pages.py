#!/usr/bin/env python3
"""Photograph the pages of kg serve in headless Chromium (the README's docs/*.png).

    python scripts/screenshot_pages.py                    # the bundled sample corpus
    python scripts/screenshot_pages.py --graph exports --entity model/bert

Serves the graph on 127.0.0.1 (an ephemeral port; every request beyond it is refused), then
writes the home page's trends chart (``docs/trends.png``) and an entity page
(``docs/entity-page.png``). Needs Playwright for Python and Debian's chromium
(``apt-get install chromium``; ``playwright install`` is not needed). Without ``--graph`` it
builds the bundled sample corpus into a temporary directory first.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--graph", type=Path, help="a build directory (default: build the sample)")
    parser.add_argument("--entity", default="model/llama-2", help="the entity page to show")
    parser.add_argument("--docs", type=Path, default=Path("docs"), help="where the PNGs go")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=1000)
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from graph.errors import KGError
    from graph.export.html import CHROMIUM_ARGS, chromium_path
    from graph.pipeline import build
    from graph.serve.server import make_server

    try:
        with tempfile.TemporaryDirectory(prefix="kg-pages-") as tmp:
            graph = args.graph
            if graph is None:
                graph = Path(tmp) / "sample"
                build(None, graph, formats=["ttl", "html"])
            server = make_server(graph, "127.0.0.1", 0, quiet=True).start()
            try:
                args.docs.mkdir(parents=True, exist_ok=True)
                with sync_playwright() as pw:
                    browser = pw.chromium.launch(
                        executable_path=chromium_path(),
                        headless=True,
                        chromium_sandbox=False,
                        args=CHROMIUM_ARGS,
                    )
                    context = browser.new_context(
                        viewport={"width": args.width, "height": args.height},
                        device_scale_factor=1,
                    )
                    own = re.compile("^" + re.escape(server.url))
                    context.route(
                        re.compile(".*"),
                        lambda route: (
                            route.continue_() if own.match(route.request.url) else route.abort()
                        ),
                    )
                    page = context.new_page()
                    page.goto(server.url)
                    trends = args.docs / "trends.png"
                    page.locator("#trends").screenshot(path=str(trends))
                    print(trends)
                    page.goto(f"{server.url}id/{args.entity}.html")
                    entity = args.docs / "entity-page.png"
                    page.screenshot(path=str(entity))
                    print(entity)
                    browser.close()
            finally:
                server.stop()
    except KGError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
