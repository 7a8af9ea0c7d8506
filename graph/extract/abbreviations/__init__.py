"""Abbreviation (acronym definition) detection for titles and abstracts.

An adaptation of Schwartz & Hearst (2003), "A simple algorithm for identifying abbreviation
definitions in biomedical text", to ML writing. Definitions come in two shapes::

    Low-Rank Adaptation (LoRA)          long form (short form)
    MoE (mixture of experts)            short form (long form)

For every parenthesis the text inside (or its part before the first ``,``/``;``) is tested as a
short form; the long form is then searched in a window of ``min(len(SF) + 5, 2 * len(SF))`` words
before the parenthesis. Like Schwartz–Hearst's ``best_long_form`` every alphanumeric character of
the short form must be found, in order, in the long form, and the first one must start a word.
Unlike the greedy right-to-left original the alignment is chosen by a small dynamic program that
prefers aligning the short form's capitals with word starts, hyphen parts and word-internal
capitals, and otherwise the shortest long form. This copes with camel-case compounds
("EfficientQAT" <- "Efficient Quantization-Aware Training"), hyphenated long forms
("Quantization-Aware Training" -> "QAT"), capitals inside words ("Pre-training with
Representative wOrds Prediction" -> "PROP"), digits ("E2E" <- "end-to-end", "S3T" <- three S
words, "T2I" <- "text-to-image") and ``x`` for "cross" ("xICL" <- "cross-lingual in-context
learning"). A few plausibility checks then reject alignments that only work by picking scattered
letters out of a long window.

All the logic is in plain functions over strings; the spaCy component ``kg_abbreviations`` only
puts the pairs on the Doc as spans.

The modules: :mod:`.forms` (short forms and :class:`AbbreviationPair`), :mod:`.align` (long
forms), :mod:`.find` (definitions in a text), :mod:`.component` (the spaCy component).
"""

from __future__ import annotations

from graph.extract.abbreviations.align import best_long_form
from graph.extract.abbreviations.component import AbbreviationDetector
from graph.extract.abbreviations.find import find_abbreviations
from graph.extract.abbreviations.forms import AbbreviationPair, is_short_form, plural_stripped

__all__ = [
    "AbbreviationDetector",
    "AbbreviationPair",
    "best_long_form",
    "find_abbreviations",
    "is_short_form",
    "plural_stripped",
]
