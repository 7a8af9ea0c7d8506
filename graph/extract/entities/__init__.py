"""Combining what the other components found into typed, deduplicated mentions with evidence.

:func:`combine` is the plain function; the ``kg_entities`` component calls it and writes the
result to ``doc.spans["kg_entities"]`` and ``doc._.kg_extraction``.

The modules: :mod:`.findings` (the records), :mod:`.gather` (:func:`find_all`), :mod:`.acronyms`,
:mod:`.variants` (compounds, elided versions, long names, editions), :mod:`.title` (title
phrases), :mod:`.selection` (overlaps and types), :mod:`.mentions` (the rules' decision, the
mentions), :mod:`.component` (the spaCy components, registered on import). Every name is
importable from here.
"""

from __future__ import annotations

from graph.extract.entities.component import EntitiesComponent, PatternsComponent
from graph.extract.entities.component import make_entities_component as make_entities_component
from graph.extract.entities.component import make_patterns_component as make_patterns_component
from graph.extract.entities.component import sentence_starts as sentence_starts
from graph.extract.entities.component import set_extraction as set_extraction
from graph.extract.entities.findings import Findings as Findings
from graph.extract.entities.findings import _Span as _Span
from graph.extract.entities.gather import find_all as find_all
from graph.extract.entities.gather import ml_context as ml_context
from graph.extract.entities.mentions import _sorted_aliases as _sorted_aliases
from graph.extract.entities.mentions import combine
from graph.extract.entities.mentions import passing_generic_method as passing_generic_method
from graph.extract.entities.mentions import rule_extraction as rule_extraction
from graph.extract.entities.mentions import to_mentions as to_mentions

__all__ = ["EntitiesComponent", "PatternsComponent", "combine"]
