"""The text of a Doc, computed once: ``Doc.text`` joins every token each time it is read."""

from __future__ import annotations

from spacy.tokens import Doc

_KEY = "kg_text"


def doc_text(doc: Doc) -> str:
    """Return ``doc.text``, cached in ``doc.user_data`` after the first call."""
    text = doc.user_data.get(_KEY)
    if text is None:
        text = doc.user_data[_KEY] = doc.text
    return text
