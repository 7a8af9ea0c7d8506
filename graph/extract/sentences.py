"""Sentence boundaries for abstracts, found with one regular expression and set with arrays.

spaCy's rule-based ``sentencizer`` makes a Python Token object per token, which cost about a
third of the whole extraction; this component finds the same boundaries on the text and writes
them to the Doc in one ``from_array`` call, so ``doc.sents`` works as usual.
"""

from __future__ import annotations

import re

import numpy as np
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from graph.extract._text import doc_text

#: A sentence ends at . ! or ? (maybe closed by quotes/brackets) before whitespace and a
#: capital, digit, quote or bracket; a blank line always ends one (the title's end).
_BOUNDARY = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[A-Z0-9\"'(\[“‘])|\n\s*\n\s*")
#: Words whose final period does not end a sentence.
_ABBREVIATIONS = frozenset(
    [
        "e.g",
        "i.e",
        "etc",
        "al",
        "vs",
        "cf",
        "fig",
        "figs",
        "eq",
        "eqs",
        "sec",
        "no",
        "approx",
        "resp",
        "dr",
        "mr",
        "ms",
        "prof",
        "st",
        "jr",
        "sr",
        "inc",
        "ltd",
        "et.al",
        "u.s",
        "a.k.a",
    ]
)


def sentence_starts(text: str) -> list[int]:
    """Return the character offsets where the sentences of ``text`` start (0 first).

    >>> sentence_starts("We propose X. It works, e.g. on GLUE. Done!")
    [0, 14, 38]
    """
    starts = [0]
    for m in _BOUNDARY.finditer(text):
        if m.group().strip() == "" and "\n" not in m.group():
            word = text[: m.start()].rsplit(None, 1)[-1].rstrip(".").lower() if m.start() else ""
            if word in _ABBREVIATIONS:
                continue
        if m.end() < len(text):
            starts.append(m.end())
    return starts


@Language.factory("kg_sentences", assigns=["token.is_sent_start"], default_config={})
def make_sentences_component(nlp: Language, name: str) -> SentenceComponent:
    """Create the sentence-boundary component (a fast stand-in for spaCy's sentencizer)."""
    return SentenceComponent()


class SentenceComponent:
    """Sets ``token.is_sent_start`` from :func:`sentence_starts` of the Doc's text."""

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        starts = np.asarray(sentence_starts(doc_text(doc)), dtype="int64")
        idx = doc.to_array([IDX]).astype("int64").reshape(-1)
        flags = np.full(len(idx), -1, dtype="int64")
        flags[np.isin(idx, starts)] = 1
        flags[0] = 1
        doc.from_array([SENT_START], flags.reshape(-1, 1).astype("uint64"))
        return doc
