"""The spaCy components ``kg_patterns`` and ``kg_entities`` and the Doc extensions they use."""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from graph.extract._text import doc_text
from graph.extract.abbreviations import AbbreviationPair
from graph.extract.entities.findings import _occurrences
from graph.extract.entities.gather import find_all
from graph.extract.entities.mentions import rule_extraction
from graph.extract.patterns import (
    SIZE_SUFFIX,
    Candidate,
    appositive_names,
    cue_noun_names,
    proposals,
    shaped_names,
    title_prefix,
)
from graph.extract.sentences import STARTS_KEY
from graph.extract.vocab import CompoundMatcher
from graph.ontology import Vocabulary
from graph.records import Extraction

# The Doc extensions both components of this module read and write, registered once.
for _ext in ("kg_extraction", "kg_candidates", "kg_findings", "title_length"):
    if not Doc.has_extension(_ext):
        Doc.set_extension(_ext, default=None)


def sentence_starts(doc: Doc) -> list[int]:
    """Character offsets where the Doc's sentences start (read from arrays, not ``doc.sents``)."""
    recorded = doc.user_data.get(STARTS_KEY)
    if recorded is not None:
        return recorded
    if len(doc) == 0 or not doc.has_annotation("SENT_START"):
        return [0]
    arr = doc.to_array([SENT_START, IDX]).astype("int64")
    starts = arr[arr[:, 0] == 1, 1].tolist()
    return starts if starts and starts[0] == 0 else [0, *starts]


@Language.factory(
    "kg_entities",
    assigns=["doc.spans", "doc._.kg_extraction", "doc._.kg_findings"],
    default_config={"scan": True, "decide": True},
)
def make_entities_component(
    nlp: Language, name: str, scan: bool, decide: bool
) -> EntitiesComponent:
    """Create the component that merges every finding into ``doc._.kg_extraction``.

    ``scan``: also propose every name-shaped word no rule explained (for the classifier);
    ``decide``: let the hand rules decide (off when ``kg_classifier`` follows).
    """
    return EntitiesComponent(scan, decide)


class EntitiesComponent:
    """Runs :func:`find_all` over a Doc's findings and the rules' decision over them; labels
    ``doc.spans["kg_entities"]`` by type."""

    def __init__(self, scan: bool = True, decide: bool = True) -> None:
        self.stoplist: frozenset[str] = frozenset()
        self.scan = scan
        self.decide = decide

    def initialize(
        self,
        get_examples=None,
        *,
        nlp: Language | None = None,
        stoplist: frozenset[str] | None = None,
    ) -> None:
        """Load the stoplist (default: ontology/vocab/stoplist.ttl)."""
        from graph.ontology import load_vocabulary

        self.stoplist = stoplist if stoplist is not None else load_vocabulary().stoplist

    def __call__(self, doc: Doc) -> Doc:
        title_length = doc._.title_length if doc._.title_length is not None else 0
        text = doc_text(doc)
        title, abstract = text[:title_length], text[title_length + 2 :]
        if title_length == 0:
            title, abstract = "", text[2:] if text.startswith("\n\n") else text
        pairs = doc._.abbreviation_pairs
        if pairs is None:
            pairs = [
                AbbreviationPair(
                    s.text, lf.text, s.start_char, s.end_char, lf.start_char, lf.end_char
                )
                for s, lf in (doc._.abbreviations or [])
            ]
        findings = find_all(
            title,
            abstract,
            doc._.kg_vocab or [],
            doc._.kg_candidates or [],
            pairs,
            sentence_starts(doc),
            self.stoplist,
            scan=self.scan,
            other_senses=(
                doc._.kg_other_senses or () if Doc.has_extension("kg_other_senses") else ()
            ),
        )
        doc._.kg_findings = findings
        if self.decide:
            set_extraction(doc, rule_extraction(findings), len(title))
        return doc


def set_extraction(doc: Doc, extraction: Extraction, title_length: int) -> None:
    """Put a paper's decided mentions on the Doc: ``doc._.kg_extraction`` and, labelled by
    type, ``doc.spans["kg_entities"]``."""
    doc._.kg_extraction = extraction
    base = {"title": 0, "abstract": title_length + 2}
    spans = []
    for m in extraction.mentions:
        span = doc.char_span(
            base[m.field] + m.start,
            base[m.field] + m.end,
            label=m.type,
            alignment_mode="expand",
        )
        if span is not None:
            spans.append(span)
    doc.spans["kg_entities"] = spans


#: What makes a name a variant of itself: a capitalised or numbered hyphen part ("-Mini",
#: "-2", "-XL") or a parameter count ("MoMa 1.4B"); not "-based" or "-like".
_VARIANT_SUFFIX = re.compile(r"-(?:[A-Z][\w.]*|\d[\w.]*)(?<!\.)(?![\w-])| \d+(?:\.\d+)?[BT]\b")

#: A count of examples after a name ("LongWriter-6k", "Quillset-50K"): the variant is a dataset.
_EXAMPLE_COUNT = re.compile(r"-\d+(?:\.\d+)?[kKM]")


@Language.factory("kg_patterns", assigns=["doc._.kg_candidates"], default_config={})
def make_patterns_component(nlp: Language, name: str) -> PatternsComponent:
    """Create the component that runs the novel-name rules of graph.extract.patterns."""
    return PatternsComponent()


class PatternsComponent:
    """Puts the candidates of every pattern rule on ``doc._.kg_candidates``."""

    def __init__(self) -> None:
        self.stoplist: frozenset[str] = frozenset()
        self.compounds: CompoundMatcher | None = None

    def initialize(
        self,
        get_examples=None,
        *,
        nlp: Language | None = None,
        vocabulary: Vocabulary | None = None,
    ) -> None:
        """Load the stoplist and the model names (default: the shipped ontology/vocab)."""
        from graph.ontology import load_vocabulary

        vocabulary = vocabulary or load_vocabulary()
        self.stoplist = vocabulary.stoplist
        self.compounds = CompoundMatcher(vocabulary)

    def __call__(self, doc: Doc) -> Doc:
        if self.compounds is None:
            self.initialize()
        text = doc_text(doc)
        title_length = doc._.title_length or 0
        candidates: list[Candidate] = []
        if title_length:
            prefix = title_prefix(text[:title_length], text[title_length:], self.stoplist)
            if prefix:
                candidates.append(prefix)
        candidates += proposals(text, self.stoplist)
        candidates += cue_noun_names(text, self.stoplist)
        candidates += appositive_names(text, self.stoplist)
        candidates += shaped_names(text, self.stoplist)
        candidates = [
            replace(c, type="Model")
            if c.type is None and self.compounds.find(text[c.start : c.end])
            else c
            for c in candidates
        ]
        # A name found once is the same name wherever the paper repeats it, and its sizes and
        # variants are names of their own ("FlexiBERT-Mini", "MoMa 1.4B").
        extra = []
        for c in candidates:
            name = text[c.start : c.end]
            for pos in _occurrences(text, name):
                end = pos + len(name)
                variant = _VARIANT_SUFFIX.match(text, end)
                entity_type = c.type
                if variant:
                    end = variant.end()
                    # A parameter count makes weights one can download; a count of examples
                    # ("LongWriter-6k") a dataset; any other suffix leaves the type open
                    # (the variant of a method may be a model: "MiniCPM-DPO").
                    entity_type = (
                        "Model"
                        if SIZE_SUFFIX.search(variant.group())
                        else "Dataset"
                        if _EXAMPLE_COUNT.fullmatch(variant.group())
                        else None
                    )
                elif pos == c.start:
                    continue
                extra.append(Candidate(pos, end, c.rule, c.confidence, entity_type, c.proposed))
        doc._.kg_candidates = candidates + extra
        return doc
