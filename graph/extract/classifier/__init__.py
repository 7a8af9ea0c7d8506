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

The modules: :mod:`.model` (the linear models and their weights), :mod:`.groups` (names
grouped), :mod:`.features` (:func:`name_features`), :mod:`.decision` (:func:`classify`),
:mod:`.component` (the spaCy component, registered on import). Every name is importable from
here.
"""

from __future__ import annotations

from collections.abc import Sequence

from graph.extract.classifier.component import ClassifierComponent
from graph.extract.classifier.component import (
    make_classifier_component as make_classifier_component,
)
from graph.extract.classifier.decision import Decision as Decision
from graph.extract.classifier.decision import classify, decide
from graph.extract.classifier.decision import rules_only as rules_only
from graph.extract.classifier.features import context_features as context_features
from graph.extract.classifier.features import name_features
from graph.extract.classifier.features import surface_features as surface_features
from graph.extract.classifier.groups import NameGroup, name_groups
from graph.extract.classifier.model import DEFAULT_MODEL as DEFAULT_MODEL
from graph.extract.classifier.model import LABELS, Classifier, LinearModel
from graph.extract.classifier.model import default_classifier as default_classifier

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
