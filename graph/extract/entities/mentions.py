"""The hand rules' decision over a paper's findings (:func:`combine`, :func:`rule_extraction`)
and the mentions with evidence that decided findings become (:func:`to_mentions`).
"""

from __future__ import annotations

from collections.abc import Sequence

from graph.extract.abbreviations import AbbreviationPair
from graph.extract.entities.findings import _PRIORITY, Findings, _occurrences, _sentence_of, _Span
from graph.extract.entities.gather import find_all
from graph.extract.patterns import Candidate
from graph.extract.vocab import VocabMatch
from graph.iri import name_key
from graph.records import AliasPair, Extraction, Mention


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
