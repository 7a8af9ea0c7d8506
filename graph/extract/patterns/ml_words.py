"""The words that tell a text about machine learning from a text of another science."""

from __future__ import annotations

import re

import re2

from graph.extract.patterns.gates import _for_re2, ascii_bytes

_ML_WORDS = (
    r"\b(?:neural|deep learning|machine learning|(?:pre-?)?train(?:ed|ing)|fine-?tun\w*|"
    r"datasets?|benchmarks?|classifiers?|supervised|embeddings?|transformers?|language models?|"
    r"reinforcement|gradient|state-of-the-art|LLMs?|GPUs?)\b"
)
#: Words only machine-learning texts use: an acronym defined elsewhere ("Structural Functional
#: Model (SFM)" in philosophy) names no ML artefact.
ML_WORDS = re.compile(_ML_WORDS, re.IGNORECASE)
_ML_WORDS_RE2 = re2.compile(_for_re2(_ML_WORDS, ignorecase=True).encode("ascii"))


def has_ml_words(text: str) -> bool:
    """Whether :data:`ML_WORDS` matches ``text`` (RE2 over :func:`ascii_bytes`: one linear pass).

    >>> has_ml_words("A fine-tuned classifier."), has_ml_words("Teacher pay in Zürich.")
    (True, False)
    """
    return _ML_WORDS_RE2.search(ascii_bytes(text)) is not None


#: Phrases only a text about machine learning, NLP or vision uses. ``ML_WORDS`` is the weaker
#: cue: "neural activity", "a temperature gradient", "teacher training", "transformer oil",
#: "a dataset of 600 llamas" and "benchmark calculations" are every science's words, so they
#: make no text about machine learning. A name typed Model or Dataset needs this stronger
#: cue, or a distinctive known model, or two known models or datasets. "neural network
#: simulations" and "neural network dynamics" are the brain's (:data:`BRAIN_NETWORKS`).
_ML_CONTEXT_TERMS = (
    r"machine[- ]learn\w*",
    r"deep[- ]learn\w*",
    r"artificial intelligence",
    r"neural[- ](?:networks?|nets?|models?|architectures?|language|machine|encoders?|decoders?|"
    r"parsers?|rankers?|retrievers?|approach(?:es)?)",
    r"(?:large |masked |small )?language[- ]models?",
    r"(?:M?LL|VL|SL|PL)Ms?",
    r"foundation models?",
    r"generative (?:models?|adversarial|pre-?train\w*)",
    r"diffusion models?",
    r"fine-?tun\w*",
    r"pre-?train(?:ed|ing)?",
    r"post-?training",
    r"instruction[- ]tun\w*",
    r"(?:self-|semi-|weakly[- ])supervised",
    r"supervised (?:learning|training|models?)",
    r"(?:reinforcement|representation|transfer|meta|few-shot|zero-shot|in-context|contrastive|"
    r"multi-task|federated|active|continual|curriculum|imitation|metric)[- ]learning",
    r"few-shot",
    r"zero-shot",
    r"GPUs?",
    r"TPUs?",
    r"hyper-?parameters?",
    r"backpropagation",
    r"actor-critic",
    r"policy gradients?",
    r"Q-learning",
    r"(?:word|sentence|token|node|graph|text|image|contextual(?:ized)?) embeddings?",
    r"embedding (?:models?|spaces?|vectors?)",
    r"auto-?encoders?",
    r"encoder-decoder",
    r"convolutional",
    r"recurrent (?:neural|networks?|models?)",
    r"LSTMs?",
    r"CNNs?",
    r"RNNs?",
    r"GANs?",
    r"transformer[- ](?:based|models?|architectures?|encoders?|decoders?|layers?)",
    r"(?:self-|cross-)?attention (?:mechanisms?|heads?|layers?|maps?)",
    r"self-attention",
    r"trained (?:models?|networks?)",
    r"(?:training|held-out|development) (?:splits?|examples|instances|samples|corpus|corpora|"
    r"objectives?|loss)",
    r"corpora",
    r"(?:text|speech|annotated|parallel|training|web) corpus",
    r"(?:labell?ed|annotated) (?:data|texts?|examples|images|sentences)",
    r"NLP",
    r"natural language",
    r"computer vision",
    r"machine translation",
    r"question answering",
    r"summari[sz]ation",
    r"sentiment (?:analysis|classification)",
    r"named entit(?:y|ies)",
    r"information (?:extraction|retrieval)",
    r"speech (?:recognition|synthesis|translation)",
    r"(?:text|image|video|audio|node|graph)[- ](?:classification|generation|retrieval|to-\w+)",
    r"object detection",
    r"(?:semantic|instance|panoptic|image) segmentation",
    r"pose estimation",
    r"recommend(?:er|ation) systems?",
    r"knowledge graphs?",
    r"chatbots?",
    r"treebanks?",
    r"part-of-speech",
    r"tokeni[sz]\w*",
    r"word senses?",
    r"downstream tasks?",
    r"end-to-end (?:models?|training|learning|systems?|trainable)",
    r"shared tasks?",
    r"semantic (?:role|parsing|similarity|textual)",
    r"coreference",
    r"entailment",
    r"word (?:similarity|embeddings?|vectors?|sense)",
    r"entity (?:linking|recognition)",
    r"(?:sentence|text|lexical) simplification",
    r"lexical (?:semantics|substitution)",
    r"(?:image |video )?captioning",
    r"dialog(?:ue)? (?:systems?|agents?|models?|tasks?)",
    r"conditional random fields?",
    r"CRFs?",
    r"naive bayes",
    r"support vector",
    r"SVMs?",
    r"feature (?:maps?|engineering)",
    r"(?:action|activity) recognition",
    r"QA (?:systems?|models?|tasks?|datasets?)",
    r"test collections?",
    r"relevance judge?ments?",
    r"cross-lingual",
    r"learned (?:representations?|features|embeddings?)",
    r"neural (?:rendering|scenes?|radiance)",
)
#: Words machine learning uses most, and other sciences too ("a training set of injections",
#: "boosted decision trees trained on simulated events", "a classifier based on dispersion
#: measure"): two different ones make a text about machine learning, one does not.
_ML_CONTEXT_WEAK_TERMS = (
    r"trained (?:on|with|using|to)",
    r"(?:training|test|validation) (?:data|sets?)",
    r"classifiers?",
    r"unsupervised",
    r"AI",
    r"prompting",
    r"parsers?",
    r"parsing",
    r"feature extraction",
    r"pattern recognition",
    r"learning-?based",
    r"benchmarks?",
    r"datasets?",
    r"state-of-the-art",
    r"baselines?",
    r"outperform\w*",
    r"accuracy",
)
#: Both, compiled for RE2: one linear pass over the text instead of Python's engine trying
#: every alternative at every position.
ML_CONTEXT = re2.compile(_for_re2(rf"\b(?:{'|'.join(_ML_CONTEXT_TERMS)})\b", ignorecase=True))
#: What follows "neural network" in neuroscience, not in machine learning.
BRAIN_NETWORKS = re.compile(r" (?:simulations?|dynamics)\b")
ML_CONTEXT_WEAK = re2.compile(
    _for_re2(rf"\b(?:{'|'.join(_ML_CONTEXT_WEAK_TERMS)})\b", ignorecase=True)
)
