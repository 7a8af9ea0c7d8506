"""Gathering every finding of one paper (:func:`find_all`): vocabulary matches, pattern
candidates, acronym definitions, the names derived from them, and what the rules drop.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from graph.extract.abbreviations import AbbreviationPair
from graph.extract.candidates import scan_names
from graph.extract.entities.acronyms import (
    _generic_class,
    _in_object,
    _modifies_no_entity,
    _plural,
    _type_after,
)
from graph.extract.entities.findings import Findings, _sentence_of, _Span, _trim
from graph.extract.entities.selection import (
    _select,
    _settle_types,
    _with_nested,
    _without_other_senses,
)
from graph.extract.entities.title import _title_phrases
from graph.extract.entities.variants import (
    _compounds,
    _editions,
    _long_names,
    _with_elided_versions,
)
from graph.extract.patterns import (
    BRAIN_NETWORKS,
    COMMON_CAPITALISED,
    ML_CONTEXT,
    ML_CONTEXT_WEAK,
    Candidate,
    enumerations,
    has_ml_words,
    head_type,
    is_name_like,
    morphology_type,
    names_no_entity,
    proposal_matches,
)
from graph.extract.vocab import VocabMatch
from graph.iri import name_key
from graph.records import AliasPair


def find_all(
    title: str,
    abstract: str,
    vocab_matches: Sequence[VocabMatch],
    candidates: Sequence[Candidate],
    abbreviations: Sequence[AbbreviationPair],
    sentence_starts: Sequence[int],
    stoplist: frozenset[str] = frozenset(),
    *,
    scan: bool = True,
    other_senses: Sequence[tuple[int, int]] = (),
) -> Findings:
    """Gather every finding of one paper: the rules' choices and what they dropped.

    Arguments as for :func:`combine`; ``scan`` adds the name-shaped words no rule explained;
    ``other_senses`` are the (start, end) of phrases that give a name another sense ("SOAP
    note"): no finding overlaps one, nor has the name of one that did.
    """
    text = f"{title}\n\n{abstract}"
    spans: list[_Span] = []
    ml_names = sum(1 for m in vocab_matches if not m.conditional and m.concept.type != "Language")
    # Statistics methods ("Granger causality", "sparse coding") serve every science: only a
    # known model or dataset, or words of machine learning, make a text about it.
    ml_text = any(
        not m.conditional and m.concept.type in ("Model", "Dataset") for m in vocab_matches
    ) or has_ml_words(text)
    context = ml_text and ml_context(text, vocab_matches)
    nested: list[_Span] = []  # languages inside a Dataset or Model name: decided after it
    for m in vocab_matches:
        if m.alone and not context:
            continue  # "Serum GPT levels": an ambiguous name in a text about something else
        # A known dataset or a model named like a word ("ORCA", "SPARC", "ERA5", "PubMed")
        # in a text that does not speak of machine learning is that science's own thing.
        no_context = (
            not context
            and m.concept.type in ("Model", "Dataset")
            and not _distinctive(text[m.start : m.end])
        )
        (nested if m.nested else spans).append(
            _Span(
                m.start,
                m.end,
                m.concept.type,
                "variant" if m.variant else "vocab",
                0.9 if m.variant else 0.95,
                concept=None if m.variant else m.concept.iri,
                family=m.concept.iri if m.variant else None,
                kept=not (m.alone or no_context),
                note="alone"
                if m.alone
                else "no-ml-context"
                if no_context
                else ("conditional" if m.conditional else ""),
            )
        )
    # Cue-noun names ("the wCDM model") count only in a text about machine learning: cosmology
    # and ecology have "models" too.
    for c in candidates:
        start, end = _trim(text, c.start, c.end)
        if sum(ch.isalnum() for ch in text[start:end]) < 2:
            continue  # "G_", "X": too short to be anyone's name
        no_context = c.rule == "cue-noun" and not (ml_names and context)
        spans.append(
            _Span(
                start,
                end,
                c.type,
                c.rule,
                c.confidence,
                c.proposed,
                kept=not no_context,
                note="no-ml-context" if no_context else "",
            )
        )

    vocab_at = {(s.start, s.end): s for s in spans if s.rule in ("vocab", "variant") and s.kept}
    concept_labels = {m.concept.iri: m.concept.labels for m in vocab_matches}
    aliases: list[AliasPair] = []
    proposal_clauses: Sequence[tuple[int, int]] | None = None  # "we propose", when needed
    for pair in abbreviations:
        short_text = pair.short
        if short_text in stoplist or short_text.rstrip("s") in stoplist:
            continue
        long_vocab = vocab_at.get((pair.long_start, pair.long_end))
        short_vocab = vocab_at.get((pair.short_start, pair.short_end))
        if long_vocab is None and short_vocab is not None and short_vocab.concept:
            labels = {name_key(lbl) for lbl in concept_labels.get(short_vocab.concept, ())}
            if name_key(pair.long) not in labels:
                # The paper defines the short form as something else ("Sharpness-Aware
                # Minimization (SAM)"): its own definition wins over the vocabulary.
                short_key = name_key(pair.short)
                spans = [
                    s
                    for s in spans
                    if not (s.rule == "vocab" and name_key(text[s.start : s.end]) == short_key)
                ]
                short_vocab = None
        known = long_vocab or short_vocab
        if known is not None:
            for start, end, hit in (
                (pair.long_start, pair.long_end, long_vocab),
                (pair.short_start, pair.short_end, short_vocab),
            ):
                if hit is None:
                    spans.append(
                        _Span(
                            start,
                            end,
                            known.type,
                            "acronym",
                            0.9,
                            concept=known.concept,
                            family=known.family,
                        )
                    )
            aliases.append(AliasPair(pair.short, pair.long))
            continue
        sentence = _sentence_of(pair.long_start, sentence_starts)
        if proposal_clauses is None:
            proposal_clauses = proposal_matches(text)
        # The definition is the paper's own when it is the object of "we propose", not when it
        # comes later in the sentence ("we propose a method for real-time strategy (RTS) games").
        in_proposal = any(
            sentence[0] <= p_start and _in_object(text, p_end, pair.long_start)
            for p_start, p_end in proposal_clauses
        ) or any(c.proposed and c.start <= pair.long_start < c.end + 2 for c in candidates)
        entity_type = head_type(pair.long) or _type_after(text, pair) or morphology_type(pair.short)
        note = ""
        if names_no_entity(pair.long) or _modifies_no_entity(text, pair):
            # "closed-book QA (CBQA)", "European Central Bank (ECB)", "(RTS) games"
            note, entity_type = "task-or-organisation", None
        elif not ml_text or (entity_type in ("Model", "Dataset") and not context):
            # "Structural Functional Model (SFM)" in philosophy, "Interface Region Imaging
            # Spectrograph (IRIS)" in solar physics
            note = "no-ml-context"
        elif entity_type == "Model" and not morphology_type(pair.short):
            if _generic_class(pair.long) and not in_proposal:
                # "Large Language Models (LLMs)", "Speech Language Models (SpeechLMs)": a class
                # of models, not a model one could download.
                note = "class-of-models"
            elif _plural(pair.long):
                entity_type = "Method"  # a named architecture: "Stochastic Foo Networks (SFNs)"
        if entity_type is None and not in_proposal and not note:
            note = "no-type"
        if entity_type is None and not note:
            entity_type = "Method"
        for start, end in ((pair.long_start, pair.long_end), (pair.short_start, pair.short_end)):
            spans.append(
                _Span(
                    start, end, entity_type, "acronym", 0.8, in_proposal, kept=not note, note=note
                )
            )
        if not note:
            aliases.append(AliasPair(pair.short, pair.long))

    spans += _compounds(text, spans)
    spans += _list_induction(
        text, [s for s in spans if s.kept], sentence_starts, stoplist, len(title)
    )
    spans += _long_names(text, spans)
    editions = _editions(text, spans)
    if editions:
        # The languages of "WMT15 English-German" are named too: decided after the edition.
        inside = [
            s
            for s in spans
            if s.type == "Language" and any(e.start <= s.start and s.end <= e.end for e in editions)
        ]
        nested += inside
        spans = [s for s in spans if s not in inside] + editions
    for s in spans:
        s.start, s.end = _trim(text, s.start, s.end)
    other_keys: set[str] = set()
    if other_senses:
        spans, other_keys = _without_other_senses(text, spans, other_senses)
    chosen = _settle_types(_select([s for s in spans if s.kept]), text)
    if nested:
        chosen = _with_nested(chosen, nested)
    # What the rules dropped, then the name-shaped words no rule explained, where they leave
    # room: the learned classifier decides about them.
    taken = sorted((s.start, s.end) for s in chosen)
    extra = _select([s for s in spans if not s.kept], taken)
    taken = sorted(taken + [(s.start, s.end) for s in extra])
    if scan:
        extra += _select(_title_phrases(text, len(title)), taken)
        taken = sorted(taken + [(s.start, s.end) for s in extra])
    scanned = [
        _Span(start, end, None, "scan", 0.5, kept=False, note=shape)
        for start, end, shape in (
            scan_names(text, len(title), sentence_starts, stoplist) if scan else ()
        )
    ]
    if other_senses:
        scanned, _ = _without_other_senses(text, scanned, other_senses, other_keys)
    extra += _select(scanned, taken)
    every = sorted(chosen + extra, key=lambda s: s.start)
    every = _with_elided_versions(text, every)
    at = {(s.start, s.end): i for i, s in enumerate(every)}
    pairs = [
        (at[(p.long_start, p.long_end)], at[(p.short_start, p.short_end)])
        for p in abbreviations
        if (p.long_start, p.long_end) in at and (p.short_start, p.short_end) in at
    ]
    return Findings(
        title,
        abstract,
        text,
        every,
        aliases,
        pairs,
        sentence_starts,
        ml_names,
        ml_text,
        stoplist,
        context,
    )


def ml_context(text: str, vocab_matches: Sequence[VocabMatch] = ()) -> bool:
    """Whether ``text`` speaks of machine learning clearly enough for a Model or Dataset.

    Words of machine learning, NLP or vision (:data:`ML_CONTEXT`: "neural network",
    "fine-tuned", "question answering"); two pieces of weaker evidence, each a word other
    sciences share with it (:data:`ML_CONTEXT_WEAK`: "trained on", "classifier", "dataset",
    "accuracy") or a known model or dataset; or a known model or dataset with a distinctive
    name ("ChatGPT", "AlphaFold2", "SemEval-2007"). A single known name written like a word
    or an acronym ("ORCA", "SPARC", "CHIME") is also a program or an instrument of other
    sciences.

    >>> ml_context("We fine-tune the model."), ml_context("Teacher training and a dataset.")
    (True, False)
    """
    pos = 0
    while (m := ML_CONTEXT.search(text, pos)) is not None:
        if not (m.group()[:6].lower() == "neural" and BRAIN_NETWORKS.match(text, m.end())):
            return True
        pos = m.end()
    weak = {m.group().lower().rstrip("s") for m in ML_CONTEXT_WEAK.finditer(text)}
    known = {
        m.concept.iri
        for m in vocab_matches
        if not m.conditional and not m.alone and m.concept.type in ("Model", "Dataset")
    }
    if len(weak) + len(known) >= 2:
        return True  # "datasets such as GLUE", "the MNIST dataset", "on COCO and KITTI"
    return any(
        m.concept.type in ("Model", "Dataset")
        and not m.conditional
        and _distinctive(text[m.start : m.end])
        for m in vocab_matches
    )


def _distinctive(surface: str) -> bool:
    """A name no word or other science's acronym shares: a digit or inner capitals ("GPT-2",
    "ChatGPT", "AlphaFold", "EEGNet"), not "ORCA" or "Orca"."""
    return any(c.isdigit() for c in surface) or (
        any(c.islower() for c in surface) and any(c.isupper() for c in surface[1:])
    )


def _list_induction(
    text: str,
    spans: list[_Span],
    sentence_starts: Sequence[int],
    stoplist: frozenset[str],
    title_length: int = 0,
) -> list[_Span]:
    """Type the unknown names of an enumeration like its known ones.

    In "VGG, ResNet, CARN, ConvNeXt and StackedUnets", two or more items that the vocabulary
    knows as one type, and none as another, make the other name-shaped items that type too;
    there, a plain capitalised word is a name as well ("Cora, Citeseer, Pubmed, and NELL").
    In a pair, one known model or dataset is enough ("on ATIS and Snips").
    """
    known = {(s.start, s.end): s.type for s in spans if s.rule in ("vocab", "variant", "compound")}
    if not known:
        return []
    taken = [(s.start, s.end) for s in spans]
    starts = set(sentence_starts)

    def is_item(start: int, end: int) -> bool:
        if any(a < end and start < b for a, b in taken):
            return False  # "CIFAR10/100": an item holding a known name is that name
        surface = text[start:end]
        if is_name_like(surface, stoplist):
            return True
        return (
            start >= title_length and start not in starts and _capitalised_name(surface, stoplist)
        )

    added = []
    for (start, end), entity_type in known.items():
        if entity_type not in ("Model", "Dataset"):
            continue
        after = _PAIR_AFTER.match(text, end)
        if after:
            added.append((after.start("name"), after.end("name"), entity_type))
        before = _PAIR_BEFORE.search(text, max(0, start - 60), start)
        if before:
            added.append((before.start("name"), before.end("name"), entity_type))
    if len(known) >= 2:
        # Only sentences holding two known names can hold an enumeration worth reading.
        regions = sorted({_sentence_of(start, sentence_starts) for start, _ in known})
        regions = [r for r in regions if sum(r[0] <= a < r[1] for a, _ in known) >= 2]
        for region_start, region_end in regions:
            for items in enumerations(text[region_start:region_end]):
                items = [(a + region_start, b + region_start) for a, b in items]
                types = [known[i] for i in items if i in known]
                if len(types) < 2 or len(set(types)) != 1:
                    continue
                added += [(start, end, types[0]) for start, end in items]
    found: list[_Span] = []
    for start, end, entity_type in added:
        while end > start and text[end - 1] in ".-":
            end -= 1
        if is_item(start, end) and not any(s.start == start for s in found):
            found.append(_Span(start, end, entity_type, "list", 0.7))
    return found


#: A name coordinated after a known one: "ATIS and Snips", "SQuAD or Natural Questions".
_PAIR_NAME = r"[A-Z][\w.+-]*(?: [A-Z0-9][\w.+-]*){0,2}"
_PAIR_AFTER = re.compile(rf" (?:and|or) (?P<name>{_PAIR_NAME})(?=[\s,;:)]|\.(?:\s|$)|$)")
#: ... and one before it: "Jester and Mini-Kinetics".
_PAIR_BEFORE = re.compile(rf"(?<![\w.+-])(?P<name>{_PAIR_NAME}) (?:and|or) $")


def _capitalised_name(surface: str, stoplist: frozenset[str]) -> bool:
    """Whether a phrase of one to three capitalised words may be a name ("Pubmed", "Natural
    Questions"): no common word ("The", "Our"), nothing stoplisted."""
    words = surface.split()
    if not 1 <= len(words) <= 3 or not all(w[:1].isupper() or w[:1].isdigit() for w in words):
        return False
    if words[0].lower() in COMMON_CAPITALISED or surface in stoplist:
        return False
    return sum(c.isalpha() for c in surface) >= 3
