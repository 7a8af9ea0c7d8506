"""Combining what the other components found into typed, deduplicated mentions with evidence.

:func:`combine` is the plain function; the ``kg_entities`` component calls it and writes the
result to ``doc.spans["kg_entities"]`` and ``doc._.kg_extraction``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from graph.extract._text import doc_text
from graph.extract.abbreviations import AbbreviationPair
from graph.extract.candidates import ALNUM, INNER_CAPS, scan_names, word_shape
from graph.extract.patterns import (
    BRAIN_NETWORKS,
    COMMON_CAPITALISED,
    ML_CONTEXT,
    ML_CONTEXT_WEAK,
    ML_WORDS,
    Candidate,
    appositive_names,
    cue_noun_names,
    enumerations,
    head_type,
    is_name_like,
    morphology_type,
    names_no_entity,
    proposal_matches,
    proposals,
    shaped_names,
    title_prefix,
)
from graph.extract.sentences import STARTS_KEY
from graph.extract.vocab import CompoundMatcher, VocabMatch
from graph.iri import name_key
from graph.ontology import Vocabulary
from graph.records import AliasPair, Extraction, Mention

# The Doc extensions both components of this module read and write, registered once.
for _ext in ("kg_extraction", "kg_candidates", "kg_findings", "title_length"):
    if not Doc.has_extension(_ext):
        Doc.set_extension(_ext, default=None)

#: Rule priority when two findings cover the same text (higher wins).
_PRIORITY = {
    "vocab": 6,
    "variant": 6,
    "title-prefix": 5,
    "compound": 5,
    "long-name": 5,
    "proposal": 4,
    "naming": 4,
    "appositive": 4,
    "acronym": 3,
    "shape": 2,
    "cue-noun": 1,
    "title-phrase": 1,
}


@dataclass
class _Span:
    """One finding: ``text[start:end]`` with what the rule that found it thinks of it.

    ``kept`` says whether the hand rules keep the finding; the learned classifier also sees
    the findings the rules drop, with ``note`` saying why they were dropped.
    """

    start: int
    end: int
    type: str | None
    rule: str
    confidence: float
    proposed: bool = False
    concept: str | None = None
    family: str | None = None
    kept: bool = True
    note: str = ""
    #: The full name of an elided version ("3.1" in "Baz 3, 3.1" is "Baz 3.1").
    canonical: str | None = None


@dataclass
class Findings:
    """Everything the rules found in one paper, before the final decision.

    Attributes:
        title: The paper's title.
        abstract: The paper's abstract.
        text: ``title + "\\n\\n" + abstract``; every offset is into it.
        spans: Every finding, non-overlapping, in text order: the rules' choices, then what they
            dropped and the name-shaped words no rule explained, where those do not overlap.
        aliases: The acronym definitions the rules accept.
        pairs: Every acronym definition whose two sides are findings, as (long, short) indexes
            into ``spans``.
        sentence_starts: Start offsets of the sentences of ``text``.
        ml_names: How many unambiguous ML names (not languages) the vocabulary found.
        ml_text: Whether the text is about machine learning at all (an ML name or ML words).
        stoplist: Words that are never entities.
        ml_context: Whether the text speaks of machine learning clearly enough for a name to
            be a Model or Dataset (:func:`ml_context`): words of ML, NLP or vision, a
            distinctive known model, or two known models or datasets.
    """

    title: str
    abstract: str
    text: str
    spans: list[_Span]
    aliases: list[AliasPair]
    pairs: list[tuple[int, int]]
    sentence_starts: Sequence[int]
    ml_names: int
    ml_text: bool = True
    stoplist: frozenset[str] = frozenset()
    ml_context: bool = True


def _sentence_bounds(text: str, starts: Sequence[int]) -> list[tuple[int, int]]:
    bounds = []
    for i, s in enumerate(starts):
        e = starts[i + 1] if i + 1 < len(starts) else len(text)
        bounds.append((s, e))
    return bounds


def _occurrences(text: str, name: str) -> list[int]:
    """Start offsets of ``name`` in ``text`` as a whole word (not inside a longer word)."""
    found, size, pos = [], len(name), text.find(name)
    while pos >= 0:
        before = text[pos - 1] if pos else " "
        after = text[pos + size] if pos + size < len(text) else " "
        if not (before.isalnum() or before in "_-") and not (after.isalnum() or after == "_"):
            found.append(pos)
        pos = text.find(name, pos + 1)
    return found


def combine(
    title: str,
    abstract: str,
    vocab_matches: Sequence[VocabMatch],
    candidates: Sequence[Candidate],
    abbreviations: Sequence[AbbreviationPair],
    sentence_starts: Sequence[int],
    stoplist: frozenset[str] = frozenset(),
) -> Extraction:
    """Turn one paper's raw findings into typed mentions by the hand rules alone.

    Offsets of the inputs are into ``text = title + "\\n\\n" + abstract``; the mentions' offsets
    are into their field (title or abstract).

    Args:
        title: The paper's title.
        abstract: The paper's abstract.
        vocab_matches: Vocabulary matches over ``text``.
        candidates: Pattern candidates over ``text``.
        abbreviations: Acronym definitions over ``text``.
        sentence_starts: Start offsets of the sentences of ``text``, ascending.
        stoplist: Words that are never entities.

    Returns:
        The mentions (one per type and name key) and the alias pairs the text declares.
    """
    findings = find_all(
        title, abstract, vocab_matches, candidates, abbreviations, sentence_starts, stoplist
    )
    return rule_extraction(findings)


def rule_extraction(findings: Findings) -> Extraction:
    """The hand rules' decision over ``findings``: every kept, typed finding becomes a mention."""
    kept = [s for s in findings.spans if s.kept]
    mentions = to_mentions(findings, kept)
    alias_keys = _alias_keys(findings.aliases)
    mentions = [m for m in mentions if not passing_generic_method(m, alias_keys)]
    return Extraction(tuple(mentions), _sorted_aliases(findings.aliases))


def _sorted_aliases(aliases: Sequence[AliasPair]) -> tuple[AliasPair, ...]:
    return tuple(sorted(set(aliases), key=lambda a: (a.short, a.long)))


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
    ) or bool(ML_WORDS.search(text))
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

    spans += _list_induction(text, [s for s in spans if s.kept], sentence_starts, stoplist)
    spans += _compounds(text, spans)
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


def _without_other_senses(
    text: str,
    spans: list[_Span],
    senses: Sequence[tuple[int, int]],
    keys: set[str] | None = None,
) -> tuple[list[_Span], set[str]]:
    """``spans`` without those overlapping an other-sense phrase ("SOAP" in "SOAP notes") or
    named like one that did (the text's other "SOAP"s), and the name keys dropped."""
    keys = set(keys or ())
    for s in spans:
        if any(a < s.end and s.start < b for a, b in senses):
            keys.add(name_key(s.canonical or text[s.start : s.end]))
    kept = [
        s
        for s in spans
        if name_key(s.canonical or text[s.start : s.end]) not in keys
        and not any(a < s.end and s.start < b for a, b in senses)
    ]
    return kept, keys


def _with_nested(chosen: list[_Span], nested: list[_Span]) -> list[_Span]:
    """Add the languages named inside a chosen name ("English" in "English Web Treebank"),
    unless a chosen span overlaps one without holding it whole."""
    out = list(chosen)
    for s in nested:
        if any(
            c.start < s.end
            and s.start < c.end
            and not (c.start <= s.start and s.end <= c.end and c.end - c.start > s.end - s.start)
            for c in chosen
        ):
            continue
        out.append(s)
    return sorted(out, key=lambda s: (s.start, -s.end))


def _list_induction(
    text: str, spans: list[_Span], sentence_starts: Sequence[int], stoplist: frozenset[str]
) -> list[_Span]:
    """Type the unknown names of an enumeration like its known ones.

    In "VGG, ResNet, CARN, ConvNeXt and StackedUnets", two or more items that the vocabulary
    knows as one type, and none as another, make the other name-shaped items that type too.
    """
    known = {(s.start, s.end): s.type for s in spans if s.rule in ("vocab", "variant")}
    if len(known) < 2:
        return []
    # Only sentences holding two known names can hold an enumeration worth reading.
    starts = sorted({_sentence_of(start, sentence_starts) for start, _ in known})
    regions = [r for r in starts if sum(r[0] <= a < r[1] for a, _ in known) >= 2]
    added = []
    for region_start, region_end in regions:
        for items in enumerations(text[region_start:region_end]):
            items = [(a + region_start, b + region_start) for a, b in items]
            types = [known[i] for i in items if i in known]
            if len(types) < 2 or len(set(types)) != 1:
                continue
            for start, end in items:
                # "CIFAR10/100": an item holding a known name is that name (and its elided
                # versions), not a new one.
                if (
                    (start, end) not in known
                    and not any(a < end and start < b for a, b in known)
                    and is_name_like(text[start:end], stoplist)
                ):
                    added.append(_Span(start, end, types[0], "list", 0.7))
    return added


#: What stands between "we propose" and its object's start when the object is something else.
_NOT_OBJECT = re.compile(
    r"\b(?:for|with|in|on|at|of|by|using|from|to|via|than|against|under|over|into|within|"
    r"across|built|based|presented|compared?|evaluated?|uses?|used|shows?|tests?|tested|"
    r"which|that|where|while|when)\b|[.;:]"
)
#: Words that build a class of models rather than a name ("Large Language Models").
_GENERIC_MODEL_WORDS = frozenset(
    [
        "large",
        "small",
        "language",
        "languages",
        "model",
        "models",
        "neural",
        "network",
        "networks",
        "deep",
        "pre-trained",
        "pretrained",
        "vision",
        "visual",
        "multimodal",
        "multi-modal",
        "speech",
        "foundation",
        "generative",
        "diffusion",
        "recurrent",
        "convolutional",
        "graph",
        "transformer",
        "transformers",
        "based",
        "sequence",
        "text",
        "image",
        "video",
        "audio",
        "code",
        "protein",
        "molecular",
        "masked",
        "autoregressive",
        "causal",
        "encoder",
        "decoder",
        "encoder-decoder",
        "vision-language",
        "and",
        "of",
        "the",
    ]
)
_WORD_AFTER = re.compile(r"\)?\s*([A-Za-z][\w-]*)")


#: Parts glued to a model's name that make a modifier, not a new name ("BERT-based").
_MODIFIER_PARTS = frozenset(
    [
        "based",
        "like",
        "style",
        "guided",
        "driven",
        "aware",
        "free",
        "only",
        "level",
        "scale",
        "sized",
        "specific",
        "generated",
        "enhanced",
        "augmented",
        "powered",
        "assisted",
        "friendly",
        "oriented",
        "compatible",
        "inspired",
        "pretrained",
        "tuned",
        "finetuned",
        "fine-tuned",
        "family",
        "series",
        "class",
        "type",
        "sft",
        "generation",
    ]
)
#: Lowercase size words that stay part of a model's name ("M2-BERT-base", "ViT-large").
_SIZE_WORDS = frozenset(["base", "large", "small", "tiny", "mini", "xl", "xxl", "huge", "medium"])
_GLUED_LEFT = re.compile(r"(?:[^\W_][\w.]*-)+$")
_GLUED_RIGHT = re.compile(r"(?:-[^\W_][\w.]*)+")


def _compounds(text: str, spans: Sequence[_Span]) -> list[_Span]:
    """New model names built on a known one with a hyphen: "KLUE-RoBERTa", "ViT-Huge".

    The whole hyphenated word is the name, typed as the known model; a lowercase modifier
    ("BERT-based", "LLaMA-like") makes no name.
    """
    found = []
    for s in spans:
        if s.rule not in ("vocab", "variant") or s.type != "Model" or not s.kept:
            continue
        start, end = s.start, s.end
        left = _GLUED_LEFT.search(text, max(0, start - 40), start)
        if left and (start - 40 <= 0 or left.start() == 0 or not text[left.start() - 1].isalnum()):
            start = left.start()
        right = _GLUED_RIGHT.match(text, end)
        if right:
            end = right.end()
        words = _WORDS_BEFORE.search(text, max(0, start - 40), start)
        if words and any(word_shape(w) in (ALNUM, INNER_CAPS) for w in words.group().split()):
            # "Detectron2 Keypoint R-CNN": a detector named with its framework.
            first = words.group().split()[0]
            if first.lower() not in COMMON_CAPITALISED:
                found.append(_Span(words.start(), end, "Model", "compound", 0.8))
        if (start, end) == (s.start, s.end):
            continue
        start, end = _trim(text, start, end)
        extra = [p for p in re.split(r"[-]", text[start : s.start] + "-" + text[s.end : end]) if p]
        if not extra or any(
            p.lower() in _MODIFIER_PARTS
            or not (p[0].isupper() or p[0].isdigit() or p.lower() in _SIZE_WORDS)
            for p in extra
        ):
            continue
        found.append(_Span(start, end, "Model", "compound", 0.8, family=None))
    return found


_WORDS_BEFORE = re.compile(r"(?<![\w-])(?:[A-Z][\w]*[ ]){1,2}$")
_CAPITALISED_RUN = re.compile(r"(?: (?:[A-Z][\w-]*|of|for|and|on|in|the)){2,7}")


_VERSIONED = re.compile(r"(?P<base>.*?[^\W\d_])(?P<sep>[ -]?)v?\d+(?:\.\d+)*$")
_ELIDED = re.compile(
    r"(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+|\s*/\s*)(?P<version>\d+(?:\.\d+)*)\b"
    r"(?![.,]?\d|%|\s*[BMK]\b|\s+(?!(?:and|or|on|in|with|for|to|at|as|of|from|by|are|is|"
    r"were|was|models?|respectively)\b)[a-z(])"
)


def _with_elided_versions(text: str, spans: list[_Span]) -> list[_Span]:
    """Add the versions a text elides after a versioned name: "Baz 3, 3.1 and Qux 2, 2.5"
    names Baz 3.1 and Qux 2.5 too."""
    taken = [(s.start, s.end) for s in spans]
    added = []
    for s in spans:
        if not s.kept or s.type not in ("Model", "Dataset", "Method"):
            continue
        m = _VERSIONED.match(text, s.start, s.end)
        if not m:
            continue
        end = s.end
        while (v := _ELIDED.match(text, end)) is not None:
            start, end = v.span("version")
            if any(a < end and start < b for a, b in taken):
                break
            canonical = f"{m['base']}{m['sep'] or ''}{v['version']}"
            added.append(
                replace(
                    s,
                    start=start,
                    end=end,
                    rule="elided",
                    canonical=canonical,
                    concept=None,
                    family=None,
                )
            )
    return sorted(spans + added, key=lambda s: s.start) if added else spans


def _long_names(text: str, spans: Sequence[_Span]) -> list[_Span]:
    """A known name that opens a longer capitalised name ending in a head noun:
    "ImageNet Large Scale Visual Recognition Challenge" is the challenge, not ImageNet.
    """
    found = []
    # A run never swallows another known name: "the English Web Treebank and the Penn Chinese
    # Treebank" is two datasets.
    known_starts = sorted(s.start for s in spans if s.rule in ("vocab", "variant") and s.kept)
    for s in spans:
        if s.rule not in ("vocab", "variant") or s.type not in ("Dataset", "Model") or not s.kept:
            continue
        m = _CAPITALISED_RUN.match(text, s.end)
        if not m:
            continue
        words = m.group().split()
        while words and not words[-1][:1].isupper():
            words.pop()
        for n in range(len(words), 2, -1):
            entity_type = head_type(words[n - 1])
            if entity_type in ("Dataset", "Model") and words[n - 1][:1].isupper():
                end = s.end + len(" ".join(words[:n])) + 1
                i = bisect.bisect_right(known_starts, s.end)
                if i < len(known_starts) and known_starts[i] < end:
                    continue
                found.append(_Span(s.start, end, entity_type, "long-name", 0.8))
                break
    return found


# What names one part of an evaluation campaign's edition: its language pair ("WMT15
# English-German", "WMT'14 English-to-French", "WMT14 En-Ro") or its task ("Senseval-4 Task 17",
# "the CoNLL 2007 shared task"). The annotation guidelines make those the dataset's name.
_EDITION = re.compile(r".*[^\W_]['’ -]?\d+")
_PAIR = re.compile(
    r"[ ](?P<a>[A-Z][a-z]+)(?:[ ]?(?:-|–|→|->|/)[ ]?|[ ]to[ ]|-to-)(?P<b>[A-Z][a-z]+)(?![\w-])"
)
_TASK = re.compile(
    r"[ ](?:(?:[Ss]hared[ ])?[Tt]ask[ ]?\d{1,2}[a-zA-Z]?|[Ss]hared[ ][Tt]ask)(?![\w-])"
)


def _editions(text: str, spans: Sequence[_Span]) -> list[_Span]:
    """Names of an edition's language pair or task, written after the edition: "WMT15
    English-German", "Senseval-4 Task 17". Each is a variant of the edition.

    A pair counts when both of its words are languages the vocabulary found or both are
    two-letter codes ("En-De").
    """
    languages = {s.start for s in spans if s.type == "Language"}
    found = []
    for s in spans:
        if s.type != "Dataset" or s.rule not in ("vocab", "variant") or not s.kept:
            continue
        if not _EDITION.fullmatch(text, s.start, s.end):
            continue
        end = s.end
        pair = _PAIR.match(text, end)
        if pair and (
            (pair.start("a") in languages and pair.start("b") in languages)
            or (len(pair["a"]) == 2 and len(pair["b"]) == 2)
        ):
            end = pair.end()
        task = _TASK.match(text, end)
        if task:
            end = task.end()
        if end > s.end:
            found.append(
                _Span(
                    s.start,
                    end,
                    "Dataset",
                    "variant",
                    0.9,
                    family=s.concept or s.family,
                    note="edition",
                )
            )
    return found


# A title is cut into phrases at its colon and at the words that join a name to what it does
# ("Wavelet Pooling for Convolutional Neural Networks", "Learning Affinity via Spatial
# Propagation Networks").
_TITLE_CUT = re.compile(
    r"\s*[:?!]\s+|\s+(?:for|via|with|by|in|on|using|from|through|to|and|of|as|at|towards?|"
    r"under|without|beyond|versus|vs\.?)\s+",
    re.IGNORECASE,
)
_ARTICLE = re.compile(r"(?:an?|the)\s+", re.IGNORECASE)


_NAMING_CUE = re.compile(
    r"\b(?:propos\w*|introduc\w*|present\w*|call\w*|term\w*|dub\w*|nam\w*|our|coin\w*|"
    r"develop\w*|design\w*)\b[^.;]{0,60}$",
    re.IGNORECASE,
)


def _named_again(text: str, start: int, end: int, title_form: str) -> bool:
    """Whether the abstract uses a title phrase as a name at ``start``: written as in the title
    (with its capitals) inside a sentence, or after a cue of naming ("we propose", "called")."""
    in_sentence = start > 0 and text[start - 2 : start] not in (". ", "\n\n")
    if in_sentence and text.startswith(title_form, start) and title_form != title_form.lower():
        return True
    return bool(_NAMING_CUE.search(text, max(0, start - 80), start))


def _case_blind_occurrences(
    text: str, lowered: str, phrase: str, start: int
) -> list[tuple[int, int]]:
    """(start, end) of ``phrase`` (lowercase) in ``text`` from ``start`` in any case, as whole
    words, with a plural "s" or "es" it may take (a regular expression per phrase would be
    compiled afresh for every paper)."""
    found = []
    pos = lowered.find(phrase, start)
    while pos >= 0:
        end = pos + len(phrase)
        for plural in ("es", "s"):
            if lowered.startswith(plural, end):
                after = end + len(plural)
                if after >= len(text) or not (text[after].isalnum() or text[after] in "_-"):
                    end = after
                    break
        before_ok = pos == 0 or not (text[pos - 1].isalnum() or text[pos - 1] in "_-")
        after_ok = end >= len(text) or not (text[end].isalnum() or text[end] in "_-")
        if before_ok and after_ok:
            found.append((pos, end))
        pos = lowered.find(phrase, pos + 1)
    return found


def _title_phrases(text: str, title_length: int) -> list[_Span]:
    """Phrases of the title that the abstract uses again: a descriptive title is a name when
    the abstract names something by it ("Smooth Sparse Coding via Marginal Regression ... we
    propose smooth sparse coding"). Left to the classifier (not kept by the rules)."""
    title = text[:title_length]
    abstract_start = title_length + 2
    lowered = text.lower()
    if len(lowered) != len(text):  # a character whose lowercase is longer ("İ"): offsets differ
        return []
    found = []
    pos = 0
    for piece in _TITLE_CUT.split(title):
        start = title.find(piece, pos)
        pos = start + len(piece)
        article = _ARTICLE.match(piece)
        if article:
            start, piece = start + article.end(), piece[article.end() :]
        piece = piece.rstrip(" .")
        words = piece.split()
        if not 2 <= len(words) <= 6 or not any(w[:1].isupper() for w in words):
            continue
        again = _case_blind_occurrences(text, lowered, piece.lower(), abstract_start)
        if not any(_named_again(text, s, e, piece) for s, e in again):
            continue
        entity_type = head_type(piece)
        for s, e in [(start, start + len(piece)), *again]:
            found.append(
                _Span(s, e, entity_type, "title-phrase", 0.5, kept=False, note="title-phrase")
            )
    return found


def _in_object(text: str, verb_end: int, start: int) -> bool:
    """Whether ``start`` lies in the object of a "we propose" verb ending at ``verb_end``."""
    if start < verb_end or start - verb_end > 100:
        return False
    return not _NOT_OBJECT.search(text, verb_end, start)


def _generic_class(phrase: str) -> bool:
    """ "Large Language Models", "Vision-Language Models": generic words only."""
    return all(w.lower() in _GENERIC_MODEL_WORDS for w in re.split(r"[\s/]+", phrase) if w)


def _word_after(text: str, pair: AbbreviationPair) -> str | None:
    """The word right after a definition: "games" in "real-time strategy (RTS) games"."""
    m = _WORD_AFTER.match(text, max(pair.short_end, pair.long_end))
    return m.group(1) if m else None


def _modifies_no_entity(text: str, pair: AbbreviationPair) -> bool:
    """Whether the definition modifies a task or organisation noun: "(RTS) games"."""
    word = _word_after(text, pair)
    return word is not None and names_no_entity(word) and word.lower() != "language"


def _type_after(text: str, pair: AbbreviationPair) -> str | None:
    """The type the noun right after a definition gives it: "Visual Wake Words (VWW) dataset"."""
    word = _word_after(text, pair)
    return head_type(word) if word else None


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span to start and end with a letter, digit, "+" or "#" ("ModelNet40." ->
    "ModelNet40")."""
    while start < end and not (text[start].isalnum()):
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in "+#"):
        end -= 1
    return start, end


def _plural(phrase: str) -> bool:
    last = phrase.rsplit(None, 1)[-1]
    return last.endswith("s") and not last.endswith("ss") and len(last) > 3


def _sentence_of(offset: int, starts: Sequence[int]) -> tuple[int, int]:
    i = max(bisect.bisect_right(starts, offset) - 1, 0)
    start = starts[i] if starts else 0
    end = starts[i + 1] if i + 1 < len(starts) else 1 << 30
    return start, end


def _select(spans: list[_Span], taken: Sequence[tuple[int, int]] = ()) -> list[_Span]:
    """Keep non-overlapping spans: longer first, then by rule priority.

    Spans overlapping one of ``taken`` (sorted (start, end) pairs) are left out.
    """
    ordered = sorted(spans, key=lambda s: (-(s.end - s.start), -_PRIORITY.get(s.rule, 0), s.start))
    taken = list(taken)
    chosen: list[_Span] = []
    winner_at: dict[tuple[int, int], _Span] = {}
    for s in ordered:
        if s.end <= s.start:
            continue
        i = bisect.bisect_left(taken, (s.start, s.end))
        before = taken[i - 1] if i else None
        after = taken[i] if i < len(taken) else None
        if (before and before[1] > s.start) or (after and after[0] < s.end):
            # A rule that saw the same words as proposed ("FastSpeech: ..." in the title of the
            # paper that introduced it) hands its flag to the finding that won the span.
            winner = winner_at.get((s.start, s.end))
            if winner is not None and s.proposed:
                winner.proposed = True
            continue
        taken.insert(i, (s.start, s.end))
        chosen.append(s)
        winner_at[(s.start, s.end)] = s
    chosen.sort(key=lambda s: s.start)
    return chosen


def _settle_types(spans: list[_Span], text: str) -> list[_Span]:
    """Give untyped names the type another finding of the same name has, or Method if proposed.

    Names that stay untyped are no longer kept (but stay in the list, for the classifier).
    """
    typed: dict[str, str] = {}
    for s in sorted(spans, key=lambda s: -_PRIORITY.get(s.rule, 0)):
        if s.type:
            typed.setdefault(name_key(text[s.start : s.end]), s.type)
    for s in spans:
        if s.type is None:
            s.type = typed.get(name_key(text[s.start : s.end])) or (
                "Method" if s.proposed else None
            )
            if s.type is None:
                s.kept, s.note = False, s.note or "untyped"
    return spans


def _alias_keys(aliases: Sequence[AliasPair]) -> dict[str, str]:
    keys = {}
    for a in aliases:
        keys[name_key(a.short)] = name_key(a.long)
        keys[name_key(a.long)] = name_key(a.short)
    return keys


def to_mentions(
    findings: Findings,
    spans: Sequence[_Span],
    confidence: dict[str, float] | None = None,
) -> list[Mention]:
    """One mention per (type, name key) of the typed ``spans``, with its evidence.

    Args:
        findings: The paper's findings (for its text, sentences and aliases).
        spans: The findings that become mentions, their ``type`` and ``proposed`` decided.
        confidence: A confidence per name key, replacing the rules' own.

    Returns:
        The mentions, title first, then in text order.
    """
    text, title = findings.text, findings.title
    abstract_start = len(title) + 2
    by_key: dict[tuple[str, str], list[_Span]] = {}
    for s in spans:
        if s.type is not None:
            by_key.setdefault((s.type, name_key(s.canonical or text[s.start : s.end])), []).append(
                s
            )
    # Names found by a pattern once count wherever the paper repeats them.
    proposed_keys = {name_key(s.canonical or text[s.start : s.end]) for s in spans if s.proposed}
    alias_keys = _alias_keys(findings.aliases)
    mentions = []
    for (entity_type, key), group in by_key.items():
        first = min(group, key=lambda s: s.start)
        best = max(group, key=lambda s: (s.confidence, _PRIORITY.get(s.rule, 0)))
        surface = text[first.start : first.end]
        in_title = first.start < len(title)
        field, base = ("title", 0) if in_title else ("abstract", abstract_start)
        s_start, s_end = _sentence_of(first.start, findings.sentence_starts)
        sentence = text[max(s_start, base) : min(s_end, len(title) if in_title else len(text))]
        proposed = key in proposed_keys or alias_keys.get(key) in proposed_keys
        if entity_type == "Language":
            proposed = False
        score = best.confidence if confidence is None else confidence.get(key, best.confidence)
        score = min(score, 0.99)  # no finding is certain
        mentions.append(
            Mention(
                type=entity_type,
                text=surface,
                field=field,
                start=first.start - base,
                end=first.end - base,
                sentence=sentence.strip(),
                rule=best.rule,
                confidence=round(score, 2),
                proposed=proposed,
                concept=next((s.concept for s in group if s.concept), None),
                canonical=first.canonical,
                family=next((s.family for s in group if s.family), None),
                occurrences=max(len(_occurrences(text, surface)), 1),
            )
        )
    mentions.sort(key=lambda m: (m.field != "title", m.start, m.type))
    return mentions


def passing_generic_method(m: Mention, alias_keys: dict[str, str]) -> bool:
    """A generic technique named once in passing ("… unlike transfer learning, …").

    Lowercase vocabulary methods ("data augmentation", "beam search") count when the title
    names them, the paper defines an acronym for them, or repeats them; a single mention in the
    abstract is usually background, not something the paper uses or studies.
    """
    return (
        m.type == "Method"
        and m.rule == "vocab"
        and m.text.islower()
        and m.field == "abstract"
        and m.occurrences < 2
        and name_key(m.text) not in alias_keys
        and not m.proposed
    )


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
        # A name found once is the same name wherever the paper repeats it.
        extra = []
        for c in candidates:
            name = text[c.start : c.end]
            for pos in _occurrences(text, name):
                if pos != c.start:
                    extra.append(
                        Candidate(pos, pos + len(name), c.rule, c.confidence, c.type, c.proposed)
                    )
        doc._.kg_candidates = candidates + extra
        return doc


__all__ = ["EntitiesComponent", "PatternsComponent", "combine"]
