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
#: capital, digit, quote or bracket; a blank line always ends one (the title's end). The gap after
#: the punctuation is group 1; a blank line is the whole match. Starting the pattern with one
#: character class (rather than a lookbehind) lets the regex engine skip ahead to the candidates,
#: which makes the search about four times faster.
_BOUNDARY = re.compile(r"[.!?\n](?:(?<=[.!?])([\"')\]]*\s+)(?=[A-Z0-9\"'(\[“‘])|(?<=\n)\s*\n\s*)")
#: Where kg_sentences leaves the sentence start offsets it set, in ``doc.user_data``.
STARTS_KEY = "kg_sentence_starts"
#: How far back to look for the start of the word before a period; longer words (rare) are
#: found in the whole prefix.
_WORD_LOOKBACK = 16
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


def _word_before(text: str, end: int) -> str:
    """The whitespace-delimited word that ends at ``text[end - 1]`` (a non-space character).

    Equal to ``text[:end].rsplit(None, 1)[-1]`` without copying the whole prefix.
    """
    low = max(0, end - _WORD_LOOKBACK)
    word = text[low:end].rsplit(None, 1)[-1]
    if low > 0 and len(word) == end - low:  # the word may start before ``low``
        word = text[:end].rsplit(None, 1)[-1]
    return word


def sentence_starts(text: str) -> list[int]:
    """Return the character offsets where the sentences of ``text`` start (0 first).

    >>> sentence_starts("We propose X. It works, e.g. on GLUE. Done!")
    [0, 14, 38]
    """
    starts = [0]
    size = len(text)
    for m in _BOUNDARY.finditer(text):
        gap = m.group(1)
        if gap is not None and gap.isspace() and "\n" not in gap:
            # "(e.g. BERT" is no boundary either: brackets and quotes before the word are not
            # part of it.
            word = _word_before(text, m.start(1)).rstrip(".").lstrip("([{\"'“‘").lower()
            if word in _ABBREVIATIONS:
                continue
        if m.end() < size:
            starts.append(m.end())
    return starts


@Language.factory("kg_sentences", assigns=["token.is_sent_start"], default_config={})
def make_sentences_component(nlp: Language, name: str) -> SentenceComponent:
    """Create the sentence-boundary component (a fast stand-in for spaCy's sentencizer)."""
    return SentenceComponent()


class SentenceComponent:
    """Sets ``token.is_sent_start`` from :func:`sentence_starts` of the Doc's text.

    The offsets of the sentence-start tokens also go to ``doc.user_data[STARTS_KEY]``; a later
    component that moves sentence boundaries must delete that entry.
    """

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        idx = doc.to_array(IDX)
        starts = np.asarray(sentence_starts(doc_text(doc)), dtype=idx.dtype)
        # spaCy tokens are never empty, so token offsets strictly increase and a start is a
        # token's offset exactly when the token searchsorted finds for it has that offset.
        at = np.minimum(np.searchsorted(idx, starts), len(idx) - 1)
        flags = np.full(len(idx), -1, dtype="int64")
        flags[at[idx[at] == starts]] = 1
        flags[0] = 1
        doc.from_array([SENT_START], flags.reshape(-1, 1).astype("uint64"))
        # The offsets of the tokens just marked, for kg_entities (reading them back from the
        # Doc's arrays costs as much again).
        marked = idx[flags == 1].tolist()
        doc.user_data[STARTS_KEY] = marked if marked[0] == 0 else [0, *marked]
        return doc
