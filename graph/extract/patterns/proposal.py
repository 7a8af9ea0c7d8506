"""Names a text introduces as the paper's own: "we propose/introduce/present X",
"dubbed/called/termed X", "our proposed X", a quoted name (:func:`proposals`).
"""

from __future__ import annotations

import re

from graph.extract.abbreviations import best_long_form
from graph.extract.patterns.gates import (
    LIST_AFTER_CUE,
    NAMING,
    NOVEL_PHRASE,
    OUR_NAME,
    OUR_PROPOSED,
    PROPOSAL,
    open_gates,
    proposal_matches,
)
from graph.extract.patterns.heads import first_head_type, head_type
from graph.extract.patterns.names import (
    _QUOTES,
    _WORD,
    WORD,
    Candidate,
    _name_at,
    is_name_like,
    morphology_type,
)

#: Adjectives that describe a method without naming it ("a simple yet effective approach").
GENERIC_ADJECTIVES = frozenset(
    [
        "simple",
        "effective",
        "efficient",
        "practical",
        "general",
        "powerful",
        "robust",
        "scalable",
        "lightweight",
        "flexible",
        "principled",
        "unified",
        "fast",
        "accurate",
        "new",
        "novel",
        "free",
        "training-free",
        "plug-and-play",
        "two-stage",
        "multi-stage",
        "end-to-end",
        "straightforward",
        "generic",
        "universal",
        "highly",
        "very",
        "theoretical",
        "empirical",
        "systematic",
        "comprehensive",
        "lossless",
        "optimal",
        "improved",
        "better",
        "stronger",
    ]
)
_FUNCTION_WORDS = frozenset(
    [
        "and",
        "but",
        "yet",
        "or",
        "of",
        "to",
        "for",
        "with",
        "in",
        "on",
        "by",
        "from",
        "as",
        "that",
        "which",
    ]
)
#: Words saying a name belongs to earlier work, not to this paper.
PRIOR_WORK = re.compile(
    r"\b(?:recent(?:ly)?|previous(?:ly)?|prior|existing|was (?:proposed|presented|introduced)|"
    r"were (?:proposed|presented|introduced)|et al|popular|widely used|state-of-the-art)\b",
    re.IGNORECASE,
)

#: A quoted name: 'Configuration-Invariant Knowledge Distillation', "reverse sparsification,".
QUOTED = re.compile(r"[`'\"“‘]{1,2}(?P<name>[\w][\w\s-]{2,60}?)[,.]?[`'\"”’]{1,2}")
#: "a novel framework, Feature Multiplexing, where ...": a description, then the name.
APPOSITIVE_NAME = re.compile(
    r"(?:a|an|the)\s+[^,.;:()]{0,80}?\b(?P<head>\w+)\s*,\s*"
    r"(?P<name>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,4})\s*(?=[,.(;:]|\s+(?:which|that|where|to)\b)"
)
#: "benchmark HateEval-Hi and HateEval-Mr", "the dataset X": a cue noun before names.
CUE_BEFORE = re.compile(
    r"\b(?P<cue>dataset|benchmark|corpus|suite|leaderboard|model|optimizer|algorithm)\s+"
    rf"(?P<first>{_WORD})(?:(?:,\s*|\s+and\s+|,\s+and\s+)(?P<second>{_WORD}))?"
)


_CLAUSE = re.compile(r"[^.;:]{0,200}")
_COORDINATOR = re.compile(r"(?:,\s*(?:and\s+)?|\s+and\s+|\s*/\s*)")
_AFTER_QUOTES = re.compile(r"\s*[`'\"”’]*\s*(?:\([^)]{1,30}\)\s*)?(?P<rest>.*)")
_CUE_WORD = re.compile(r"(\w[\w-]*)")
_APPOSITIVE_NP = re.compile(r",\s*(?:a|an|the|our)\s+(?P<np>[^,.;()]{1,100})")
_NEXT_WORD = re.compile(r"\s*(\w+)")


def _sentence_start(text: str, pos: int) -> int:
    """Offset of the start of the sentence holding ``pos`` (after the last ". " before it)."""
    cut = text.rfind(". ", 0, pos)
    return 0 if cut < 0 else cut + 2


def _coordinated(text: str, end: int, stoplist: frozenset[str]) -> list[tuple[int, int]]:
    """Names coordinated right after a name ending at ``end``: "X and Y", "X, Y, and Z"."""
    spans = []
    while True:
        m = _COORDINATOR.match(text, end)
        if not m:
            return spans
        span = _name_at(text, m.end(), stoplist, allow_capitalised=False, max_words=1)
        if not span:
            return spans
        spans.append(span)
        end = span[1]


def proposals(text: str, stoplist: frozenset[str] = frozenset()) -> list[Candidate]:
    """Find names a text introduces as the paper's own.

    - "we propose/introduce/present X" (and "this paper proposes X"): the first name-shaped word
      within a few words of the verb, and names coordinated with it ("X and Y");
    - "we introduce a simple framework, Feature Multiplexing, where ...": a capitalised name in
      apposition to the description;
    - "dubbed/called/termed X": a capitalised word is enough; proposed unless the sentence
      credits earlier work ("recently ... was presented, called X");
    - "our proposed X", "Our White-Box Diffusion Transformer": the name after it;
    - "a novel adversarial consistency training approach": a multi-word lowercase name;
    - a quoted name before a method head or after a naming word.
    """
    found: list[Candidate] = []

    def add(
        span: tuple[int, int], rule: str, entity_type: str | None, proposed: bool
    ) -> Candidate | None:
        name = text[span[0] : span[1]]
        if name.islower() and " " not in name.strip():
            return None  # a single ordinary word ("free") is never a new name
        entity_type = (
            entity_type
            or _type_from_context(name, text[span[1] : span[1] + 120])
            or (head_type(name) if " " in name.strip() else None)
        )
        found.append(Candidate(*span, rule, 0.85, entity_type, proposed=proposed))
        return found[-1]

    for _, verb_end in proposal_matches(text):
        clause = _CLAUSE.match(text, verb_end).group()
        appositive = APPOSITIVE_NAME.match(clause.lstrip())
        if appositive and head_type(appositive["head"]):
            offset = verb_end + len(clause) - len(clause.lstrip())
            start = offset + appositive.start("name")
            add(
                (start, offset + appositive.end("name")),
                "proposal",
                head_type(appositive["head"]),
                True,
            )
            continue
        for w in WORD.finditer(clause):
            if w.start() > 60:
                break
            span = _name_at(text, verb_end + w.start(), stoplist, allow_capitalised=False)
            if span is None and w.group()[:1].isupper():
                # "We introduce Lingo, ...", "we present Lightning Attention (LA)": a plain
                # capitalised name is the object when punctuation closes it.
                span = _name_at(text, verb_end + w.start(), stoplist, allow_capitalised=True)
                if span and not _CLOSES_NAME.match(text, span[1]):
                    span = None
            if span:
                first = add(span, "proposal", None, True)
                for other in _coordinated(text, span[1], stoplist):
                    add(other, "proposal", first.type if first else None, True)
                break
            word = w.group()
            if word.lower() in {"that", "which", "to", "for", "how", "whether"}:
                break
            if word.islower() and not _leads_object(word):
                # "We also release hateful BERT", "we present adaptation results using GPT-2":
                # the object is some other noun phrase; the name after it is not the new one.
                break
        for paren in _NAMES_IN_PARENS.finditer(clause):
            # "three new Arabic BERT-style models (A, B and C)": names listed after the head.
            entity_type = head_type(paren["head"])
            if entity_type is None:
                continue
            items = [m for m in _PAREN_ITEM.finditer(paren["items"])]
            before = clause[max(0, paren.start("items") - 90) : paren.start("items") - 1]
            if len(items) == 1 and best_long_form(items[0]["item"], before.rstrip(" (")):
                continue  # "real-time strategy (RTS)": an acronym's definition, not a list
            if items and all(is_name_like(m["item"], stoplist) for m in items):
                base = verb_end + paren.start("items")
                for m in items:
                    add(
                        (base + m.start("item"), base + m.end("item")),
                        "proposal",
                        entity_type,
                        True,
                    )
        for cue in CUE_BEFORE.finditer(clause):
            for group in ("first", "second"):
                if cue[group] and is_name_like(cue[group], stoplist):
                    start = verb_end + cue.start(group)
                    add((start, start + len(cue[group])), "proposal", head_type(cue["cue"]), True)
    gates = open_gates(text)
    for m in NAMING.finditer(text) if "naming" in gates else ():
        span = _name_at(text, m.end(), stoplist, allow_capitalised=True)
        if not span:
            q = QUOTED.match(text, m.end())
            if not q:
                continue
            span = (q.start("name"), q.start("name") + len(q["name"].rstrip()))
        sentence_start = _sentence_start(text, m.start())
        sentence = text[sentence_start : m.start()]
        before = [
            part
            for part in re.split(r"[,;(]", text[max(0, m.start() - 80) : m.start()])
            if part.strip()
        ]
        entity_type = _type_from_context(
            text[span[0] : span[1]], text[span[1] : span[1] + 120]
        ) or (head_type(before[-1]) if before else None)
        add(span, "naming", entity_type, not PRIOR_WORK.search(sentence))
    for m in OUR_PROPOSED.finditer(text) if "our_proposed" in gates else ():
        span = _name_at(text, m.end(), stoplist, allow_capitalised=True)
        if span:
            add(span, "proposal", None, True)
    for m in OUR_NAME.finditer(text) if "our_name" in gates else ():
        span = _name_at(text, m.end(), stoplist, allow_capitalised=True)
        if span and " " in text[span[0] : span[1]].strip():
            add(span, "proposal", None, True)
    for m in NOVEL_PHRASE.finditer(text) if "novel_phrase" in gates else ():
        words = m["name"].split()
        while words and words[0] in GENERIC_ADJECTIVES:
            words.pop(0)
        if len(words) >= 2 and not any(w in GENERIC_ADJECTIVES | _FUNCTION_WORDS for w in words):
            start = m.end("name") - len(" ".join(words))
            add((start, m.end("name")), "proposal", "Method", True)
    quoted = any(q in text for q in ('"', "``", "“", "‘", " '"))
    for m in QUOTED.finditer(text) if quoted else ():
        after = text[m.end() : m.end() + 30]
        head = _NEXT_WORD.match(after)
        if head and head_type(head.group(1)) and m["name"][:1].isalpha():
            start = m.start("name")
            add(
                (start, start + len(m["name"].rstrip())),
                "proposal",
                head_type(head.group(1)),
                bool(
                    re.search(
                        r"\b(?:novel|new|our|propose)",
                        text[max(0, m.start() - 40) : m.start()],
                        re.I,
                    )
                ),
            )
    for m in LIST_AFTER_CUE.finditer(text) if "list_after_cue" in gates else ():
        entity_type = head_type(m["cue"])
        if entity_type is None:
            continue
        sentence_start = _sentence_start(text, m.start())
        # Only "we created ... datasets: A, B" or "three novel datasets, namely, A, B" makes the
        # items the paper's own; "datasets such as A, B" lists other people's.
        between = text[m.end("cue") : m.start("items")]
        own = (":" in between or "namely" in between) and bool(
            PROPOSAL.search(text, sentence_start, m.start())
            or _NEW_WORD.search(text, sentence_start, m.start("cue"))
        )
        base = m.start("items")
        for item in re.finditer(
            r"(?:^|,\s*(?:(?:and|or)\s+)?|\s+(?:and|or)\s+)(?P<item>[^,]+?)"
            r"(?=,|\s+(?:and|or)\s+|$)",
            m["items"],
        ):
            for part in re.finditer(r"\S+", item["item"]):
                word = part.group().strip(_QUOTES + " ")
                if re.fullmatch(r"\d+(?:\.\d+)?[KMB]?", word) or not WORD.fullmatch(word):
                    continue
                if is_name_like(word, stoplist):
                    start = base + item.start("item") + part.start() + part.group().index(word)
                    found.append(
                        Candidate(start, start + len(word), "list", 0.75, entity_type, proposed=own)
                    )
                break
    return found


#: Words that say the things a sentence lists are new ("three novel datasets, namely, ...").
_NEW_WORD = re.compile(r"\b(?:novel|new|newly|proposed)\b", re.IGNORECASE)

#: Words that may open the object of "we propose" before the name itself.
_OBJECT_OPENERS = frozenset(
    [
        "a",
        "an",
        "the",
        "our",
        "its",
        "their",
        "this",
        "these",
        "two",
        "three",
        "four",
        "five",
        "several",
        "first",
        "new",
        "novel",
        "and",
        "yet",
        "also",
        "here",
        "now",
        "both",
    ]
)
_NAMES_IN_PARENS = re.compile(r"\b(?P<head>[a-z][\w-]*)\s*\((?P<items>[^()]{2,120})\)")
_PAREN_ITEM = re.compile(
    r"(?:^|,|\band\b)\s*(?:and\s+)?(?P<item>[^,\s][^,]*?)(?=\s*(?:,|\band\b|$))"
)


#: What may follow a plain capitalised name for it to be the object of "we propose".
_CLOSES_NAME = re.compile(r"\s*(?:[,:;(—–]|\s-\s|\.(?:\s|$)|\s+(?:which|that|to|for)\b)")


def _leads_object(word: str) -> bool:
    """Whether a lowercase word may stand before the name in "we propose <object>"."""
    return word in _OBJECT_OPENERS or word in GENERIC_ADJECTIVES or word.endswith("ly")


def _type_from_context(name: str, after: str) -> str | None:
    """Type of a name from what follows it: a cue noun, or an appositive (", a new benchmark")."""
    m = _AFTER_QUOTES.match(after)
    rest = m["rest"] if m else after
    cue = _CUE_WORD.match(rest)
    if cue and (t := head_type(cue.group(1))):
        return t
    if rest.startswith(","):
        appos = _APPOSITIVE_NP.match(rest)
        if appos and (t := first_head_type(appos["np"])):
            return t
    return morphology_type(name)
