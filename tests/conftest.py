"""Shared fixtures: a tiny test vocabulary, a pipeline on it, a full sample build, a small
graph for the pages (with arXiv ids, hostile titles and relations), and a headless Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def fixtures() -> Path:
    """The tests/fixtures directory."""
    return FIXTURES


@pytest.fixture(scope="session")
def mini_vocab():
    """A handful of concepts of each type (tests/fixtures/vocab/mini.ttl)."""
    from graph.ontology import load_vocabulary

    return load_vocabulary(FIXTURES / "vocab")


@pytest.fixture(scope="session")
def mini_nlp(mini_vocab):
    """The extraction pipeline over the mini vocabulary."""
    from graph.extract import make_pipeline

    return make_pipeline(mini_vocab)


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> Path:
    """A full build of the bundled sample corpus with the shipped vocabularies (built once)."""
    from graph.pipeline import build

    out = tmp_path_factory.mktemp("sample-build")
    build(None, out, formats=["ttl", "nt", "graphml"], jobs=1)
    return out


@pytest.fixture(scope="session")
def pages_graph(tmp_path_factory) -> Path:
    """tests/fixtures/pages/papers.jsonl built, plus the relations of statements.ttl, as one
    Turtle file in the build directory (whose graph.html the server shows at /view)."""
    from graph.pipeline import build

    out = tmp_path_factory.mktemp("pages-build")
    build([str(FIXTURES / "pages" / "papers.jsonl")], out, formats=["ttl", "html"], jobs=1)
    combined = out / "combined.ttl"
    combined.write_text(
        (out / "graph.ttl").read_text(encoding="utf-8")
        + (FIXTURES / "pages" / "statements.ttl").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    return combined


CHROMIUM = "/usr/bin/chromium"
#: Set to 1 to skip the browser tests rather than install Debian's chromium with apt-get.
NO_APT = "KG_TEST_NO_APT"


def find_chromium(path: str = CHROMIUM, environ: dict[str, str] | None = None) -> str:
    """``path`` if Debian's chromium is there; else install it with apt-get as root (saying so
    on stderr first) unless ``KG_TEST_NO_APT=1``; else skip the calling test with the reason."""
    environ = dict(os.environ if environ is None else environ)
    if os.path.exists(path):
        return path
    if environ.get(NO_APT, "") not in ("", "0"):
        pytest.skip(f"{path} is missing and {NO_APT} is set: browser tests skipped")
    apt = shutil.which("apt-get")
    if apt is None:
        pytest.skip(f"{path} is missing and apt-get is unavailable to install Debian chromium")
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        pytest.skip(f"{path} is missing and installing it with apt-get needs root")
    print(
        f"\nkg tests: {path} is missing; installing Debian's chromium with apt-get (as root) "
        f"for the browser tests; set {NO_APT}=1 to skip them instead",
        file=sys.__stderr__,
        flush=True,
    )
    env = dict(environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in ([apt, "update"], [apt, "install", "-y", "chromium"]):
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1800)
        if done.returncode != 0:
            pytest.skip(
                f"{' '.join(cmd)} failed, so there is no browser for these tests:\n"
                f"{done.stderr[-1000:]}"
            )
    if not os.path.exists(path):
        pytest.skip(f"apt-get installed chromium but {path} is missing")
    return path


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """/usr/bin/chromium (Debian's), or the tests that need it skip (see find_chromium)."""
    return find_chromium()


@pytest.fixture(scope="session")
def browser(chromium_executable) -> Iterator[object]:
    """One headless Chromium for the whole session, driven by Playwright (never downloaded)."""
    sync_api = pytest.importorskip(
        "playwright.sync_api",
        reason="Playwright for Python is not installed (pip install -e '.[test]')",
    )
    from graph.export.html import CHROMIUM_ARGS

    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=chromium_executable,
            headless=True,
            chromium_sandbox=False,  # root in a container: no sandbox
            args=CHROMIUM_ARGS,
        )
        yield b
        b.close()
