"""The learned decision's linear models: one pass over a name's features gives, to the bit,
what each model gives on its own (so the pass changes no decision)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.extract.classifier.model import Classifier, LinearModel, default_classifier

SHIPPED = default_classifier()
KNOWN = sorted(SHIPPED.types.weights.keys() | SHIPPED.proposed.weights.keys())


def separate(classifier: Classifier, features: list[str], label: str) -> tuple[list[float], float]:
    types = classifier.types.probabilities(features)
    return types, classifier.proposed.probabilities([*features, f"type={label}"])[0]


def joint(classifier: Classifier, features: list[str], label: str) -> tuple[list[float], float]:
    types, score = classifier.scores(features)
    return types, classifier.proposed_probability(score, label)


@settings(max_examples=300, deadline=None)
@given(
    features=st.lists(st.sampled_from(KNOWN) | st.text(max_size=8), max_size=80, unique=True),
    label=st.sampled_from(["Model", "Dataset", "Method", "Language"]),
)
def test_one_pass_equals_each_model_on_its_own(features, label):
    assert joint(SHIPPED, features, label) == separate(SHIPPED, features, label)


def test_a_model_of_other_shapes_still_scores_alike():
    three = LinearModel(("none", "A", "B"), (0.1, -0.2, 0.3), {"x": (1.0, 2.0, -1.0)})
    proposed = LinearModel(("proposed",), (-0.5,), {"x": (0.25,), "type=A": (2.0,)})
    classifier = Classifier(three, proposed)
    for features in ([], ["x"], ["x", "y"]):
        assert joint(classifier, features, "A") == separate(classifier, features, "A")
