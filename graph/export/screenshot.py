"""Photographs of the view: the page opened in headless Chromium, a PNG once it is still.

Playwright for Python drives Debian's Chromium (``/usr/bin/chromium``, or ``$KG_CHROMIUM``);
no browser is ever downloaded.
"""

from __future__ import annotations

import concurrent.futures
import os
import re
import shutil
from pathlib import Path

from graph.errors import KGError, OutputError
from graph.export import atomic_path

#: Flags for Chromium in tests and screenshots: quiet, offline, no first-run work.
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str:
    """The Chromium to drive: ``$KG_CHROMIUM``, else /usr/bin/chromium, else one on PATH.

    Raises:
        KGError: when there is none (with an install hint).
    """
    candidates = [os.environ.get("KG_CHROMIUM"), "/usr/bin/chromium"]
    candidates += [shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")]
    for path in candidates:
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    raise KGError(
        "no Chromium found for the screenshot; install it (Debian/Ubuntu: "
        "`apt-get install chromium`) or set KG_CHROMIUM to its path"
    )


def screenshot(
    html_path: Path,
    png_path: Path,
    *,
    width: int = 1400,
    height: int = 900,
    timeout: float = 120.0,
) -> Path:
    """Open ``html_path`` in headless Chromium, wait until the graph is still, save a PNG.

    Args:
        html_path: A page written by :func:`write_html`.
        png_path: Where to write the PNG (directories are created).
        width: Viewport width in CSS pixels.
        height: Viewport height in CSS pixels.
        timeout: Seconds to wait for the page to come to rest.

    Returns:
        ``png_path``.

    Raises:
        KGError: when Playwright or Chromium is missing, or the page does not come to rest.
    """
    html_path = Path(html_path).resolve()
    if not html_path.is_file():
        raise KGError(f"{html_path}: no such HTML file; write one with kg view first")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import TimeoutError as PlaywrightTimeout
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise KGError(
            "screenshots need Playwright for Python: pip install playwright "
            "(and a Chromium: apt-get install chromium; no `playwright install` needed)"
        ) from exc
    png_path = Path(png_path)
    executable = chromium_path()

    def shoot() -> None:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=executable,
                headless=True,
                chromium_sandbox=False,
                args=CHROMIUM_ARGS,
            )
            try:
                page = browser.new_page(viewport={"width": width, "height": height})
                page.route(re.compile(r"^(?!file:|data:|about:)"), lambda route: route.abort())
                page.goto(html_path.as_uri())
                try:
                    page.wait_for_selector('body[data-stable="true"]', timeout=timeout * 1000)
                except PlaywrightTimeout as exc:
                    raise KGError(
                        f"{html_path}: the graph did not come to rest within {timeout:g} s"
                    ) from exc
                png_path.parent.mkdir(parents=True, exist_ok=True)
                with atomic_path(png_path) as tmp:
                    page.screenshot(path=str(tmp), type="png")
            finally:
                browser.close()

    # Playwright's sync API refuses to run where an asyncio loop is running (Jupyter, or another
    # sync_playwright): a thread of its own always works.
    try:
        with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="kg-screenshot") as pool:
            pool.submit(shoot).result()
    except PlaywrightError as exc:
        raise KGError(f"{html_path}: screenshot failed ({str(exc).splitlines()[0]})") from exc
    except OSError as exc:
        raise OutputError(f"{png_path}: cannot write ({exc})") from exc
    return png_path
