"""Head nouns: the type a noun phrase's head word implies (:func:`head_type`), and the heads
that name a task, field, organisation, venue or metric instead of an entity.
"""

from __future__ import annotations

import functools

from graph.extract.patterns.names import _QUOTES

#: Head words of a noun phrase -> the entity type they make its name.
MODEL_HEADS = frozenset(
    [
        "model",
        "models",
        "llm",
        "llms",
        "lm",
        "lms",
        "network",
        "networks",
        "net",
        "transformer",
        "transformers",
        "encoder",
        "encoders",
        "decoder",
        "decoders",
        "autoencoder",
        "classifier",
        "classifiers",
        "detector",
        "chatbot",
        "assistant",
        "agent",
        "retriever",
        "retrievers",
        "reranker",
        "rerankers",
        "tagger",
        "parser",
        "recognizer",
        "embedder",
        "captioner",
        "tokenizer",
        "checkpoint",
        "checkpoints",
        "vlm",
        "vlms",
        "mllm",
        "mllms",
        "llvm",
        "llvms",
        "foundation",
    ]
)
DATASET_HEADS = frozenset(
    [
        "dataset",
        "datasets",
        "benchmark",
        "benchmarks",
        "corpus",
        "corpora",
        "suite",
        "leaderboard",
        "challenge",
        "collection",
        "treebank",
        "testbed",
        "databank",
        "database",
        "data-set",
    ]
)
METHOD_HEADS = frozenset(
    [
        "method",
        "methods",
        "algorithm",
        "algorithms",
        "framework",
        "frameworks",
        "technique",
        "techniques",
        "approach",
        "approaches",
        "optimizer",
        "optimiser",
        "strategy",
        "scheme",
        "procedure",
        "paradigm",
        "architecture",
        "architectures",
        "mechanism",
        "pipeline",
        "objective",
        "loss",
        "regularizer",
        "regularization",
        "training",
        "tuning",
        "fine-tuning",
        "finetuning",
        "learning",
        "adaptation",
        "distillation",
        "pruning",
        "quantization",
        "optimization",
        "attention",
        "search",
        "sampling",
        "decoding",
        "prompting",
        "inference",
        "initialization",
        "normalization",
        "embedding",
        "embeddings",
        "estimation",
        "transfer",
        "projection",
        "merging",
        "trimming",
        "augmentation",
        "reparameterization",
        "unlearning",
        "compression",
        "sparsification",
        "alignment",
        "minimization",
        "maximization",
        "descent",
        "propagation",
        "backpropagation",
        "boosting",
        "factorization",
        "decomposition",
        "dropout",
        "tokenization",
        "matching",
        "gating",
        "routing",
        "caching",
        "distribution",
        "sharding",
        "parallelism",
        "checkpointing",
        "scaling",
        "guidance",
        "diffusion",
        "prompt",
    ]
)
#: Heads naming a task or a field, not an entity ("Natural Language Processing (NLP)").
TASK_HEADS = frozenset(
    [
        "processing",
        "recognition",
        "translation",
        "detection",
        "generation",
        "retrieval",
        "understanding",
        "answering",
        "classification",
        "segmentation",
        "summarization",
        "forecasting",
        "prediction",
        "analysis",
        "synthesis",
        "reasoning",
        "captioning",
        "localization",
        "tracking",
        "parsing",
        "tagging",
        "extraction",
        "modeling",
        "modelling",
        "intelligence",
        "vision",
        "science",
        "engineering",
        "research",
        "field",
        "task",
        "tasks",
        "problem",
        "problems",
        "evaluation",
        "assessment",
        "systems",
        "system",
        "devices",
        "device",
        "hardware",
        "languages",
        "language",
        "qa",
        "games",
        "game",
        "library",
        "toolkit",
        "platform",
        "conference",
        "workshop",
        "meeting",
        "symposium",
        "journal",
        "proceedings",
        "association",
        "society",
        "bank",
        "institute",
        "university",
        "agency",
        "organization",
        "organisation",
        "foundation",
        "council",
        "committee",
        "ministry",
        "department",
        "center",
        "centre",
        "laboratory",
        "company",
        "corporation",
        "union",
        "commission",
        "office",
        "service",
        "services",
        "metric",
        "score",
        "rate",
        "error",
        "accuracy",
    ]
)


@functools.lru_cache(maxsize=1 << 16)
def head_type(phrase: str) -> str | None:
    """Return the type a noun phrase's head word implies, or None (also for tasks/fields).

    >>> head_type("A Protein Large Language Model"), head_type("a Multi-Granularity Dataset")
    ('Model', 'Dataset')
    """
    words = [w.strip(_QUOTES + ",.;:()").lower() for w in phrase.split()]
    words = [w for w in words if w]
    if not words:
        return None
    head = words[-1]
    last_part = head.rsplit("-", 1)[-1]
    for word in (head, last_part):
        if word in TASK_HEADS:
            return None
        if word in DATASET_HEADS:
            return "Dataset"
        if word in MODEL_HEADS:
            return "Model"
        if word in METHOD_HEADS:
            return "Method"
    return None


def names_no_entity(phrase: str) -> bool:
    """Whether a noun phrase's head names a task, field, organisation, venue or metric.

    >>> names_no_entity("closed-book QA"), names_no_entity("European Central Bank")
    (True, True)
    """
    words = [w.strip(_QUOTES + ",.;:()").lower() for w in phrase.split()]
    words = [w for w in words if w]
    if not words:
        return False
    head = words[-1]
    return head in TASK_HEADS or head.rsplit("-", 1)[-1] in TASK_HEADS


_NP_STOP = frozenset(["for", "of", "that", "which", "with", "to", "in", "on", "from", "by", "and"])


def first_head_type(phrase: str) -> str | None:
    """The type of the first head noun of a phrase, before any preposition.

    >>> first_head_type("new QA-pair retriever trained with contrastive learning")
    'Model'
    """
    for word in phrase.split():
        word = word.strip(_QUOTES + ",.;:").lower()
        if word in _NP_STOP:
            return None
        if word in TASK_HEADS:
            continue
        if t := head_type(word):
            return t
    return None
