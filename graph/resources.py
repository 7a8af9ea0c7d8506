"""Where the package's data lives, whether installed from a wheel or run from a checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from graph.errors import OntologyError

_PACKAGE_DIR = Path(__file__).resolve().parent


def ontology_dir() -> Path:
    """Return the directory holding kg.ttl, shapes.ttl, vocab/ and queries/.

    A wheel carries ``ontology/`` as ``graph/_ontology``; a source checkout (or an editable
    install) has it beside the package.

    Raises:
        OntologyError: if neither location exists.
    """
    installed = Path(str(resources.files("graph") / "_ontology"))
    for candidate in (installed, _PACKAGE_DIR.parent / "ontology"):
        if (candidate / "kg.ttl").is_file():
            return candidate
    raise OntologyError(
        f"ontology files not found (looked in {installed} and {_PACKAGE_DIR.parent / 'ontology'}); "
        "reinstall paper-kg"
    )


def samples_dir() -> Path:
    """Return the directory of the bundled sample corpus (Hugging Face daily-papers dumps)."""
    return _PACKAGE_DIR / "samples" / "hf-daily-papers"
