"""Minting stable IRIs from names.

Entity IRIs come from the canonical name's *key*: NFKC-normalised, case-folded letters and
digits of any script. Names with the same key are the same entity (``LLaMA-2``, ``Llama 2``,
``llama2``); names with different keys always get different IRIs within a type.
"""

from __future__ import annotations

import functools
import hashlib
import unicodedata

from graph.namespaces import ID

#: IRI path segment per kind of node.
KINDS = {
    "Paper": "paper",
    "Model": "model",
    "Dataset": "dataset",
    "Method": "method",
    "Language": "language",
    "Statement": "statement",
}
_MAX_SLUG = 80


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


@functools.lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """Return the matching key of a name: its case-folded letters and digits, in order.

    Names without any letter or digit (``"🦙"``) get a key from a hash of the whole name, so they
    stay distinct.

    >>> name_key("LLaMA-2") == name_key("Llama 2") == "llama2"
    True
    """
    folded = _nfkc(name)
    key = "".join(ch for ch in folded if ch.isalnum())
    if key:
        return key
    return "_" + hashlib.sha1(folded.encode("utf-8")).hexdigest()[:12]


def _digest(text: str, length: int) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]


def slug(name: str) -> str:
    """Return a readable IRI segment for a name: its letter/digit runs joined by hyphens.

    Two names get the same slug only if they have the same :func:`name_key`. Long names are cut
    and suffixed with a hash of the whole key.

    >>> slug("Llama-2-70B")
    'llama-2-70b'
    """
    folded = _nfkc(name)
    runs, current = [], []
    for ch in folded:
        if ch.isalnum():
            current.append(ch)
        elif current:
            runs.append("".join(current))
            current = []
    if current:
        runs.append("".join(current))
    text = "-".join(runs)
    if not text:
        return "x-" + _digest(folded, 12)
    if len(text) > _MAX_SLUG:
        text = text[:_MAX_SLUG].rstrip("-") + "-" + _digest(name_key(name), 10)
    return text


def entity_iri(entity_type: str, name: str) -> str:
    """Return the IRI of the entity of ``entity_type`` whose canonical name is ``name``."""
    return f"{ID}{KINDS[entity_type]}/{slug(name)}"


def paper_key(title: str, arxiv_id: str | None) -> str:
    """Return the IRI segment of a paper: from its arXiv id when known, else its normalised title.

    >>> paper_key("Anything", "2402.16445")
    'arxiv-2402.16445'
    """
    if arxiv_id:
        return "arxiv-" + arxiv_id.replace("/", "-")
    words = slug(title)[:60].rsplit("-", 1)[0] if len(slug(title)) > 60 else slug(title)
    return f"{words}-{_digest(name_key(title), 8)}"


def paper_iri(key: str) -> str:
    """Return a paper's IRI from its key (see :func:`paper_key`)."""
    return f"{ID}paper/{key}"


def statement_iri(paper: str, predicate: str, subject: str, obj: str) -> str:
    """Return the IRI of the statement node for one (paper, subject, predicate, object)."""
    return f"{ID}statement/{_digest(f'{paper}|{predicate}|{subject}|{obj}', 20)}"
