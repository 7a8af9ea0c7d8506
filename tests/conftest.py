"""Shared fixtures: a tiny test vocabulary, a pipeline on it, and a full sample build."""

from __future__ import annotations

import os
import shutil
import subprocess
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


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """/usr/bin/chromium (Debian's), installed with apt-get first if it is missing."""
    if os.path.exists(CHROMIUM):
        return CHROMIUM
    apt = shutil.which("apt-get")
    if apt is None:
        pytest.skip(f"{CHROMIUM} is missing and apt-get is unavailable to install Debian chromium")
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        pytest.skip(f"{CHROMIUM} is missing and installing it with apt-get needs root")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in ([apt, "update"], [apt, "install", "-y", "chromium"]):
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1800)
        if done.returncode != 0:
            pytest.fail(f"{' '.join(cmd)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    assert os.path.exists(CHROMIUM), "apt-get installed chromium but /usr/bin/chromium is missing"
    return CHROMIUM


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
