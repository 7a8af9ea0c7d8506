"""The learned decision over one paper's findings: each name group's type and whether the
paper proposes it (:func:`classify`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from graph.extract.classifier.features import name_features
from graph.extract.classifier.groups import NameGroup, name_groups
from graph.extract.classifier.model import Classifier
from graph.extract.entities import Findings, _sorted_aliases, _Span, rule_extraction, to_mentions
from graph.extract.vocab import CompoundMatcher
from graph.records import AliasPair, Extraction


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
    probabilities, proposal_score = classifier.scores(features)
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
        p_proposed = classifier.proposed_probability(proposal_score, known)
        return replace(decision, proposed=p_proposed >= classifier.proposed_threshold)
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
    p_proposed = classifier.proposed_probability(proposal_score, label)
    return Decision(label, p_proposed >= classifier.proposed_threshold, confidence)


def _announced_by_title(findings: Findings, span: _Span) -> bool:
    """Whether ``span`` is a title's "X:" prefix."""
    return span.start == 0 and findings.text.startswith(":", span.end)


#: "we propose" or "this paper introduces" right before a name: the paper's own thing.
_PROPOSED_BY = re.compile(
    r"\b(?:we|paper|work|study|article)\s+(?:also\s+|further\s+|then\s+|first\s+)?"
    r"(?:propose|proposes|introduce|introduces|present|presents|release|releases|construct|"
    r"design|develop|build|call)\s+$",
    re.IGNORECASE,
)
#: ... and the whole object: followed by a stop, a bracket or a clause ("We introduce Foo, a
#: ...", "we propose Foo (...)", "we present Foo that ..."), not by more words of a longer
#: object ("we introduce dynamic programming techniques", "we propose X with a novel Y (Z)").
_OBJECT_END = re.compile(r"\s*(?:[,.;:(]|$|[-–—]\s|\s(?:that|which|for|as)\b)")


def object_of_proposal(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is the whole direct object of "we propose" ("We introduce
    Foo, a ..."): in the annotated papers every name kept there is the paper's own (97 of 97).

    >>> text = "We introduce Foo, a model. We introduce dynamic programming techniques."
    >>> object_of_proposal(text, 13, 16), object_of_proposal(text, 40, 59)
    (True, False)
    """
    return bool(_PROPOSED_BY.search(text, max(0, start - 40), start)) and bool(
        _OBJECT_END.match(text, end)
    )


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
        if not decision.proposed and any(
            _announced_by_title(findings, s) or object_of_proposal(findings.text, s.start, s.end)
            for s in members
        ):
            # "ELECTRA: Pre-training Text Encoders ...", "We propose AdaFoo, ...": new names.
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


def rules_only(findings: Findings) -> Extraction:
    """The hand rules' decision (for comparison with the learned one)."""
    return rule_extraction(findings)
