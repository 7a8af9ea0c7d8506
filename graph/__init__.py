"""paper-kg: a knowledge graph of the models, methods, datasets and languages ML papers name."""

__version__ = "0.1.0"
