"""The examples in the package's docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import graph

#: Every module of the package but the command-line entry point (importing it runs the CLI).
MODULES = sorted(
    m.name for m in pkgutil.walk_packages(graph.__path__, "graph.") if m.name != "graph.__main__"
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name):
    try:
        module = importlib.import_module(name)
    except ImportError as exc:  # an optional extra (dask) that is not installed
        pytest.skip(f"{name}: {exc}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed"
