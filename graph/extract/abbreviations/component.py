"""The spaCy component ``kg_abbreviations`` and the Doc extension it sets."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from graph.extract._text import doc_text
from graph.extract.abbreviations.find import find_abbreviations

if not Doc.has_extension("abbreviations"):
    Doc.set_extension("abbreviations", default=None)
if not Doc.has_extension("abbreviation_pairs"):
    Doc.set_extension("abbreviation_pairs", default=None)


@Language.factory("kg_abbreviations", assigns=["doc._.abbreviations"], default_config={})
class AbbreviationDetector:
    """spaCy component: ``doc._.abbreviations`` = [(short span, long span), ...] in text order.

    Works on any pipeline, including ``spacy.blank("en")``; it needs no parser.
    """

    def __init__(self, nlp: Language, name: str = "kg_abbreviations") -> None:
        """Create the component.

        Args:
            nlp: The pipeline (unused).
            name: The component name.
        """
        self.name = name
        if not Doc.has_extension("abbreviations"):
            Doc.set_extension("abbreviations", default=None)

    def __call__(self, doc: Doc) -> Doc:
        """Find the definitions in ``doc.text`` and store them as span pairs.

        Args:
            doc: The document.

        Returns:
            The same document, with ``doc._.abbreviations`` set (and the exact character-level
            pairs in ``doc._.abbreviation_pairs``).
        """
        spans: list[tuple[Span, Span]] = []
        pairs = find_abbreviations(doc_text(doc))
        doc._.abbreviation_pairs = pairs
        for pair in pairs:
            short = doc.char_span(pair.short_start, pair.short_end, alignment_mode="expand")
            long = doc.char_span(pair.long_start, pair.long_end, alignment_mode="expand")
            if short is not None and long is not None:
                spans.append((short, long))
        doc._.abbreviations = spans
        return doc
