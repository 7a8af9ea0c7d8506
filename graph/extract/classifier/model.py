"""The trained models: linear models over string features, loaded from shipped JSON weights."""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.errors import OntologyError

#: The classes of the type model, "none" first.
LABELS: tuple[str, ...] = ("none", "Model", "Dataset", "Method")
#: The shipped weights.
DEFAULT_MODEL = Path(__file__).parent.with_name("models") / "classifier.json"


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
            return _softmax([s0, s1, s2, s3])
        scores = list(self.bias)
        for f in features:
            w = get(f)
            if w is not None:
                for i, v in enumerate(w):
                    scores[i] += v
        return _softmax(scores)

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

    @functools.cached_property
    def _joint(self) -> dict[str, tuple[float, ...]]:
        """Each feature's weights in both models: the type model's, then the proposal model's
        (0.0 where a model lacks the feature, which adds nothing to a score)."""
        types, proposed = self.types.weights, self.proposed.weights
        no_type = (0.0,) * len(self.types.bias)
        return {
            f: (*types.get(f, no_type), proposed[f][0] if f in proposed else 0.0)
            for f in sorted(types.keys() | proposed.keys())
        }

    def scores(self, features: Sequence[str]) -> tuple[list[float], float]:
        """Both models over ``features`` in one pass.

        Returns:
            The type model's probability per label, and the proposal model's score before the
            type feature is added (see :meth:`proposed_probability`). The same figures, to the
            bit, as :meth:`LinearModel.probabilities` of each model: the weights are added in
            the same order.
        """
        if len(self.types.bias) != 4 or len(self.proposed.bias) != 1:
            p = self.proposed.bias[0]
            for f in features:
                if (w := self.proposed.weights.get(f)) is not None:
                    p += w[0]
            return self.types.probabilities(features), p
        get = self._joint.get
        s0, s1, s2, s3 = self.types.bias
        p = self.proposed.bias[0]
        for f in features:
            w = get(f)
            if w is not None:
                a, b, c, d, e = w
                s0 += a
                s1 += b
                s2 += c
                s3 += d
                p += e
        return _softmax([s0, s1, s2, s3]), p

    def proposed_probability(self, score: float, label: str) -> float:
        """The proposal model's probability from :meth:`scores`' score, for a name typed
        ``label`` (its ``type=`` feature added last, as the model was trained)."""
        w = self.proposed.weights.get(f"type={label}")
        if w is not None:
            score += w[0]
        return 1.0 / (1.0 + math.exp(-score))

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


def _softmax(scores: list[float]) -> list[float]:
    top = max(scores)
    exps = [math.exp(v - top) for v in scores]
    total = sum(exps)
    return [e / total for e in exps]


@functools.lru_cache(maxsize=1)
def default_classifier() -> Classifier:
    """The shipped classifier, loaded once."""
    return Classifier.load(DEFAULT_MODEL)
