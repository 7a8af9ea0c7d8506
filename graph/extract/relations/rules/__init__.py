"""The rules that read relations: cue phrases, verbs before their objects, sentence shapes, and
two that look at the whole paper.

Each rule returns :class:`Found` items: a relation type, the head and tail mentions, the rule's
name and its confidence.

The modules: :mod:`.found` (what a rule returns), :mod:`.cues` (cue phrases and verbs before
objects), :mod:`.shapes` (sentence shapes), :mod:`.paper` (whole papers). Every name is
importable from here.
"""

from __future__ import annotations

from graph.extract.relations.rules.cues import cue_relations
from graph.extract.relations.rules.found import Found, typed
from graph.extract.relations.rules.paper import name_built_on, paper_relations, primary_artefact
from graph.extract.relations.rules.shapes import shape_relations

__all__ = [
    "Found",
    "cue_relations",
    "name_built_on",
    "paper_relations",
    "primary_artefact",
    "shape_relations",
    "typed",
]
