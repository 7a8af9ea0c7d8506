"""The words a sentence is read by: doubt and contrast, clause breaks and "we", lists, and what
stands around a name.
"""

from __future__ import annotations

import re

import re2

from graph.extract.relations.expressions.marks import _FILLER, _LATIN1, _S, MARK, E

# ----------------------------------------------------------------------- doubt and contrast

_NEGATION = (
    r"\b(?:not|never|no|neither|nor|fail(?:s|ed)?\s+to|cannot|unable\s+to|hardly|"
    r"lack(?:s|ing)?)\b|n't\b"
)
_HEDGE = (
    r"\b(?:may|might|could|would|should|whether|if|hypothesi[sz]e[sd]?|expect(?:s|ed)?\s+to|"
    r"aim(?:s|ed)?\s+to|seek(?:s)?\s+to|tr(?:y|ies|ied)\s+to|attempt(?:s|ed)?\s+to|"
    r"question|unclear|unknown|possibly|perhaps|potentially|conjecture)\b"
)
#: Words that deny what follows them: checked between the subject and the object.
NEGATION = re.compile(_NEGATION, re.IGNORECASE)
#: Words that make a whole clause uncertain: checked from the clause's start to the object.
HEDGE = re.compile(_HEDGE, re.IGNORECASE)
#: :data:`NEGATION` or :data:`HEDGE`, for RE2 over a template's Latin-1 bytes: one pass finds
#: both (the caller tells them apart with :data:`NEGATION`).
DOUBT = re2.compile(
    ("(?i)" + f"{_NEGATION}|{_HEDGE}".replace(r"\s", _S)).encode("latin-1"), _LATIN1
)
#: Phrases right before a name (maybe with determiners between) that make it a contrast or an
#: inspiration, never a participant: "unlike X", "instead of the X", "inspired by X".
EXCLUDING_PHRASES = frozenset(
    [
        *("unlike", "except", "besides", "apart from", "instead of", "rather than"),
        *("in contrast to", "as opposed to", "without", "inspired by", "motivated by"),
        *("in the spirit of", "compared with", "compared to", "versus", "vs", "vs."),
        *("against", "alternative to", "replaces", "replacing", "replace", "beyond", "than"),
    ]
)
#: The :data:`EXCLUDING_PHRASES` that name what is beaten when the cue is a comparison.
COMPARING = frozenset(
    ["than", "compared with", "compared to", "versus", "vs", "vs.", "against", "beyond"]
)
#: Words that may stand between an :data:`EXCLUDING_PHRASES` phrase and its name.
EXCLUDING_DETERMINERS = frozenset(
    [
        *("the", "a", "an", "both", "existing", "prior", "previous", "conventional"),
        *("standard", "popular", "traditional", "vanilla", "original", "classical", "other"),
        *("all", "any"),
    ]
)

# ----------------------------------------------------------------------------- clauses

_WE = (
    r"\b(?:we|our|us|it|its|this\s+(?:model|method|approach|framework|system|technique|work|"
    r"paper|algorithm|network|architecture|module|optimizer|strategy|pipeline)|the\s+proposed|"
    r"the\s+resulting)\b"
)
#: The clause speaks for the paper's own artefact (Python's engine, for a few positions).
WE = re.compile(_WE, re.IGNORECASE)
_PRONOUN = r"we|it|they|this|these|there|our|its|their"
_CLAUSE_BREAK = (
    r"[;:]|\s--?\s|,\s*(?:but|while|whereas|although|though|so|thus|hence|yet)\b|"
    rf",\s*and\s+(?:{_PRONOUN})\b|\b(?:but|while|whereas|although|though)\b|\.\s"
)
#: Where a clause ends, or :data:`WE` (RE2, one pass over a template's Latin-1 bytes; a match
#: starting with a letter of :data:`WE` is one, except the conjunctions). ", and" ends a clause
#: only before a new subject ("..., and we show"): the clause then starts at that subject.
CLAUSES_AND_WE = re2.compile(
    ("(?i)" + f"{_CLAUSE_BREAK}|{_WE}".replace(r"\s", _S)).encode("latin-1"), _LATIN1
)
CONJUNCTIONS = frozenset([b"but", b"while", b"whereas", b"although", b"though"])
#: The words of :data:`WE` that stand alone (the rest are "this model", "the proposed" ...).
WE_WORDS = frozenset([b"we", b"our", b"us", b"it", b"its"])
#: A relative clause between an entity and its verb: "X, which is built on Y".
RELATIVE = re.compile(r"\s*,?\s*(?:which|that|who)\s+", re.IGNORECASE)
#: The words between an entity and a name inside its appositive: "X, a 7B open PLM ...".
APPOSITIVE = re.compile(
    rf"\s*(?:,|--?)\s*(?:a|an|the|our|one|two|three|both|first|\d+)\b[^,;:(){MARK}]*",
    re.IGNORECASE,
)
#: An appositive or bracket set off inside a clause: ", a model trained mostly in English,".
APPOSITIVE_ASIDE = re.compile(r",[^,;:]*,|\([^()]*\)")
#: A verb that has a subject of its own: what follows it is no object of an earlier verb.
CLAUSE_VERB = re.compile(
    r"\b(?:is|are|was|were|has|have|had|can|will|shows?|showed|demonstrat\w*|yields?|"
    r"deliver\w*|outperform\w*|surpass\w*|achiev\w*|improv\w*|reach\w*|obtain\w*|"
    r"attain\w*|scores?|scored|exceed\w*|beats?|performs?|performed|sets?|leads?|results\s+in)\b",
    re.IGNORECASE,
)
#: A name right after a preposition (and maybe a determiner) is inside a phrase, not a
#: clause's subject ("works on X").
PREPOSITIONS = frozenset(
    [
        *("of", "on", "in", "for", "from", "with", "by", "to", "about", "over", "under", "at"),
        *("between", "among", "into", "than", "via", "through", "upon", "across", "within"),
    ]
)
DETERMINERS = frozenset(["the", "a", "an", "its", "their", "our", "this", "these", "those"])

# ------------------------------------------------------------------------------- lists

#: Words an object list may follow ("outperforms state-of-the-art optimizers such as").
FILLER_WORD = re.compile(rf"\s*(?:[(\[]\s*)?([^\s{MARK},;:()\[\]]+)\s*(?:,\s*)?")
FILLER_STOP = frozenset(
    [
        *("by", "than", "which", "that", "who", "whose", "while", "but", "and", "or"),
        *("with", "without", "when", "where", "as", "at", "from", "after", "before"),
        *("because", "since", "although", "though", "thus", "so", "via", "through"),
        *("into", "onto", "to", "on"),
    ]
)
FILLER_PAIRS = re.compile(
    r"\s*(?:such\s+as|including|like|e\.g\.,?|i\.e\.,?|namely|especially|particularly|"
    r"(?:those|the\s+ones?)\s+(?:of|(?:[a-z]+\s+)?by))\s*",
    re.IGNORECASE,
)
OPENING = re.compile(r"\s*[(\[]?\s*")
#: "combines A with B": what may stand between the two.
WITH_AFTER = re.compile(rf"\s+(?:{_FILLER}\s+){{0,3}}?with\s+", re.IGNORECASE)
WITH_WITHIN = re.compile(rf"\s*(?:{_FILLER}\s+){{1,3}}?with\s+", re.IGNORECASE)
#: Between two items of a coordinated list.
#: A list item that is no known name: one to three capitalised words ("Radiomics").
UNKNOWN_ITEM = re.compile(r"[A-Z][\w-]*(?: [A-Z][\w-]*){0,2}")
SEPARATOR = re.compile(
    r"\s*(?:,\s*(?:and|or|as\s+well\s+as)?|\band\b|\bor\b|\bas\s+well\s+as\b|/|&)\s*"
    rf"|-(?={E})",  # "English-Sinhala": a language pair
    re.IGNORECASE,
)
#: What may stand between a list's separator and its next item ("32.6% on", "the").
ITEM_LEAD = re.compile(
    r"(?:(?:the|both|also|even|several|other|all|its|their|our|on|in|of|for|to|"
    r"\d[\w.,%]*|up\s+to)\s+){0,3}",
    re.IGNORECASE,
)
#: What may follow a list item before the next separator ("GSM8K dataset", "ImageNet
#: classification").
ITEM_TAIL = re.compile(r"(?:\s+(?!and\b|or\b)[a-z][\w-]*){0,2}(?=\s*(?:,|\band\b|\bor\b|/|&))")
CONJUNCTION = re.compile(r"\b(?:and|or)\b|&|/", re.IGNORECASE)
RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)

# ------------------------------------------------------------------------ what names are

#: "Label Supervised LLaMA (LS-LLaMA)": a known name inside a longer name the text defines
#: (checked with a capitalised word right before).
DEFINED_AFTER = re.compile(rf"\s*\((?!{MARK})[A-Za-z][\w-]*\)")
#: A method named as the kind of some models ("Transformer language models", "MoE models").
CLASS_MODIFIER = re.compile(
    r"\s*(?:\([^)]{1,20}\)\s*)?(?:[\w-]+\s+)?(?:language\s+)?(?:models|LLMs|LMs|networks|"
    r"architectures|systems)\b",
)
#: The word after a name that may make it no participant: "data augmentation baselines" (maybe
#: after its acronym or one more word), "standard MMT benchmarks" (right after).
FOLLOWER = re.compile(
    r"\s*(?:(?:\([^)]{1,20}\)\s*)?(?:[\w-]+\s+)?(baselines?)|(benchmarks|datasets|tasks|corpora))\b",
    re.IGNORECASE,
)
#: A dataset's name used for a tool: "using the TinyAgent framework" names no data.
TOOL_AFTER = re.compile(
    r"\s+(?:framework|toolkit|library|tool|pipeline|package|platform|api)s?\b", re.IGNORECASE
)
#: "standard MMT benchmarks", "several GLUE tasks": a kind of dataset, not the dataset.
GENERIC_BEFORE = frozenset(
    [
        *("standard", "common", "popular", "several", "various", "multiple", "existing"),
        *("other", "many", "different", "diverse", "public", "widely-used", "typical"),
        "traditional",
    ]
)
