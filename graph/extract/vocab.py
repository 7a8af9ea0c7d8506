"""Vocabulary matching: find the labels of known concepts in text, fast.

The matching logic is plain functions over strings (an Aho-Corasick automaton over the labels,
then word-boundary, case and context checks, leftmost-longest selection); the spaCy component
``kg_vocab`` only puts the matches on the Doc.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import ahocorasick
from spacy.language import Language
from spacy.tokens import Doc

from graph.extract._text import doc_text
from graph.extract.tokenizer import CJK
from graph.ontology import Concept, Vocabulary

#: Suffixes that turn a family name into a version, size or variant name:
#: "Llama-2-70B", "Mistral 7B", "Qwen2.5-7B-Instruct", "Mixtral 8x7B", "GPT-4o-mini", "ResNet-50".
VARIANT_SUFFIX = re.compile(
    r"""(?:
          (?:[- ]?[vV]?\d+(?:\.\d+)*[a-z]?(?![\w]|\.\d))    # version: 2, -3.1, v2, -V1, 4o
        | (?:[- ](?:\d+x)?\d+(?:\.\d+)?[BMKT](?![\w]))       # size: -7B, 8x7B, 1.3B, 350M
        | (?:[- ](?:Instruct|Chat|Base|Coder|Code|Vision|VL|Turbo|Pro|Mini|mini|Max|Plus|Large|
                    large|Small|small|Medium|XL|XXL|Tiny|Lite|Flash|Ultra|Nano|Preview|HF|hf|it|
                    Omni|Math|Sonnet|Opus|Haiku|Distill|Reasoner|R1|MoE|Next|NeXT)(?![\w]))
        )+""",
    re.VERBOSE,
)
#: A size, and what may follow it, after a model's name: "Flan-UL2 20B", "CodeT5+ 16B-Instruct".
SIZED_SUFFIX = re.compile(
    r"[- ](?:\d+x)?\d+(?:\.\d+)?[BMKT](?![\w])"
    r"(?:[- ](?:Instruct|Chat|Base|Coder|Vision|it)(?![\w]))?"
)
#: Words after a name that make an ambiguous language name a language ("the Even language").
LANGUAGE_CUES = re.compile(r"\s+(?:language|languages|dialects?|speakers?|texts?)\b", re.IGNORECASE)
#: A parameter count in a variant name ("Falcon-40B", "Mixtral 8x7B").
SIZE = re.compile(r"\d+(?:\.\d+)?[BMKT]\b")
#: Words after an ambiguous model or dataset name that make it one ("the Gemini model").
ML_CUE = re.compile(
    r"[\s-]+(?:models?|LLMs?|language models?|architectures?|networks?|benchmarks?|datasets?|"
    r"corpus|checkpoints?|weights|fine-tun\w*|pre-?train\w*)\b",
    re.IGNORECASE,
)
#: A group's adjective stands for the group when "languages" closes its phrase within a few
#: words: "13 Indic and 21 African low-resource languages".
GROUP_CUE = re.compile(r"(?:\s+(?:and|or|&|\d+|[A-Za-z][\w-]*),?){0,5}?\s+languages\b")


@dataclass(frozen=True)
class VocabMatch:
    """A label of a known concept found in text (``text[start:end]``)."""

    start: int
    end: int
    concept: Concept
    variant: bool = False
    label_end: int = 0
    conditional: bool = False
    #: An ambiguous name in a text that names no unambiguous ML entity: kept only on request.
    alone: bool = False
    #: A language named inside a longer Dataset or Model match ("English" in "English Web
    #: Treebank"): it overlaps that match, and counts beside it.
    nested: bool = False


#: Every character that is not a letter or digit (in the Basic Multilingual Plane) -> space,
#: except "+" and "#", which are part of names ("HumanEval+", "RefCOCO+", "C#"). Chinese,
#: Japanese and Korean characters are letters, but their scripts write no spaces, so a name
#: in Latin letters inside them ("使用BERT和") starts and ends where the script changes: they
#: are boundaries too (:data:`graph.extract.tokenizer.CJK` holds the same ranges).
_SPACES = {
    c: " "
    for c in range(0x10000)
    if (not chr(c).isalnum() and chr(c) not in "+#") or CJK.match(chr(c))
}


def _boundary_key(label: str) -> str:
    """A label as an automaton key: lowercased, non-alphanumerics as spaces, space-padded."""
    return f" {label.lower().translate(_SPACES)} "


#: :data:`_SPACES` for ASCII text, as a bytes table (bytes.translate is many times faster).
_ASCII_SPACES = bytes(ord(" ") if c in _SPACES else ord(chr(c).lower()) for c in range(128)).ljust(
    256, b" "
)


@functools.lru_cache(maxsize=4)
def _boundary_text(text: str) -> str:
    """Text as the automaton reads it; same length as ``text`` plus the two pad spaces.

    Cached: both automata read it.
    """
    if text.isascii():
        return f" {text.encode('ascii').translate(_ASCII_SPACES).decode('ascii')} "
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters ("İ") lowercase to two
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return f" {lowered.translate(_SPACES)} "


class VocabMatcher:
    """Finds every concept label of a vocabulary in text.

    Case-insensitive labels are matched on lowercased text; ``kg:caseSensitive`` labels only with
    their exact case; ``kg:needsContext`` labels only beside a cue word.
    """

    def __init__(self, vocabulary: Vocabulary) -> None:
        self._automaton = ahocorasick.Automaton()
        entries: dict[str, list[tuple[Concept, bool, bool]]] = {}
        self._group_adjectives: set[tuple[str, str]] = set()

        def add(label: str, concept: Concept, exact: bool) -> None:
            key = _boundary_key(label)
            entries.setdefault(key, []).append((concept, exact, False))
            if label[-1:].isalpha() and not label.endswith("s"):
                entries.setdefault(_boundary_key(label + "s"), []).append((concept, exact, True))

        for concept in sorted(vocabulary.concepts.values(), key=lambda c: c.iri):
            for label in concept.labels:
                if len(label) < 2 or label in vocabulary.stoplist:
                    continue
                add(label, concept, concept.case_sensitive)
                if concept.group and label.endswith(" languages"):
                    adjective = label[: -len(" languages")]
                    if adjective[:1].isupper() and " " not in adjective:
                        self._group_adjectives.add((concept.iri, adjective))
                        entries.setdefault(_boundary_key(adjective), []).append(
                            (concept, True, False)
                        )
        for key, candidates in entries.items():
            self._automaton.add_word(key, (len(key), candidates))
        if entries:
            self._automaton.make_automaton()
        self._empty = not entries
        # Phrases that give a name another sense ("Otter theorem prover"): key -> the exact
        # spellings a case-sensitive phrase must have (None: any case).
        senses: dict[str, set[str] | None] = {}
        for sense in vocabulary.other_senses:
            for label in sense.labels:
                key = _boundary_key(label)
                if not sense.case_sensitive:
                    senses[key] = None
                elif senses.get(key, set()) is not None:
                    senses.setdefault(key, set()).add(label)
        self._senses = ahocorasick.Automaton()
        for key, exact in senses.items():
            self._senses.add_word(key, (len(key), exact))
        if senses:
            self._senses.make_automaton()
        self._no_senses = not senses

    def other_senses(self, text: str) -> list[tuple[int, int]]:
        """The (start, end) of every other-sense phrase in ``text`` ("SOAP note", "Gemini
        telescope"), in text order."""
        if self._no_senses:
            return []
        found = []
        for end_index, (size, exact) in self._senses.iter(_boundary_text(text)):
            start, end = end_index - size + 1, end_index - 1
            if exact is None or text[start:end].rstrip(".") in exact:
                found.append((start, end))
        return sorted(found)

    def _accept(
        self, text: str, start: int, label_end: int, end: int, concept: Concept, exact: bool
    ) -> bool:
        surface = text[start:label_end]
        if not (surface[:1].isalnum() and surface[-1:].isalnum()) and surface.lower() not in (
            label.lower() for label in concept.labels
        ):
            return False  # punctuation at an edge must be the label's own ("C++", not "LoRA)")
        if surface.isupper() and surface not in concept.labels and _in_capitals(text, start):
            # A text in capitals says nothing of case: "8-BIT" is not BiT, nor "HIGH-QUALITY"
            # QuALITY.
            return False
        if concept.type == "Language" and text[max(0, start - 4) : start].lower() == "non-":
            return False  # "non-English speakers" names no language studied
        if (concept.iri, surface) in self._group_adjectives:
            return bool(GROUP_CUE.match(text, end))
        # A case variant with inner capitals ("LLaMa" for "LLaMA") is still the name, never the
        # English word ("llama", or "Llama" starting a sentence).
        if (
            exact
            and surface not in concept.labels
            and sum(c.isupper() for c in surface) < 2
            and not _camel_case_written_plain(surface, concept.labels)
        ):
            return False
        if concept.needs_context and concept.type == "Language":
            return bool(LANGUAGE_CUES.match(text, end))
        return True

    def find(self, text: str, *, keep_alone: bool = False) -> list[VocabMatch]:
        """Return the leftmost-longest, non-overlapping label matches in ``text``.

        A match must start and end at word boundaries; a trailing plural "s" is allowed
        ("Transformers", "GANs"). A family name followed by a version or size suffix becomes a
        variant match covering the suffix ("Llama-2" + "-70B"). A language inside a longer
        Dataset or Model match is returned too, flagged ``nested``. A name inside an other-sense
        phrase ("Otter theorem prover") is no match, nor is it anywhere else in the text.

        Args:
            text: The text to search.
            keep_alone: Also return the ambiguous names of a text that names no unambiguous ML
                entity, flagged ``alone`` (by default they are left out).
        """
        return self.scan(text, keep_alone=keep_alone)[0]

    def scan(
        self, text: str, *, keep_alone: bool = False
    ) -> tuple[list[VocabMatch], list[tuple[int, int]]]:
        """:meth:`find`'s matches, and the other-sense phrases of the text (:meth:`other_senses`),
        which the extractor's other rules respect too."""
        if self._empty:
            return [], self.other_senses(text)
        found: list[VocabMatch] = []
        # Keys and text are lowercased with every non-alphanumeric character made a space and
        # padded with spaces, so the automaton reports only hits that start and end at word
        # boundaries (and offsets stay those of the original text).
        for end_index, (size, candidates) in self._automaton.iter(_boundary_text(text)):
            start = end_index - size + 1
            end = end_index - 1
            for concept, exact, plural in candidates:
                label_end = end - 1 if plural else end
                if not self._accept(text, start, label_end, end, concept, exact):
                    continue
                variant = False
                match_end = end
                if concept.family or concept.type == "Model":
                    # Any model may be written with its size ("Flan-UL2 20B"); only a family
                    # takes versions too ("Llama 2", "Qwen2.5-7B").
                    suffix = VARIANT_SUFFIX if concept.family else SIZED_SUFFIX
                    m = suffix.match(text, end)
                    if m and m.end() > end:
                        match_end = variant_end(text, end, m.end())
                        variant = match_end > end
                surface = text[start:label_end]
                conditional = (
                    concept.type != "Language"
                    and (
                        concept.needs_context
                        or _looks_like_a_word(surface)
                        # "CHIME", "SPARC", "ORCA" for CHiME, SParC, Orca: capitals are how
                        # other sciences write their instruments, surveys and programs
                        or (
                            surface.isupper()
                            and surface.isalpha()
                            and len(surface) <= 6
                            and surface not in concept.labels
                        )
                    )
                    and not (variant and SIZE.search(text, label_end, match_end))
                    and not ML_CUE.match(text, match_end)
                )
                found.append(VocabMatch(start, match_end, concept, variant, label_end, conditional))
                break
        senses = self.other_senses(text)
        if senses and found:
            found = without_other_senses(found, senses)
        chosen = select_longest(found)
        # Ambiguous names ("Gemini", "Falcon", "C4") count only in a text that names some
        # unambiguous ML entity too: an astronomy abstract's "Gemini" is a telescope.
        if any(m.conditional for m in chosen) and not any(
            not m.conditional and m.concept.type != "Language" for m in chosen
        ):
            if not keep_alone:
                return nested_languages([m for m in chosen if not m.conditional], found), senses
            chosen = [replace(m, alone=True) if m.conditional else m for m in chosen]
        return nested_languages(chosen, found), senses


#: A name glued from two or more capitalised words ("WordNet", "CiteSeer", "ImageNet").
_CAMEL_CASE = re.compile(r"(?:[A-Z][a-z]{2,}){2,}\d*")


def _camel_case_written_plain(surface: str, labels: Sequence[str]) -> bool:
    """Whether ``surface`` is a glued name written with its first capital only ("Wordnet",
    "Pubmed" for WordNet, PubMed): no English word is spelled so, unlike the capitalised forms
    of other case-sensitive names ("Falcon", "Record" for ReCoRD).

    >>> [_camel_case_written_plain(s, [label]) for s, label in [("Wordnet", "WordNet"),
    ...     ("Record", "ReCoRD")]]
    [True, False]
    """
    return any(
        _CAMEL_CASE.fullmatch(label) and surface == label[0] + label[1:].lower() for label in labels
    )


def _in_capitals(text: str, pos: int) -> bool:
    """Whether the line or sentence around ``pos`` is written in capitals."""
    low = max(text.rfind("\n", 0, pos), text.rfind(". ", 0, pos), 0)
    high = min(
        (i for i in (text.find("\n", pos), text.find(". ", pos)) if i >= 0), default=len(text)
    )
    letters = [c for c in text[low:high] if c.isalpha()]
    return len(letters) >= 12 and sum(c.isupper() for c in letters) > 0.8 * len(letters)


_COUNTS = re.compile(
    r"\s+(?!(?:and|or|on|in|with|for|to|at|as|of|from|by|is|are|was|were|model|models)\b)"
    r"[a-z]"
)
_SUFFIX_PART = re.compile(r"[- ]?[^- ]+")


def variant_end(text: str, start: int, end: int) -> int:
    """Where a variant suffix ``text[start:end]`` really ends.

    A bare number after a number is not part of the name ("ResNet-101 224": an image size),
    nor is a size word that starts a longer capitalised name ("ImageNet Large Scale Visual
    Recognition Challenge").

    >>> text = "ResNet-101 224 and ImageNet Large Scale"
    >>> text[:variant_end(text, 6, 14)], text[19:variant_end(text, 27, 33)]
    ('ResNet-101', 'ImageNet')
    """
    parts = [(m.start(), m.end()) for m in _SUFFIX_PART.finditer(text, start, end)]
    kept: list[tuple[int, int]] = []
    for a, b in parts:
        part = text[a:b]
        numeric = part.strip("- ").replace(".", "").isdigit()
        if numeric and part.startswith(" ") and kept and text[kept[-1][1] - 1].isdigit():
            break
        if numeric and part.startswith(" ") and _COUNTS.match(text, b):
            break  # "BERT 12 layers": a count, not a version
        kept.append((a, b))
    while kept and text[kept[-1][0] : kept[-1][1]].strip("- ").isalpha():
        following = text[kept[-1][1] : kept[-1][1] + 2]
        if len(following) == 2 and following[0] == " " and following[1].isupper():
            kept.pop()
        else:
            break
    return kept[-1][1] if kept else start


def _looks_like_a_word(surface: str) -> bool:
    """Whether a matched name could be an ordinary word or abbreviation in any field.

    Title-case words ("Llama", "Mamba", "Transformer", "Adam") and acronyms of three characters
    or fewer ("GPT", "C4") also name animals, enzymes, plants and devices.
    """
    return (len(surface) <= 3 and " " not in surface) or (
        surface[:1].isupper() and surface[1:].islower() and surface.isalpha()
    )


class CompoundMatcher:
    """Finds a known model name inside a new one: "HindTweetBERT", "ProLLaMA", "PLLaVA".

    A new name built on a model's name is a model: the label must appear with its exact case,
    at a camel-case or hyphen boundary.
    """

    def __init__(self, vocabulary: Vocabulary) -> None:
        self._automaton = ahocorasick.Automaton()
        count = 0
        for concept in vocabulary.of_type("Model"):
            for label in concept.labels:
                if (
                    len(label) >= 3
                    and " " not in label
                    and sum(c.isupper() for c in label) >= 2
                    and label not in vocabulary.stoplist
                ):
                    self._automaton.add_word(label, concept)
                    count += 1
        if count:
            self._automaton.make_automaton()
        self._empty = not count

    def find(self, name: str) -> Concept | None:
        """Return the model concept whose name ``name`` is built on, or None."""
        if self._empty:
            return None
        for end_index, concept in self._automaton.iter(name):
            label_len = len(
                next(
                    lbl
                    for lbl in concept.labels
                    if name.find(lbl) >= 0 and name.find(lbl) + len(lbl) - 1 <= end_index
                )
            )
            start = end_index + 1 - label_len
            if start == 0 and end_index + 1 == len(name):
                continue  # the name itself, not a compound
            before = name[start - 1] if start else ""
            after = name[end_index + 1] if end_index + 1 < len(name) else ""
            left_ok = not before or not before.isupper() or before == "-"
            right_ok = not after or not after.islower()
            if left_ok and right_ok:
                return concept
        return None


def select_longest(matches: list[VocabMatch]) -> list[VocabMatch]:
    """Keep the leftmost-longest non-overlapping matches, in text order.

    Between equally long matches the one whose label covers more wins: "Llama-2" + "-70B" (a
    variant of Llama 2) over "Llama" + "-2-70B".
    """
    chosen: list[VocabMatch] = []
    for match in sorted(matches, key=lambda m: (m.start, -(m.end - m.start), -m.label_end)):
        if chosen and match.start < chosen[-1].end:
            continue
        chosen.append(match)
    return chosen


def without_other_senses(
    matches: list[VocabMatch], senses: list[tuple[int, int]]
) -> list[VocabMatch]:
    """``matches`` without the concepts an other-sense phrase covers once: in a text about the
    "Otter theorem prover", every "Otter" is the prover (one sense per discourse)."""
    other = {m.concept.iri for m in matches if any(a <= m.start and m.end <= b for a, b in senses)}
    return [m for m in matches if m.concept.iri not in other] if other else matches


def nested_languages(chosen: list[VocabMatch], found: list[VocabMatch]) -> list[VocabMatch]:
    """``chosen`` and, flagged ``nested``, the Language matches of ``found`` inside one of its
    Dataset or Model matches, in text order: a corpus named for its language ("English Web
    Treebank", "Penn Chinese Treebank") says which language the paper works on."""
    hosts = [m for m in chosen if m.concept.type in ("Dataset", "Model") and not m.alone]
    if not hosts:
        return chosen
    inner = [
        replace(m, nested=True)
        for m in found
        if m.concept.type == "Language"
        and any(
            h.start <= m.start and m.end <= h.end and h.end - h.start > m.end - m.start
            for h in hosts
        )
    ]
    if not inner:
        return chosen
    return sorted(chosen + select_longest(inner), key=lambda m: (m.start, -m.end))


@Language.factory(
    "kg_vocab",
    assigns=["doc._.kg_vocab", "doc._.kg_other_senses"],
    default_config={},
)
def make_vocab_component(nlp: Language, name: str) -> VocabComponent:
    """Create the vocabulary-matching component (the matcher is set by ``initialize``)."""
    return VocabComponent()


class VocabComponent:
    """Puts the vocabulary matches of a Doc's text on ``doc._.kg_vocab``, and its other-sense
    phrases (character offsets) on ``doc._.kg_other_senses``."""

    def __init__(self) -> None:
        self.matcher: VocabMatcher | None = None
        if not Doc.has_extension("kg_vocab"):
            Doc.set_extension("kg_vocab", default=None)
        if not Doc.has_extension("kg_other_senses"):
            Doc.set_extension("kg_other_senses", default=None)

    def initialize(
        self,
        get_examples=None,
        *,
        nlp: Language | None = None,
        vocabulary: Vocabulary | None = None,
    ) -> None:
        """Build the automaton from ``vocabulary`` (default: ontology/vocab)."""
        from graph.ontology import load_vocabulary

        self.matcher = VocabMatcher(vocabulary or load_vocabulary())

    def __call__(self, doc: Doc) -> Doc:
        if self.matcher is None:
            self.initialize()
        doc._.kg_vocab, doc._.kg_other_senses = self.matcher.scan(doc_text(doc), keep_alone=True)
        return doc
