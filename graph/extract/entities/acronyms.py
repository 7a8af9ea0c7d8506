"""How the rules judge an acronym definition no vocabulary knows: the paper's own (the object
of "we propose"), a class of models, or the modifier of a task or organisation noun.
"""

from __future__ import annotations

import re

from graph.extract.abbreviations import AbbreviationPair
from graph.extract.patterns import head_type, names_no_entity

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


def _plural(phrase: str) -> bool:
    last = phrase.rsplit(None, 1)[-1]
    return last.endswith("s") and not last.endswith("ss") and len(last) > 3
