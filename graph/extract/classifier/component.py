"""The spaCy component ``kg_classifier``."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from graph.extract.classifier.decision import classify
from graph.extract.classifier.model import Classifier, default_classifier
from graph.extract.entities import set_extraction
from graph.extract.vocab import CompoundMatcher
from graph.ontology import Vocabulary


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
