"""Resolve: turn every paper's mentions into canonical entities, one per real thing.

Mentions are grouped by (type, name key) across the whole corpus, so "LLaMA2", "Llama-2" and
"LLaMA 2" are one entity; vocabulary concepts bring their own aliases; acronym definitions
("Low-Rank Adaptation (LoRA)") join a long form and its short form; versioned names link to their
family ("Llama-2-70B" -> Llama 2 -> LLaMA). The result is independent of input order.

The modules: :mod:`.results` (Entity, Link, Statement, Resolution, MentionKey), :mod:`.joins`
(the sets of names that are one entity: union-find, one type per name, releases kept apart),
:mod:`.labels` (display and canonical names, concept entities, shared labels dropped),
:mod:`.resolver` (:func:`resolve` itself and the statements). Every public name is importable
from here.
"""

from __future__ import annotations

from graph.records import ENTITY_TYPES
from graph.resolve.labels import display_name as display_name
from graph.resolve.resolver import resolve as resolve
from graph.resolve.results import LINK_PREDICATES as LINK_PREDICATES
from graph.resolve.results import Entity as Entity
from graph.resolve.results import Link as Link
from graph.resolve.results import MentionKey as MentionKey
from graph.resolve.results import Resolution as Resolution
from graph.resolve.results import Statement as Statement

__all__ = [
    "ENTITY_TYPES",
    "LINK_PREDICATES",
    "Entity",
    "Link",
    "MentionKey",
    "Resolution",
    "Statement",
    "resolve",
]
