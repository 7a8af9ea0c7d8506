"""Names typed by what stands next to them or by their shape: a cue noun after the name
("the MVBench benchmark"), a description in apposition ("Quillset, a large-scale dataset"),
a parameter count ("MindLLM-1.3B").
"""

from __future__ import annotations

import re

from graph.extract.patterns.gates import PROPOSAL, SHAPED, open_gates
from graph.extract.patterns.heads import first_head_type, head_type
from graph.extract.patterns.names import COMMON_CAPITALISED, WORD, Candidate, is_name_like
from graph.extract.patterns.proposal import _sentence_start

#: Cue nouns after a name: "the MVBench benchmark", "the TabPFN model", "the AdamW optimizer".
CUE_NOUN = re.compile(
    r" (?P<cue>datasets?|benchmarks?|corpus|corpora|suite|leaderboard|treebank|model|LLM|"
    r"LM|network|architecture|algorithms?|optimizers?|method|technique|framework)\b"
)


def cue_noun_names(text: str, stoplist: frozenset[str] = frozenset()) -> list[Candidate]:
    """Find name-shaped words followed by a cue noun: "the MVBench benchmark", "TabPFN model"."""
    found = []
    for m in CUE_NOUN.finditer(text):
        start = m.start()
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        w = WORD.fullmatch(text, start, m.start())
        if not w or not is_name_like(w.group(), stoplist):
            continue
        entity_type = head_type(m["cue"])
        if entity_type:
            found.append(Candidate(w.start(), w.end(), "cue-noun", 0.7, entity_type))
    return found


#: "Retrivo, a new QA-pair retriever ...", "Quillset, a large-scale dataset of ...".
APPOSITION = re.compile(
    r"(?<![\w-])(?P<name>[A-Z][\w.+-]*[\w+])\s*(?:\([^()]{1,30}\)\s*)?,\s+(?:a|an)\s+"
    r"(?P<np>[^,.;:()]{1,80})"
)


def appositive_names(text: str, stoplist: frozenset[str] = frozenset()) -> list[Candidate]:
    """Names in apposition to a description: "Quillset, a large-scale dataset of diagrams".

    The description's head noun types the name; "new" or "novel" in it, or a "we propose"
    clause before it in the sentence, makes it the paper's own.
    """
    found: list[Candidate] = []
    if ", a" not in text:
        return found
    for m in APPOSITION.finditer(text):
        name = m["name"]
        if name.lower() in COMMON_CAPITALISED or name in stoplist or len(name) < 3:
            continue
        entity_type = first_head_type(m["np"])
        if entity_type is None:
            continue
        sentence_start = _sentence_start(text, m.start())
        proposed = bool(re.search(r"\b(?:new|novel)\b", m["np"])) or bool(
            PROPOSAL.search(text, sentence_start, m.start() + 1)
        )
        found.append(
            Candidate(m.start("name"), m.end("name"), "appositive", 0.8, entity_type, proposed)
        )
    return found


def shaped_names(text: str, stoplist: frozenset[str] = frozenset()) -> list[Candidate]:
    """Find names whose shape alone tells their type: sized models ("MindLLM-1.3B")."""
    found: list[Candidate] = []
    for m in SHAPED.finditer(text) if "shaped" in open_gates(text) else ():
        word = m.group()
        if " " not in word and is_name_like(word, stoplist):
            found.append(Candidate(m.start(), m.end(), "shape", 0.75, "Model"))
    return found
