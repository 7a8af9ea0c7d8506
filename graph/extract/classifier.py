"""The learned decision: for every name a paper's findings hold, its type and whether it is new.

The rules and vocabularies of the other components propose names and give their opinions (a
vocabulary type, a cue noun, an acronym's long form, a "we propose" clause ...); the hand rules
alone decide by a fixed priority (:func:`graph.extract.entities.rule_extraction`). Here a linear
model trained on annotated papers weighs those opinions together with the name's shape and its
context and decides, per name:

- its type: Model, Dataset, Method, or none (not an entity);
- whether the paper proposes it.

Names linked by an acronym definition are decided together. Languages stay with the rules (the
ISO vocabulary and its cues are already right nearly always).

The features are plain strings (:func:`name_features`); the models are logistic regressions
trained by ``scripts/train/train_classifier.py`` with scikit-learn and shipped as JSON weights
(``graph/extract/models/classifier.json``): scoring is a sum of the weights of the features
present, so inference needs neither scikit-learn nor pickles.
"""

from __future__ import annotations

import functools
import json
import math
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from graph.errors import OntologyError
from graph.extract.candidates import word_shape
from graph.extract.entities import (
    Findings,
    _sorted_aliases,
    _Span,
    rule_extraction,
    set_extraction,
    to_mentions,
)
from graph.extract.patterns import (
    DATASET_SUFFIX,
    SIZE_SUFFIX,
    head_type,
    proposal_matches,
    title_description_type,
)
from graph.extract.vocab import CompoundMatcher
from graph.iri import name_key
from graph.ontology import Vocabulary
from graph.records import AliasPair, Extraction

#: The classes of the type model, "none" first.
LABELS: tuple[str, ...] = ("none", "Model", "Dataset", "Method")
#: The shipped weights.
DEFAULT_MODEL = Path(__file__).with_name("models") / "classifier.json"
#: At most this many occurrences of a name give context features.
_MAX_CONTEXTS = 3

_CONTEXT_WORD = re.compile(r"[\w][\w.+-]*")
_IS_A = re.compile(r"\s+(?:is|are|was|as)\s+(?:a|an|the|our)\s+([^,.;:()]{1,80})")
_NP_CUT = re.compile(r"\s(?:for|of|that|which|with|to|in|on|from|by|and|trained|designed|built)\s")
_APPOSITIVE = re.compile(r"\s*(?:\([^)]{0,40}\)\s*)?,\s*(?:a|an|the|our)\s+([^,.;:()]{1,80})")
_NAMING_WORDS = frozenset(["called", "named", "dubbed", "termed"])
#: Words before a name that say how it is used ("trained on X", "outperforms X").
_BIGRAM_CUES = frozenset(
    [
        "trained on",
        "pretrained on",
        "pre-trained on",
        "finetuned on",
        "fine-tuned on",
        "evaluated on",
        "tested on",
        "results on",
        "experiments on",
        "such as",
        "compared with",
        "compared to",
        "based on",
        "built on",
    ]
)
_UNIGRAM_CUES = frozenset(
    [
        "benchmark",
        "benchmarks",
        "dataset",
        "datasets",
        "including",
        "e.g.",
        "i.e.",
        "like",
        "than",
        "using",
        "use",
        "used",
        "uses",
        "with",
        "via",
        "on",
        "of",
        "and",
        "or",
        "called",
        "dubbed",
        "named",
        "termed",
        "propose",
        "proposes",
        "proposed",
        "introduce",
        "introduces",
        "introduced",
        "present",
        "presents",
        "presented",
        "our",
        "the",
    ]
)
_DIGITS = re.compile(r"\d+")
_PIECES = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


@dataclass(frozen=True)
class LinearModel:
    """A multinomial logistic regression over string features.

    Attributes:
        labels: The class of each column.
        bias: The intercept per class.
        weights: For each feature, its weight per class.
    """

    labels: tuple[str, ...]
    bias: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]

    def probabilities(self, features: Iterable[str]) -> list[float]:
        """The probability of each label given the (binary) features present."""
        get = self.weights.get
        if len(self.bias) == 1:  # a binary model stores the positive class only
            score = self.bias[0]
            for f in features:
                w = get(f)
                if w is not None:
                    score += w[0]
            return [1.0 / (1.0 + math.exp(-score))]
        if len(self.bias) == 4:  # the type model: unrolled, 2.7 times faster than a loop
            s0, s1, s2, s3 = self.bias
            for f in features:
                w = get(f)
                if w is not None:
                    a, b, c, d = w
                    s0 += a
                    s1 += b
                    s2 += c
                    s3 += d
            scores = [s0, s1, s2, s3]
        else:
            scores = list(self.bias)
            for f in features:
                w = get(f)
                if w is not None:
                    for i, v in enumerate(w):
                        scores[i] += v
        top = max(scores)
        exps = [math.exp(v - top) for v in scores]
        total = sum(exps)
        return [e / total for e in exps]

    def to_json(self) -> dict:
        """The model as plain JSON data."""
        return {"labels": list(self.labels), "bias": list(self.bias), "weights": self.weights}

    @classmethod
    def from_json(cls, data: dict) -> LinearModel:
        """Read a model written by :meth:`to_json`."""
        return cls(
            tuple(data["labels"]),
            tuple(float(b) for b in data["bias"]),
            {f: tuple(float(x) for x in w) for f, w in data["weights"].items()},
        )


@dataclass(frozen=True)
class Classifier:
    """The type model, the proposal model and the thresholds they were tuned with."""

    types: LinearModel
    proposed: LinearModel
    proposed_threshold: float = 0.5
    info: dict | None = None

    @classmethod
    def load(cls, path: Path | str = DEFAULT_MODEL) -> Classifier:
        """Load shipped or freshly trained weights.

        Raises:
            OntologyError: The file is missing or not a classifier written by the trainer.
        """
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            return cls(
                LinearModel.from_json(data["types"]),
                LinearModel.from_json(data["proposed"]),
                float(data.get("proposed_threshold", 0.5)),
                data.get("info"),
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise OntologyError(
                f"{path}: not a classifier written by scripts/train/train_classifier.py "
                f"({exc}); retrain it or reinstall paper-kg"
            ) from exc

    def save(self, path: Path | str) -> None:
        """Write the weights as JSON (sorted keys: the same model gives the same bytes)."""
        data = {
            "info": self.info or {},
            "proposed_threshold": self.proposed_threshold,
            "types": self.types.to_json(),
            "proposed": self.proposed.to_json(),
        }
        Path(path).write_text(
            json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8"
        )


@functools.lru_cache(maxsize=1)
def default_classifier() -> Classifier:
    """The shipped classifier, loaded once."""
    return Classifier.load(DEFAULT_MODEL)


# --- grouping -------------------------------------------------------------------------------


@dataclass
class NameGroup:
    """The findings of one name in one paper (several surface forms when an acronym joins them).

    Attributes:
        spans: Indexes into ``Findings.spans``, in text order.
        keys: The name keys of the surface forms.
    """

    spans: list[int]
    keys: set[str]


def name_groups(findings: Findings) -> list[NameGroup]:
    """Group a paper's findings by name key, joining the two sides of acronym definitions."""
    text = findings.text
    parent = list(range(len(findings.spans)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_of: dict[str, int] = {}
    keys = []
    for i, s in enumerate(findings.spans):
        key = name_key(s.canonical or text[s.start : s.end])
        keys.append(key)
        if key in first_of:
            parent[root(i)] = root(first_of[key])
        else:
            first_of[key] = i
    for long, short in findings.pairs:
        parent[root(long)] = root(short)
    # Two labels of one vocabulary concept are one name ("conditional random fields", "CRF").
    first_of_concept: dict[str, int] = {}
    for i, s in enumerate(findings.spans):
        if s.concept:
            if s.concept in first_of_concept:
                parent[root(i)] = root(first_of_concept[s.concept])
            else:
                first_of_concept[s.concept] = i
    # An elided version ("3.1" in "Llama 3, 3.1") is decided with the name it continues.
    for i, s in enumerate(findings.spans):
        if s.rule == "elided":
            j = i - 1
            while j > 0 and findings.spans[j].rule == "elided":
                j -= 1
            parent[root(i)] = root(max(j, 0))
    groups: dict[int, NameGroup] = {}
    for i in range(len(findings.spans)):
        group = groups.setdefault(root(i), NameGroup([], set()))
        group.spans.append(i)
        group.keys.add(keys[i])
    return sorted(groups.values(), key=lambda g: g.spans[0])


# --- features -------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1 << 16)
def surface_features(surface: str) -> tuple[str, ...]:
    """Features of a name's written form: its shape, its pieces, its head word.

    >>> "piece=bench" in surface_features("MVBench"), "shape=XxXx" in surface_features("ProLLaMA")
    (True, True)
    """
    words = surface.split()
    features = [f"words={min(len(words), 4)}"]
    features.append(f"shape={_char_shape(surface)}")
    features.append(f"wshape0={word_shape(words[0])}")
    features.append(f"wshapeN={word_shape(words[-1])}")
    last = words[-1].lower()
    features.append(f"suffix3={last[-3:]}")
    pieces = [p.lower() for p in _PIECES.findall(surface)]
    for p in pieces:
        if not p.isdigit():
            features.append(f"piece={p}")
    if pieces:
        features.append(f"last_piece={'#' if pieces[-1].isdigit() else pieces[-1]}")
        features.append(f"first_piece={pieces[0]}")
    if surface.islower():
        features.append(f"head={last}")
    if (t := head_type(surface)) is not None and len(words) > 1:
        features.append(f"head_type={t}")
    if SIZE_SUFFIX.search(surface):
        features.append("size_suffix")
    if DATASET_SUFFIX.search(surface):
        features.append("dataset_suffix")
    if any(c.isdigit() for c in surface):
        features.append("digit")
    if "-" in surface:
        features.append("hyphen")
    if surface.isupper():
        features.append("all_caps")
    if len(surface) <= 3:
        features.append("short")
    return tuple(features)


@functools.lru_cache(maxsize=1 << 16)
def _char_shape(surface: str) -> str:
    out = []
    for c in surface:
        k = "X" if c.isupper() else "x" if c.islower() else "d" if c.isdigit() else c
        if not out or out[-1] != k:
            out.append(k)
    return "".join(out)[:8]


@functools.lru_cache(maxsize=1 << 16)
def _word(w: str | None) -> str:
    return "" if w is None else _DIGITS.sub("0", w.lower())


def context_features(findings: Findings, span: _Span) -> list[str]:
    """Features of one occurrence: the words around it, a cue noun or appositive after it."""
    text = findings.text
    start, end = span.start, span.end
    features = []
    left = list(_CONTEXT_WORD.finditer(text, max(0, start - 40), start))
    l1 = left[-1].group() if left else None
    l2 = left[-2].group() if len(left) > 1 else None
    if l1 is not None and l1.endswith(".") and l1.count(".") == 1:
        left = []  # the name starts a sentence: the words before it are another sentence's
        l1, l2 = "<s>", None
    features.append(f"l1={_word(l1)}")
    features.append(f"l2={_word(l2)}_{_word(l1)}")
    right = _CONTEXT_WORD.findall(text, end, min(len(text), end + 60))
    r1, r2, r3 = [*right, None, None, None][:3]
    features.append(f"r1={_word(r1)}")
    features.append(f"r2={_word(r1)}_{_word(r2)}")
    for w in (r1, r2, r3):
        if w is not None and (t := head_type(w)):
            features.append(f"rhead={t}")
            break
    if text.startswith(",", end) or text.startswith(" (", end):
        appos = _APPOSITIVE.match(text, end, min(len(text), end + 120))
        if appos:
            features.append(f"appos={head_type(_NP_CUT.split(appos[1])[0])}")
    is_a = (
        _IS_A.match(text, end, min(len(text), end + 120))
        if text.startswith((" is ", " are ", " was ", " as "), end)
        else None
    )
    if is_a:
        features.append(f"is_a={head_type(_NP_CUT.split(is_a[1])[0])}")
    if left:
        last = left[-1]
        if text[last.end() : start].strip(" (,:\"'“‘") == "":
            head = l1
            if l1 and l1.lower() in _NAMING_WORDS and l2 is not None:
                head = l2
            if head and (t := head_type(head)):
                features.append(f"lhead={t}")
            cue = None
            if l2 is not None and f"{l2} {l1}".lower() in _BIGRAM_CUES:
                cue = f"{l2} {l1}".lower()
            elif l1 and (w := l1.lower()) in _UNIGRAM_CUES:
                cue = w
            elif l1 and l1.lower().startswith(("outperform", "surpass")):
                cue = l1.lower()
            if cue:
                features.append(f"lcue={cue}")
    before = text[start - 1] if start else ""
    if before == "(":
        features.append("in_paren")
    if text.startswith(" (", end):
        features.append("before_paren")
    if start == 0 and text.startswith(":", end):
        features.append("title_prefix")
        # What the title says its name is ("EDiffSR: An Efficient Diffusion Probabilistic Model
        # for ..."); the window of words after the name sees "Diffusion" first.
        features.append(f"title_head={title_description_type(findings.title[end + 1 :].strip())}")
    if start < len(findings.title):
        features.append("in_title")
    return features


def name_features(
    findings: Findings, group: NameGroup, compounds: CompoundMatcher | None = None
) -> list[str]:
    """Every feature of one name in one paper (deduplicated, in a stable order).

    Args:
        findings: The paper's findings.
        group: The name group.
        compounds: Finds known model names inside new ones ("BERTu", "urT5").
    """
    spans = findings.spans
    text = findings.text
    features: list[str] = ["bias"]
    surfaces = []
    members = [i for i in group.spans if spans[i].rule != "elided"] or group.spans
    for i in members:
        s = spans[i]
        surface = text[s.start : s.end]
        if surface not in surfaces:
            surfaces.append(surface)
        features.append(f"rule={s.rule}")
        features.append(f"rule_type={s.rule}:{s.type}")
        if s.note:
            features.append(f"note={s.note}")
        if s.proposed:
            features.append(f"rule_proposed={s.rule}")
        if s.kept:
            features.append(f"kept_type={s.type}")
        if s.concept or s.family:
            features.append(f"vocab={s.type}")
    for surface in surfaces[:3]:
        features.extend(surface_features(surface))
        if compounds is not None and compounds.find(surface) is not None:
            features.append("compound_model")
    for i in members[:_MAX_CONTEXTS]:
        features.extend(context_features(findings, spans[i]))
    title_length = len(findings.title)
    in_title = any(spans[i].start < title_length for i in group.spans)
    in_abstract = any(spans[i].start >= title_length for i in group.spans)
    count = len(group.spans)
    features.append(f"count={min(count, 4)}")
    features.append(
        f"where={'both' if in_title and in_abstract else 'title' if in_title else 'abstract'}"
    )
    features.append(f"ml_names={min(findings.ml_names, 4)}")
    if not findings.ml_text:
        features.append("not_ml_text")
    if len(group.keys) > 1:
        features.append("acronym_pair")
    proposals = proposal_matches(text)
    if proposals:
        starts = findings.sentence_starts
        for i in group.spans[:_MAX_CONTEXTS]:
            s = spans[i]
            k = max(bisect_right(starts, s.start) - 1, 0)
            sentence_start = starts[k] if starts else 0
            for p_start, p_end in proposals:
                if sentence_start <= p_start and p_end <= s.start:
                    features.append("after_proposal_verb")
                    if s.start - p_end < 40:
                        features.append("near_proposal_verb")
                    break
    # The same evidence means different things for names found by different rules (an
    # appositive after a vocabulary name, after a scanned word): pair it with the strongest rule.
    rules = {spans[i].rule for i in group.spans}
    top = next((r for r in _RULE_ORDER if r in rules), "other")
    features = list(dict.fromkeys(features))
    features += [f"{top}|{f}" for f in features if f[:4] in _CONJOINED]
    return features


#: Rules from the most to the least telling (for the conjoined features).
_RULE_ORDER = (
    "vocab",
    "variant",
    "compound",
    "long-name",
    "title-prefix",
    "proposal",
    "naming",
    "appositive",
    "acronym",
    "list",
    "shape",
    "cue-noun",
    "elided",
    "scan",
)
#: Features conjoined with the strongest rule, by their first four characters.
_CONJOINED = frozenset(
    p[:4]
    for p in (
        "wshape",
        "rhead",
        "appos",
        "lhead",
        "is_a",
        "lcue",
        "count",
        "where",
        "in_paren",
        "before_paren",
        "note",
        "compound",
        "after_prop",
        "near_prop",
        "ml_names",
        "digit",
        "all_caps",
        "short",
    )
)


# --- the decision -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """What the classifier decided for one name group."""

    type: str | None
    proposed: bool
    confidence: float


def decide(
    classifier: Classifier,
    findings: Findings,
    group: NameGroup,
    compounds: CompoundMatcher | None = None,
) -> Decision:
    """Type one name group and decide whether the paper proposes it."""
    spans = [findings.spans[i] for i in group.spans]
    vocab_types = {s.type for s in spans if (s.concept or s.family) and s.type}
    if vocab_types == {"Model"} and any(s.kept and s.concept and not s.note for s in spans):
        # A model the vocabulary knows for sure is what the annotated papers keep (189 of 196
        # such names): nothing to weigh; whether the paper proposes it is the rules' call.
        return Decision("Model", any(s.proposed for s in spans), 0.95)
    features = name_features(findings, group, compounds)
    probabilities = classifier.types.probabilities(features)
    by_label = dict(zip(classifier.types.labels, probabilities, strict=True))
    title_length = len(findings.title)
    described = [s for s in spans if s.rule == "appositive" and s.proposed and s.type]
    if described and not vocab_types:
        # "Retrivo, a new QA-pair retriever": the paper says what its new name is.
        return Decision(described[0].type, True, 0.9)
    defined = any(findings.spans[i].rule == "acronym" for i in group.spans)
    if len(vocab_types) == 1 and any(
        (s.kept and s.concept and s.note != "conditional" and (s.start < title_length or defined))
        or s.note == "edition"
        for s in spans
    ):
        # An established name in the title, one the paper defines an acronym for, or a part of
        # an edition ("WMT15 English-German"): the paper is about it, or uses it.
        (known,) = vocab_types
        decision = Decision(known, False, 0.95)
        probabilities = classifier.proposed.probabilities([*features, f"type={known}"])
        return replace(decision, proposed=probabilities[0] >= classifier.proposed_threshold)
    if len(vocab_types) == 1:
        # A vocabulary concept fixes the type; the model only decides whether it is meant here.
        (known,) = vocab_types
        p_known = by_label.get(known, 0.0)
        total = p_known + by_label["none"]
        label, confidence = (known, p_known / total) if p_known >= by_label["none"] else (None, 0)
    else:
        best = max(by_label, key=by_label.__getitem__)
        label, confidence = (None if best == "none" else best), by_label[best]
    if label is None or (label in ("Model", "Dataset") and not findings.ml_context):
        # A name typed Model or Dataset in a text that does not speak of machine learning
        # ("the SOAP toolkit" in cryptography, "the PowerLaw+Peak model" in astrophysics, the
        # SPARC rotation curves) is something else.
        return Decision(None, False, 0.0)
    p_proposed = classifier.proposed.probabilities([*features, f"type={label}"])[0]
    return Decision(label, p_proposed >= classifier.proposed_threshold, confidence)


def _announced_by_title(findings: Findings, span: _Span) -> bool:
    """Whether ``span`` is a title's "X:" prefix."""
    return span.start == 0 and findings.text.startswith(":", span.end)


def _variants_of_proposed(text: str, spans: list[_Span]) -> list[_Span]:
    """Sizes and variants of a proposed name are proposed too ("MiniCPM" -> "MiniCPM-MoE")."""
    proposed = {text[s.start : s.end] for s in spans if s.proposed and s.type != "Language"}
    if not proposed:
        return spans
    out = []
    for s in spans:
        surface = text[s.start : s.end]
        if (
            not s.proposed
            and s.type != "Language"
            and any(
                surface.startswith(p) and len(surface) > len(p) and surface[len(p)] in " -_"
                for p in proposed
            )
        ):
            s = replace(s, proposed=True)
        out.append(s)
    return out


def classify(
    findings: Findings, classifier: Classifier, compounds: CompoundMatcher | None = None
) -> Extraction:
    """The learned decision over one paper's findings.

    Args:
        findings: What the rules found (:func:`graph.extract.entities.find_all`).
        classifier: The trained models.
        compounds: Finds known model names inside new ones (a feature).

    Returns:
        The paper's mentions and the acronym definitions joining the names kept.
    """
    spans = findings.spans
    decided: list[_Span] = []
    confidence: dict[str, float] = {}
    aliases: list[AliasPair] = []
    kept_groups: set[int] = set()
    groups = name_groups(findings)
    for n, group in enumerate(groups):
        members = [spans[i] for i in group.spans]
        if any(s.type == "Language" for s in members):
            # Languages stay with the rules.
            decided += [s for s in members if s.kept and s.type == "Language"]
            continue
        decision = decide(classifier, findings, group, compounds)
        if decision.type is None:
            continue
        if not decision.proposed and any(_announced_by_title(findings, s) for s in members):
            # "ELECTRA: Pre-training Text Encoders ...": the name a title announces is new.
            decision = replace(decision, proposed=True)
        kept_groups.add(n)
        for s in members:
            decided.append(replace(s, type=decision.type, proposed=decision.proposed))
        for key in group.keys:
            confidence[key] = decision.confidence
    text = findings.text
    decided = _variants_of_proposed(text, decided)
    in_kept = {i for n, g in enumerate(groups) if n in kept_groups for i in g.spans}
    for long, short in findings.pairs:
        if long in in_kept and short in in_kept:
            aliases.append(
                AliasPair(
                    text[spans[short].start : spans[short].end],
                    text[spans[long].start : spans[long].end],
                )
            )
    mentions = to_mentions(findings, decided, confidence)
    return Extraction(tuple(mentions), _sorted_aliases(aliases))


@Language.factory(
    "kg_classifier",
    assigns=["doc._.kg_extraction"],
    default_config={"model": None},
)
def make_classifier_component(nlp: Language, name: str, model: str | None) -> ClassifierComponent:
    """Create the learned decision component (``model``: a weights file; default: shipped)."""
    return ClassifierComponent(model)


class ClassifierComponent:
    """Replaces the rules' decision on ``doc._.kg_extraction`` with the learned one."""

    def __init__(self, model: str | None = None) -> None:
        self.model_path = model
        self.classifier: Classifier | None = None
        self.compounds: CompoundMatcher | None = None

    def initialize(
        self,
        get_examples=None,
        *,
        nlp: Language | None = None,
        classifier: Classifier | None = None,
        vocabulary: Vocabulary | None = None,
    ) -> None:
        """Load the weights (default: the shipped ``graph/extract/models/classifier.json``)
        and the model names (default: the shipped vocabulary)."""
        from graph.ontology import load_vocabulary

        self.compounds = CompoundMatcher(vocabulary or load_vocabulary())
        if classifier is not None:
            self.classifier = classifier
        elif self.model_path:
            self.classifier = Classifier.load(self.model_path)
        else:
            self.classifier = default_classifier()

    def __call__(self, doc: Doc) -> Doc:
        if self.classifier is None:
            self.initialize()
        findings = doc._.kg_findings
        if findings is not None:
            extraction = classify(findings, self.classifier, self.compounds)
            set_extraction(doc, extraction, len(findings.title))
        return doc


def rules_only(findings: Findings) -> Extraction:
    """The hand rules' decision (for comparison with the learned one)."""
    return rule_extraction(findings)


__all__: Sequence[str] = [
    "LABELS",
    "Classifier",
    "ClassifierComponent",
    "LinearModel",
    "NameGroup",
    "classify",
    "decide",
    "name_features",
    "name_groups",
]
