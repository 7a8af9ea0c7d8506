"""Shared fixtures: a tiny test vocabulary, a pipeline on it, and a full sample build."""

from __future__ import annotations

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
