"""One sentence as a template, and how its clauses, lists, subjects and objects are read.

Every occurrence of a mention becomes a placeholder
(:data:`~graph.extract.relations.expressions.MARK` and a number), so "FlashSpeech is built on
LCM and applies ACT" reads ``E0 is built on E1 and applies E2``.
Items of lists, subjects and objects are the occurrences' numbers; :data:`PRIMARY` stands for
the paper's own artefact when a clause speaks for it ("we", "our model") without naming it.

The modules: :mod:`.template` (the :class:`Sentence`), :mod:`.lists` (lists and objects),
:mod:`.subjects` (subjects and pairs). Every name is importable from here.
"""

from __future__ import annotations

from graph.extract.relations.sentence.lists import list_at, list_ending_at, objects
from graph.extract.relations.sentence.subjects import pairs, subjects
from graph.extract.relations.sentence.template import PRIMARY, Sentence

__all__ = [
    "PRIMARY",
    "Sentence",
    "list_at",
    "list_ending_at",
    "objects",
    "pairs",
    "subjects",
]
