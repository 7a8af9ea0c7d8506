"""Relations a paper states between the entities it names, read one sentence at a time.

:func:`find_relations` is the plain function; the ``kg_relations`` component runs it after
``kg_entities`` and puts the result on ``doc._.kg_extraction.relations``.

Each sentence with a mention in it becomes a template (:mod:`.sentence`): every occurrence of a
mention (:mod:`.occurrences`) is replaced by a placeholder, so "FlashSpeech is built on LCM and
applies ACT" reads ``E0 is built on E1 and applies E2``. One RE2 pass finds the cue phrases
(:mod:`.expressions`); around each cue the rules (:mod:`.rules`) read the coordinated list
that follows ("on GLUE, SuperGLUE and SQuAD" gives three objects) and what the clause is
about: the nearest entity before the cue, the anchor of an appositive it sits in ("X and Y, the
first BERT models pre-trained on ..." is about X and Y), or the paper's own artefact when the
clause speaks as "we", "our model" or "it". The object's type picks the relation ("trained
on" a dataset is ``trainedOn``, "trained in" a language ``forLanguage``), and each relation's
signature (:data:`graph.records.RELATION_SIGNATURES`) rejects the rest.

Nothing comes out of a clause that is negated or hedged ("does not outperform", "may improve
on"), nor for an entity named as a contrast ("unlike X", "instead of X") or as an inspiration
("inspired by X" is not ``basedOn``). Passives swap the roles ("Y is outperformed by X").

Besides the cues: verbs before their objects ("fine-tune X on D", "adapt X ... for L"); an
appositive ("X, a BERT-based model") gives ``basedOn``; "Y-based models such as A and B" gives
A and B ``basedOn`` Y; "compared with Y, X excels" gives ``outperforms``; a language right
before a model or dataset ("the Maltese BERT") gives ``forLanguage``; a title "X: ... via Y"
gives X ``uses`` Y; a proposed name grown
on a known one ("HindTweetBERT") gives ``basedOn``; and a component the paper introduces for
its own artefact ("a module, termed TabUnit") gives ``uses``. Sentences opening on what they
are built on, evaluated or trained on ("Based on Y, our model ...", "Benchmarked against D, X
...") and results named by a dataset's score ("a higher GLUE score") count too; a name holding
a language's name ("Norwegian Generative Language Models") is made for it; and in a paper that
proposes a dataset, "our benchmark" is an occurrence of it.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from graph.extract._text import doc_text
from graph.extract.entities import sentence_starts
from graph.extract.relations.expressions import MAX_OCCURRENCES, OWN_DATASET_WORDS
from graph.extract.relations.occurrences import Occurrence, find_occurrences
from graph.extract.relations.rules import (
    Found,
    cue_relations,
    paper_relations,
    primary_artefact,
    shape_relations,
)
from graph.extract.relations.sentence import Sentence
from graph.iri import name_key
from graph.records import AliasPair, Extraction, Mention, Relation


def find_relations(
    title: str,
    abstract: str,
    mentions: Sequence[Mention],
    sentence_starts: Sequence[int],
    aliases: Sequence[AliasPair] = (),
) -> tuple[Relation, ...]:
    """The relations the title and abstract state between the paper's mentions.

    Args:
        title: The paper's title.
        abstract: The paper's abstract.
        mentions: The mentions ``kg_entities`` found (one per type and name).
        sentence_starts: Start offsets of the sentences of ``title + "\\n\\n" + abstract``.
        aliases: The acronym definitions of the paper: a name and its acronym are one thing,
            never related to each other.

    Returns:
        One relation per (type, head, tail), the most confident (then the earliest) kept; in
        text order.
    """
    return _relations(f"{title}\n\n{abstract}", len(title), mentions, sentence_starts, aliases)


def _relations(
    text: str,
    title_length: int,
    mentions: Sequence[Mention],
    sentence_starts: Sequence[int],
    aliases: Sequence[AliasPair],
) -> tuple[Relation, ...]:
    """:func:`find_relations` over ``text = title + "\\n\\n" + abstract``."""
    if len(mentions) < 2:
        return ()
    occurrences = find_occurrences(text, mentions)
    occurrences = _own_dataset_phrases(text, title_length, mentions, occurrences)
    if len(occurrences) < 2:
        return ()
    # Every name's key, worked out once: the rules compare names by key.
    keys = {id(m): name_key(m.text) for m in mentions}
    primary = primary_artefact(mentions, text[:title_length])
    # The artefact's names: its own, and its acronym or the long form the paper defines for it
    # ("Transformer as Linear Expansion of learnGene (TLEG)").
    own_keys: set[str] = set()
    if primary is not None:
        own_keys.add(keys[id(primary)])
        for a in aliases:
            short, long = name_key(a.short), name_key(a.long)
            if own_keys & {short, long}:
                own_keys |= {short, long}
    ours = frozenset(i for i, k in keys.items() if k in own_keys)
    prefix = (
        primary is not None
        and primary.field == "title"
        and primary.start <= 2
        and text[primary.end : primary.end + 1] == ":"
    )
    # Sentence i runs from starts[i] to starts[i + 1]; the title is sentence 0. Only sentences
    # holding a name are looked at.
    starts = [0, *(s for s in sentence_starts if s >= title_length + 2)]
    by_sentence: dict[int, list[Occurrence]] = {}
    for o in occurrences:
        by_sentence.setdefault(bisect.bisect_right(starts, o.start) - 1, []).append(o)

    def sentence_of(offset: int) -> tuple[int, int]:
        return _trimmed(text, starts, bisect.bisect_right(starts, offset) - 1, title_length)

    found: list[tuple[Found, int, int]] = []
    for i, inside in by_sentence.items():
        start, end = sentence_of(inside[0].start)
        inside = [o for o in inside if o.end <= end]
        if not _worth_reading(text, start, end, inside, primary):
            continue
        sentence = Sentence(text, start, end, inside, i == 0, primary, prefix, ours)
        for f in cue_relations(sentence) + shape_relations(sentence):
            found.append((f, start, end))
    found += paper_relations(text, mentions, occurrences, primary, sentence_of, keys)
    same = {name_key(a.short): name_key(a.long) for a in aliases}
    same.update({v: k for k, v in list(same.items())})
    return _best(found, title_length, same, keys)


def _own_dataset_phrases(
    text: str, title_length: int, mentions: Sequence[Mention], occurrences: list[Occurrence]
) -> list[Occurrence]:
    """``occurrences`` with "our datasets", "the proposed benchmark" as occurrences of the
    dataset the paper proposes (the first, if several), where it proposes one."""
    own = next((m for m in mentions if m.proposed and m.type == "Dataset"), None)
    if own is None:
        return occurrences
    found = [
        Occurrence(m.start(), m.end(), own)
        for m in OWN_DATASET_WORDS.finditer(text, title_length)
        if not any(o.start < m.end() and m.start() < o.end for o in occurrences)
    ]
    if not found:
        return occurrences
    return sorted(occurrences + found, key=lambda o: (o.start, o.end))


def _trimmed(text: str, starts: list[int], i: int, title_length: int) -> tuple[int, int]:
    """(start, end) of sentence ``i`` without its surrounding whitespace (the title is 0)."""
    start = starts[i]
    end = title_length if i == 0 else starts[i + 1] if i + 1 < len(starts) else len(text)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


#: Words without which a sentence with one name cannot speak for the paper's artefact (a cheap
#: test; the rules then read the sentence exactly).
_WE_WORDS = frozenset(["we", "our", "us", "it", "its", "this", "proposed", "resulting"])
_PUNCTUATION = str.maketrans({c: " " for c in "()[]{},;:.!?\"'`/"})


def _worth_reading(
    text: str, start: int, end: int, inside: list[Occurrence], primary: Mention | None
) -> bool:
    """Whether a sentence can state a relation: two names, or one and "we" for our artefact."""
    if len(inside) >= 2:
        return len(inside) <= MAX_OCCURRENCES
    if not inside or primary is None or inside[0].mention is primary:
        return False
    return not _WE_WORDS.isdisjoint(text[start:end].lower().translate(_PUNCTUATION).split())


def _best(
    found: list[tuple[Found, int, int]],
    title_length: int,
    same: dict[str, str],
    keys: dict[int, str],
) -> tuple[Relation, ...]:
    """One relation per (type, head, tail): the most confident, then the earliest."""
    best: dict[tuple[str, str, str, str, str], tuple[Found, int, int]] = {}
    for f, start, end in found:
        head, tail = keys[id(f.head)], keys[id(f.tail)]
        if head == tail or same.get(head) == tail:
            continue
        key = (f.type, f.head.type, f.head.text, f.tail.type, f.tail.text)
        kept = best.get(key)
        if kept is None or (f.confidence, -start) > (kept[0].confidence, -kept[1]):
            best[key] = (f, start, end)
    relations = []
    abstract_start = title_length + 2
    for f, start, end in sorted(best.values(), key=lambda x: (x[1], x[0].type, x[0].head.text)):
        in_title = start < title_length
        base = 0 if in_title else abstract_start
        relations.append(
            Relation(
                type=f.type,
                head=f.head.text,
                head_type=f.head.type,
                tail=f.tail.text,
                tail_type=f.tail.type,
                field="title" if in_title else "abstract",
                start=start - base,
                end=end - base,
                rule=f.rule,
                confidence=f.confidence,
            )
        )
    return tuple(relations)


@Language.factory("kg_relations", assigns=["doc._.kg_extraction"], default_config={})
def make_relations_component(nlp: Language, name: str) -> RelationsComponent:
    """Create the component that adds the relations between ``kg_entities``' mentions."""
    return RelationsComponent()


class RelationsComponent:
    """Runs :func:`find_relations` on a Doc's extraction; must come after ``kg_entities``."""

    def __call__(self, doc: Doc) -> Doc:
        extraction: Extraction | None = doc._.kg_extraction
        if extraction is None or len(extraction.mentions) < 2:
            return doc
        text = doc_text(doc)
        title_length = doc._.title_length or 0
        starts = sentence_starts(doc)
        if not title_length and not text.startswith("\n\n"):
            # a Doc of an abstract alone, as kg_entities reads it
            text, starts = "\n\n" + text, [s + 2 for s in starts]
        relations = _relations(text, title_length, extraction.mentions, starts, extraction.aliases)
        if relations:
            doc._.kg_extraction = replace(extraction, relations=relations)
        return doc


__all__ = [
    "Occurrence",
    "RelationsComponent",
    "find_occurrences",
    "find_relations",
    "primary_artefact",
]
