"""The rules that look at the whole paper: names grown on a known one, components the paper
introduces (:func:`paper_relations`), and the paper's own artefact (:func:`primary_artefact`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from graph.extract.relations.expressions import (
    COMPONENT_AFTER,
    COMPONENT_BEFORE,
    COMPONENT_WORDS,
    HEDGE,
    NEGATION,
)
from graph.extract.relations.occurrences import Occurrence
from graph.extract.relations.rules.found import _MODEL_OR_METHOD, Found
from graph.records import Mention

# ------------------------------------------------------------------------------ whole papers


def name_built_on(proposed: Mention, known: Mention) -> bool:
    """Whether a proposed name is a known name with a word grown onto its front, CamelCase:
    "HindTweetBERT", "DistilBERT", "AdaLoRA".

    Names joined by a space or hyphen ("White-Box Diffusion Transformer", "Dyn-Perceiver")
    describe rather than derive, and one-letter prefixes ("xCoT", "mBERT") are too often
    something else; neither counts.
    """
    p, k = proposed.text, known.text
    if len(k) < 3 or not k[0].isupper() or not p.endswith(k):
        return False
    prefix = p[: -len(k)]
    return len(prefix) >= 3 and prefix.isalpha() and prefix[0].isupper() and prefix[-1].islower()


def paper_relations(
    text: str,
    mentions: Sequence[Mention],
    occurrences: Sequence[Occurrence],
    primary: Mention | None,
    sentence_of,
    keys: dict[int, str],
) -> list[tuple[Found, int, int]]:
    """Names grown on known names, and the components a paper introduces for its artefact.

    ``sentence_of(offset)`` gives the (start, end) of the sentence holding an offset; the
    evidence of each relation is the sentence of the proposed name's first occurrence.
    ``keys`` has each mention's :func:`~graph.iri.name_key` by ``id``.
    """
    found: list[tuple[Found, int, int]] = []
    first_at: dict[int, Occurrence] = {}
    for o in occurrences:
        first_at.setdefault(id(o.mention), o)
    proposed = [
        m for m in mentions if m.proposed and m.type in _MODEL_OR_METHOD and id(m) in first_at
    ]
    known = [m for m in mentions if m.type in _MODEL_OR_METHOD and not m.proposed]
    for p in proposed:
        for k in known:
            # "ArtGPT-4" in a paper naming MiniGPT-4: which GPT-4 it grows on is unclear
            longer = any(o is not k and o.text.endswith(k.text) for o in known)
            if name_built_on(p, k) and not longer:
                s, e = sentence_of(first_at[id(p)].start)
                found.append((Found("basedOn", p, k, "name-built-on", 0.6), s, e))
    # "Norwegian Generative Language Models", "the English Wikipedia": a name holding a
    # language's name is made for, or covers, that language
    languages = [m for m in mentions if m.type == "Language" and len(m.text) >= 4]
    for m in mentions:
        if m.type not in ("Model", "Dataset") or id(m) not in first_at:
            continue
        for lang in languages:
            if lang.text != m.text and re.search(rf"(?<!\w){re.escape(lang.text)}(?!\w)", m.text):
                s, e = sentence_of(first_at[id(m)].start)
                found.append((Found("forLanguage", m, lang, "name-language", 0.6), s, e))
    if primary is None:
        return found
    primary_key = keys[id(primary)]
    for p in proposed:
        if p.type != "Method" or keys[id(p)] == primary_key:
            continue
        at = first_at[id(p)]
        s, e = sentence_of(at.start)
        before, after = text[max(s, at.start - 80) : at.start], text[at.end : e]
        lower = before.lower()
        if (
            COMPONENT_AFTER.match(after)
            or (any(w in lower for w in COMPONENT_WORDS) and COMPONENT_BEFORE.search(before))
        ) and not (NEGATION.search(text, s, at.start) or HEDGE.search(text, s, at.start)):
            found.append((Found("uses", primary, p, "component", 0.6), s, e))
    return found


def primary_artefact(mentions: Sequence[Mention], title: str | None = None) -> Mention | None:
    """The model or method the paper introduces, which "we" and "our model" speak for.

    The title's "X: ..." prefix first (by its rule, or, given the ``title``, any proposed name
    that opens it before a colon, whichever rule found it), then a name the paper proposes ("we
    propose X", "called X", an acronym it defines for it), then any other name marked proposed;
    the earliest of those wins. None when the paper names no artefact of its own.
    """
    candidates = [m for m in mentions if m.proposed and m.type in _MODEL_OR_METHOD]
    if not candidates:
        return None

    def rank(m: Mention) -> tuple[int, bool, int]:
        if (
            title is not None
            and m.field == "title"
            and m.start <= 2
            and title[m.end : m.end + 1] == ":"
        ):
            return (0, False, m.start)
        return (_PROPOSAL_RULES.get(m.rule, 2), m.field != "title", m.start)

    return min(candidates, key=rank)


#: Rules of the entity extractor that name a paper's own artefact, best first.
_PROPOSAL_RULES = {"title-prefix": 0, "proposal": 1, "naming": 1, "acronym": 1}
