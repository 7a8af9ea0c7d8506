"""Rules that find names never seen before, and decide their type.

Everything here is a plain function over strings, so each rule is tested on its own:

- :func:`title_prefix` — a title's "X: ..." prefix names the paper's own artefact;
- :func:`proposals` — "we propose/introduce/present X", "dubbed/called/termed X";
- :func:`cue_noun_names` — "X dataset", "X benchmark", "X model", "X algorithm" ...;
- :func:`morphology_type` — names whose shape tells their type ("GEB-1.3B", "MMLU-Bench");
- :func:`head_type` — the type a noun phrase's head word implies ("... Large Language Model").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import re2

from graph.extract.abbreviations import best_long_form

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
#: Words that are never a name on their own, however capitalised.
COMMON_CAPITALISED = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "we",
        "our",
        "in",
        "on",
        "of",
        "for",
        "to",
        "with",
        "by",
        "from",
        "and",
        "or",
        "but",
        "as",
        "at",
        "via",
        "towards",
        "toward",
        "beyond",
        "is",
        "are",
        "be",
        "can",
        "do",
        "does",
        "how",
        "what",
        "when",
        "why",
        "which",
        "who",
        "new",
        "novel",
        "efficient",
        "scalable",
        "simple",
        "large",
        "small",
        "deep",
        "neural",
        "generative",
        "open",
        "fast",
        "accurate",
        "robust",
        "multi-task",
        "multilingual",
        "improving",
        "learning",
        "training",
        "rethinking",
        "revisiting",
        "understanding",
        "exploring",
        "scaling",
        "making",
        "enhancing",
        "boosting",
        "survey",
        "position",
        "paper",
    ]
)
_VERBS = (
    r"propose|proposes|proposed|introduce|introduces|introduced|present|presents|presented|"
    r"develop|develops|developed|design|designs|designed|release|releases|released|build|builds|"
    r"construct|constructs|constructed|curate|curates|curated|create|creates|created|contribute|"
    r"contributes|offer|offers|describe|describes|unveil|unveils|open-source|open-sources"
)
_SUBJECTS = (
    r"we|this (?:paper|work|study|article|report)|the (?:present|current) (?:paper|work)|"
    r"here we|our (?:paper|work)|the authors"
)
_AUXILIARIES = r"(?:have|has|also|further|then|thus|therefore|first|additionally|\w+ly)"
#: Python's ``\s`` on ASCII text, for RE2 (whose ``\s`` lacks \v and \x1c-\x1f).
_S = r"[\t\n\v\f\r \x1c-\x1f]"


def _for_re2(expression: str, *, ignorecase: bool = False) -> str:
    """An expression of Python's ``re`` written for RE2, to match ASCII text exactly alike.

    The expression must have no lookarounds and use ``\\s`` only outside character classes;
    on ASCII text ``\\b``, ``\\w`` and ``\\d`` mean the same in both engines.
    """
    return ("(?i)" if ignorecase else "") + expression.replace(r"\s", _S)


def _fold_char(ch: str) -> str:
    """The ASCII character that stands for a non-ASCII one in :func:`ascii_fold`."""
    # A letter Python's case-insensitive matching equates with an ASCII one (the Kelvin sign
    # with k, the long s with s) is that letter; otherwise the first class that holds it.
    partner = next(
        (a for a in "abcdefghijklmnopqrstuvwxyz" if re.fullmatch(a, ch, re.IGNORECASE)), None
    )
    if partner:
        return partner
    if re.fullmatch(r"\d", ch):
        return "0"
    if re.fullmatch(r"\w", ch):
        return "a"
    return " " if re.fullmatch(r"\s", ch) else "\x7f"


class _FoldTable(dict):
    def __missing__(self, ch: str) -> str:
        self[ch] = _fold_char(ch)
        return self[ch]


_FOLD = _FoldTable()
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@functools.lru_cache(maxsize=4)
def ascii_fold(text: str) -> str:
    """``text`` with each non-ASCII character replaced by one ASCII character of its kind.

    The kinds are those the RE2 expressions here tell apart (of :data:`PROPOSAL` and
    :data:`GATES`: none holds a non-ASCII character): a letter that matches an ASCII letter
    case-insensitively becomes it, another digit ``0``, another word character ``a``, other
    whitespace a space, anything else DEL. Offsets are kept (one character for one), so RE2,
    whose ``\\w``, ``\\d`` and ``\\b`` are ASCII-only, runs on it with Python's Unicode
    meaning and gives character offsets into ``text``.

    >>> ascii_fold("Zürich, Genève")
    'Zarich, Genave'
    """
    if text.isascii():
        return text
    return _NON_ASCII.sub(lambda m: _FOLD[m.group()], text)


# Several rules are kept as an expression without lookarounds, which RE2 runs too (see
# GATES), and compiled for Python's engine behind a lookahead listing the expression's possible
# first letters: Python's engine then skips other positions quickly instead of trying every
# alternative at each of them.
_PROPOSAL = rf"\b(?:{_SUBJECTS})\s+(?:{_AUXILIARIES}\s+){{0,2}}(?:{_VERBS})\b"
PROPOSAL = re.compile("(?=[WwTtHhOo])" + _PROPOSAL, re.IGNORECASE)
#: :data:`PROPOSAL` for RE2: on ASCII text it finds the same matches, faster.
_PROPOSAL_RE2 = re2.compile(_for_re2(_PROPOSAL, ignorecase=True))


@functools.lru_cache(maxsize=4)
def proposal_matches(text: str) -> tuple[tuple[int, int], ...]:
    """The (start, end) spans of the "we propose"-style clauses of :data:`PROPOSAL` in ``text``.

    Cached: two components read them.
    """
    return tuple(m.span() for m in _PROPOSAL_RE2.finditer(ascii_fold(text)))


_NAMING = (
    r"\b(?:dubbed|called|termed|named|coined|nicknamed|denoted(?:\s+as)?|referred\s+to\s+as|"
    r"known\s+as|(?:which|that)\s+we\s+(?:call|name|term|dub))\s+(?:as\s+)?"
)
NAMING = re.compile("(?=[DdCcTtNnKkRrWw])" + _NAMING, re.IGNORECASE)
#: One word of a name: letters/digits with inner hyphens, dots, plus signs or apostrophes.
_WORD = r"[A-Za-z0-9\u0370-\u03ff][\w\u0370-\u03ff]*(?:[-.+'][\w\u0370-\u03ff]+)*\+*"
WORD = re.compile(_WORD)
_QUOTES = "\"'`“”‘’«»"
#: A parameter count in billions ("-7B", "-1.3B-Instruct"): the name is a model's.
SIZE_SUFFIX = re.compile(r"[-_ ]\d+(?:\.\d+)?[BT](?:[-_]\w+)*$")
DATASET_SUFFIX = re.compile(
    r"(?:Bench|Benchmark|Eval|QA|Set|Corpus|Data|Instruct|Pile|Hub|Arena|[-_]\d+(?:\.\d+)?[KM])$"
)


@dataclass(frozen=True)
class Candidate:
    """A name a rule found, as ``text[start:end]``, with the rule's opinion of it.

    ``type`` is None when the rule cannot tell; :func:`decide_type` settles it later.
    """

    start: int
    end: int
    rule: str
    confidence: float
    type: str | None = None
    proposed: bool = False


@functools.lru_cache(maxsize=1 << 16)
def is_name_like(name: str, stoplist: frozenset[str] = frozenset()) -> bool:
    """Whether a word or short phrase is shaped like a proper name of an artefact.

    A single word qualifies when it has a capital after its first letter ("ProLLaMA",
    "TabPFN"), mixes letters and digits ("S3T", "GEB-1.3B"), or is an all-capitals acronym of two
    or more letters ("PEEKABOO", "BERT"); hyphenated capitalised words qualify too
    ("Make-A-Shape"). Phrases qualify when every word is capitalised or name-like and one is
    name-like. Stoplisted words ("LLM", "NLP", "GPU") never do.

    >>> is_name_like("ProLLaMA"), is_name_like("Phantom"), is_name_like("LLM", frozenset({"LLM"}))
    (True, False, False)
    """
    name = name.strip(_QUOTES + " ")
    if not name or name in stoplist or name.rstrip("s") in stoplist:
        return False
    words = name.split()
    if len(words) > 5:
        return False
    if len(words) > 1:
        if not all(w[0].isupper() or w[0].isdigit() or "-" in w for w in words):
            return False
        return any(is_name_like(w, stoplist) for w in words)
    word = words[0]
    letters = [c for c in word if c.isalpha()]
    if len(letters) < 1 or word.lower() in COMMON_CAPITALISED:
        return False
    if re.fullmatch(r"[\d.,%]+[a-z]?", word):
        return False
    if re.search(r"-(?:[a-z]{3,})$", word) and not re.search(r"\d", word.rsplit("-", 1)[-1]):
        return False  # "BERT-based", "BP-trained", "LLM-like": a modifier, not a name
    if any(c.isupper() for c in word[1:]) and any(c.islower() for c in word):
        return True
    if any(c.isdigit() for c in word) and len(letters) >= 1 and word[0].isalpha():
        return True
    if len(letters) >= 2 and all(c.isupper() for c in letters) and word[0].isalpha():
        return True
    parts = word.split("-")
    return len(parts) >= 2 and all(p[:1].isupper() or p[:1].isdigit() for p in parts if p)


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


#: Words only machine-learning texts use: an acronym defined elsewhere ("Structural Functional
#: Model (SFM)" in philosophy) names no ML artefact.
ML_WORDS = re.compile(
    r"\b(?:neural|deep learning|machine learning|(?:pre-?)?train(?:ed|ing)|fine-?tun\w*|"
    r"datasets?|benchmarks?|classifiers?|supervised|embeddings?|transformers?|language models?|"
    r"reinforcement|gradient|state-of-the-art|LLMs?|GPUs?)\b",
    re.IGNORECASE,
)

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


def morphology_type(name: str) -> str | None:
    """Return the type a name's shape implies, or None.

    >>> morphology_type("GEB-1.3B"), morphology_type("MVBench"), morphology_type("PEEKABOO")
    ('Model', 'Dataset', None)
    """
    if SIZE_SUFFIX.search(name):
        return "Model"
    if DATASET_SUFFIX.search(name) and name[0].isupper():
        return "Dataset"
    return None


def _phrase_after(text: str, pos: int, limit: int = 120) -> str:
    """The noun phrase starting at ``pos``: up to a preposition, clause word or punctuation."""
    chunk = text[pos : pos + limit]
    m = re.search(
        r"\s(?:for|via|with|of|to|in|on|from|by|that|which|using|through|based|and|across|"
        r"towards|where|when)\b|[,.;:()]",
        chunk,
    )
    return chunk[: m.start()] if m else chunk


#: Gerunds whose object is the artefact itself: "X: Designing Scalable Vision Models".
_MAKING_GERUNDS = frozenset(
    ["designing", "building", "training", "pretraining", "pre-training", "developing", "creating"]
)
#: Gerunds that make the artefact a test of others: "X: Benchmarking LLMs on ...".
_TESTING_GERUNDS = frozenset(["benchmarking", "evaluating", "probing", "testing"])


def title_prefix(
    title: str, abstract: str, stoplist: frozenset[str] = frozenset()
) -> Candidate | None:
    """Find the name a title announces before its colon ("ProLLaMA: A Protein ...").

    The prefix must be name-shaped, or a short capitalised phrase the abstract repeats
    ("Unified Embedding: ..."). Its type comes from the head of the phrase after the colon,
    else from its shape; it is always proposed.
    """
    m = re.match(r"\s*(?P<name>[^:]{1,60}?)\s*:\s+(?P<rest>\S.*)", title)
    if not m:
        return None
    name = m["name"].strip(_QUOTES + " ")
    start = title.index(name, m.start("name"))
    words = name.split()
    if len(words) > 5 or "," in name or "?" in name or "'s" in name or "’s" in name:
        return None
    letters = [c for c in title if c.isalpha()]
    if len(words) > 1 and sum(c.isupper() for c in letters) > 0.8 * len(letters):
        return None  # a title in capitals: "WELL-READ STUDENTS LEARN BETTER: ..." names nothing
    if words[0].lower() in COMMON_CAPITALISED and not is_name_like(words[0], stoplist):
        return None
    if not is_name_like(name, stoplist):
        capitalised = all(w[:1].isupper() for w in words)
        if not (
            capitalised
            and 1 <= len(words) <= 4
            and name in abstract
            and words[0].lower() not in COMMON_CAPITALISED
        ):
            return None
    entity_type = title_description_type(m["rest"]) or morphology_type(name)
    return Candidate(start, start + len(name), "title-prefix", 0.9, entity_type, proposed=True)


@functools.lru_cache(maxsize=1 << 12)
def title_description_type(rest: str) -> str | None:
    """The type the phrase after a title's colon gives the name before it, or None.

    >>> title_description_type("An Efficient Diffusion Probabilistic Model for Remote Sensing")
    'Model'
    >>> title_description_type("Boosting LLMs with Retrieval")
    >>> title_description_type("Benchmarking LLMs on Long Contexts")
    'Dataset'
    >>> title_description_type("An Evolving, Large-Scale and Multi-domain ASR Corpus for Thai")
    'Dataset'
    """
    # "Boosting LLMs with ...", "Accelerating Pretrained LLMs via ...": a verb phrase says what
    # the artefact does, not what it is; but "Designing Scalable Vision Models" says what it
    # is (the thing made), and "Benchmarking ..." that it is a benchmark.
    gerund = re.match(r"([A-Z][a-z]+ing)\b\s*", rest)
    if gerund is None:
        phrase = _phrase_after(rest, 0)
    elif gerund.group(1).lower() in _MAKING_GERUNDS:
        phrase = _phrase_after(rest, gerund.end())
    else:
        phrase = "benchmark" if gerund.group(1).lower() in _TESTING_GERUNDS else ""
    found = head_type(phrase)
    if found is None and gerund is None:
        # Coordinated modifiers: "An Evolving, Large-Scale and Multi-domain ASR Corpus for ...".
        loose = _LOOSE_PHRASE_END.search(rest, 0, 100)
        found = head_type(rest[: loose.start()] if loose else rest[:100])
    return found


_LOOSE_PHRASE_END = re.compile(
    r"\s(?:for|via|with|of|to|in|on|from|by|that|which|using|through|based|across|towards|"
    r"where|when)\b|[.;:()]"
)


def _name_at(
    text: str, pos: int, stoplist: frozenset[str], *, allow_capitalised: bool, max_words: int = 4
) -> tuple[int, int] | None:
    """The name starting at ``pos`` (after optional quotes), as (start, end), or None."""
    while pos < len(text) and text[pos] in _QUOTES + " ":
        pos += 1
    words: list[re.Match[str]] = []
    cursor = pos
    while len(words) < max_words:
        m = WORD.match(text, cursor)
        if not m:
            break
        word = m.group()
        if words and not (word[:1].isupper() or word[:1].isdigit() or is_name_like(word, stoplist)):
            break
        if not words and not (
            is_name_like(word, stoplist)
            or (allow_capitalised and word[:1].isupper() and word.lower() not in COMMON_CAPITALISED)
        ):
            return None
        words.append(m)
        if m.end() < len(text) and text[m.end()] == " ":
            cursor = m.end() + 1
        else:
            break
    if not words:
        return None
    while len(words) > 1 and words[-1].group()[:1].islower():
        words.pop()
    start, end = words[0].start(), words[-1].end()
    if not is_name_like(text[start:end], stoplist) and not allow_capitalised:
        return None
    return start, end


#: Adjectives that describe a method without naming it ("a simple yet effective approach").
GENERIC_ADJECTIVES = frozenset(
    [
        "simple",
        "effective",
        "efficient",
        "practical",
        "general",
        "powerful",
        "robust",
        "scalable",
        "lightweight",
        "flexible",
        "principled",
        "unified",
        "fast",
        "accurate",
        "new",
        "novel",
        "free",
        "training-free",
        "plug-and-play",
        "two-stage",
        "multi-stage",
        "end-to-end",
        "straightforward",
        "generic",
        "universal",
        "highly",
        "very",
        "theoretical",
        "empirical",
        "systematic",
        "comprehensive",
        "lossless",
        "optimal",
        "improved",
        "better",
        "stronger",
    ]
)
_FUNCTION_WORDS = frozenset(
    [
        "and",
        "but",
        "yet",
        "or",
        "of",
        "to",
        "for",
        "with",
        "in",
        "on",
        "by",
        "from",
        "as",
        "that",
        "which",
    ]
)
#: Words saying a name belongs to earlier work, not to this paper.
PRIOR_WORK = re.compile(
    r"\b(?:recent(?:ly)?|previous(?:ly)?|prior|existing|was (?:proposed|presented|introduced)|"
    r"were (?:proposed|presented|introduced)|et al|popular|widely used|state-of-the-art)\b",
    re.IGNORECASE,
)
#: "our proposed X", "the proposed X", "our new X": the name that follows is the paper's own.
_OUR_PROPOSED = r"\b(?:our|the)\s+(?:proposed|new|novel)\s+"
OUR_PROPOSED = re.compile("(?=[OoTt])" + _OUR_PROPOSED, re.IGNORECASE)
#: "Our White-Box Diffusion Transformer combines ...": a capitalised name owned by the authors.
_OUR_NAME = r"\b[Oo]ur\s+"
OUR_NAME = re.compile("(?=[Oo])" + _OUR_NAME + "(?=[A-Z])")
#: "a novel adversarial consistency training approach": a multi-word lowercase name before a
#: method head, introduced as new.
_NOVEL_PHRASE = (
    r"\b(?:a|an|our)\s+(?:simple\s+|new\s+|novel\s+|efficient\s+){1,3}"
    r"(?P<name>[a-z][a-z-]+(?:\s+[a-z][a-z-]+){1,3})\s+"
    r"(?P<head>approach|method|technique|algorithm|loss|optimizer|strategy|objective|mechanism|"
    r"procedure|scheme)\b"
)
NOVEL_PHRASE = re.compile(_NOVEL_PHRASE)
#: A quoted name: 'Configuration-Invariant Knowledge Distillation', "reverse sparsification,".
QUOTED = re.compile(r"[`'\"“‘]{1,2}(?P<name>[\w][\w\s-]{2,60}?)[,.]?[`'\"”’]{1,2}")
#: "a novel framework, Feature Multiplexing, where ...": a description, then the name.
APPOSITIVE_NAME = re.compile(
    r"(?:a|an|the)\s+[^,.;:()]{0,80}?\b(?P<head>\w+)\s*,\s*"
    r"(?P<name>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,4})\s*(?=[,.(;:]|\s+(?:which|that|where|to)\b)"
)
#: "benchmark HateEval-Hi and HateEval-Mr", "the dataset X": a cue noun before names.
CUE_BEFORE = re.compile(
    r"\b(?P<cue>dataset|benchmark|corpus|suite|leaderboard|model|optimizer|algorithm)\s+"
    rf"(?P<first>{_WORD})(?:(?:,\s*|\s+and\s+|,\s+and\s+)(?P<second>{_WORD}))?"
)
#: "datasets: 71M Leaner-Pretrain, 7M Leaner-Instruct, Leaner-Glue": names listed after a cue.
_LIST_AFTER_CUE = (
    r"\b(?P<cue>datasets|benchmarks|corpora|models|methods|algorithms|baselines)\s*(?::|,?\s+"
    r"(?:such as|including|namely|like|e\.g\.,?|i\.e\.,?))\s+(?P<items>[^.;:()]{3,200})"
)
LIST_AFTER_CUE = re.compile(_LIST_AFTER_CUE)
#: A capitalised name with a parameter count: "MindLLM-1.3B", "Qwen2.5-7B-Instruct".
_SHAPED = r"[A-Z][\w.+]*(?:-[\w.+]+)*?[-_ ]\d+(?:\.\d+)?[BT](?:[-_][\w.]+)*"
SHAPED = re.compile(r"(?=[A-Z])(?<![\w.+-])" + _SHAPED + r"(?![\w+-])")

#: For each rarely matching rule, an RE2 expression that matches an ASCII text wherever the
#: rule's expression does (the rule without its lookarounds). One RE2 pass over a text tells
#: which rules can match at all: Python's engine takes longer to scan a text for one rule than
#: RE2 takes for all of them, and most texts match none.
GATES = {
    "naming": _for_re2(_NAMING, ignorecase=True),
    "our_proposed": _for_re2(_OUR_PROPOSED, ignorecase=True),
    "our_name": _for_re2(_OUR_NAME) + "[A-Z]",  # its lookahead, as a character to match
    "novel_phrase": _for_re2(_NOVEL_PHRASE),
    "list_after_cue": _for_re2(_LIST_AFTER_CUE),
    "shaped": _for_re2(_SHAPED),
}
_GATE_NAMES = tuple(GATES)

#: The rule each gate stands for: where the gate does not match, the rule must not either.
GATED_RULES: dict[str, re.Pattern[str]] = {
    "naming": NAMING,
    "our_proposed": OUR_PROPOSED,
    "our_name": OUR_NAME,
    "novel_phrase": NOVEL_PHRASE,
    "list_after_cue": LIST_AFTER_CUE,
    "shaped": SHAPED,
}


def _gate_set() -> re2.Set:
    gate_set = re2.Set.SearchSet(re2.Options())
    for expression in GATES.values():
        gate_set.Add(expression)
    gate_set.Compile()
    return gate_set


_GATE_SET = _gate_set()


@functools.lru_cache(maxsize=4)
def open_gates(text: str) -> frozenset[str]:
    """The names of the :data:`GATES` rules that may match ``text``."""
    hits = _GATE_SET.Match(ascii_fold(text))
    return frozenset(_GATE_NAMES[i] for i in hits) if hits else frozenset()


_CLAUSE = re.compile(r"[^.;:]{0,200}")
_COORDINATOR = re.compile(r"(?:,\s*(?:and\s+)?|\s+and\s+|\s*/\s*)")
_AFTER_QUOTES = re.compile(r"\s*[`'\"”’]*\s*(?:\([^)]{1,30}\)\s*)?(?P<rest>.*)")
_CUE_WORD = re.compile(r"(\w[\w-]*)")
_APPOSITIVE_NP = re.compile(r",\s*(?:a|an|the|our)\s+(?P<np>[^,.;()]{1,100})")
_NEXT_WORD = re.compile(r"\s*(\w+)")


def _sentence_start(text: str, pos: int) -> int:
    """Offset of the start of the sentence holding ``pos`` (after the last ". " before it)."""
    cut = text.rfind(". ", 0, pos)
    return 0 if cut < 0 else cut + 2


def _coordinated(text: str, end: int, stoplist: frozenset[str]) -> list[tuple[int, int]]:
    """Names coordinated right after a name ending at ``end``: "X and Y", "X, Y, and Z"."""
    spans = []
    while True:
        m = _COORDINATOR.match(text, end)
        if not m:
            return spans
        span = _name_at(text, m.end(), stoplist, allow_capitalised=False, max_words=1)
        if not span:
            return spans
        spans.append(span)
        end = span[1]


def proposals(text: str, stoplist: frozenset[str] = frozenset()) -> list[Candidate]:
    """Find names a text introduces as the paper's own.

    - "we propose/introduce/present X" (and "this paper proposes X"): the first name-shaped word
      within a few words of the verb, and names coordinated with it ("X and Y");
    - "we introduce a simple framework, Feature Multiplexing, where ...": a capitalised name in
      apposition to the description;
    - "dubbed/called/termed X": a capitalised word is enough; proposed unless the sentence
      credits earlier work ("recently ... was presented, called X");
    - "our proposed X", "Our White-Box Diffusion Transformer": the name after it;
    - "a novel adversarial consistency training approach": a multi-word lowercase name;
    - a quoted name before a method head or after a naming word.
    """
    found: list[Candidate] = []

    def add(
        span: tuple[int, int], rule: str, entity_type: str | None, proposed: bool
    ) -> Candidate | None:
        name = text[span[0] : span[1]]
        if name.islower() and " " not in name.strip():
            return None  # a single ordinary word ("free") is never a new name
        entity_type = (
            entity_type
            or _type_from_context(name, text[span[1] : span[1] + 120])
            or (head_type(name) if " " in name.strip() else None)
        )
        found.append(Candidate(*span, rule, 0.85, entity_type, proposed=proposed))
        return found[-1]

    for _, verb_end in proposal_matches(text):
        clause = _CLAUSE.match(text, verb_end).group()
        appositive = APPOSITIVE_NAME.match(clause.lstrip())
        if appositive and head_type(appositive["head"]):
            offset = verb_end + len(clause) - len(clause.lstrip())
            start = offset + appositive.start("name")
            add(
                (start, offset + appositive.end("name")),
                "proposal",
                head_type(appositive["head"]),
                True,
            )
            continue
        for w in WORD.finditer(clause):
            if w.start() > 60:
                break
            span = _name_at(text, verb_end + w.start(), stoplist, allow_capitalised=False)
            if span is None and w.group()[:1].isupper():
                # "We introduce Lingo, ...", "we present Lightning Attention (LA)": a plain
                # capitalised name is the object when punctuation closes it.
                span = _name_at(text, verb_end + w.start(), stoplist, allow_capitalised=True)
                if span and not _CLOSES_NAME.match(text, span[1]):
                    span = None
            if span:
                first = add(span, "proposal", None, True)
                for other in _coordinated(text, span[1], stoplist):
                    add(other, "proposal", first.type if first else None, True)
                break
            word = w.group()
            if word.lower() in {"that", "which", "to", "for", "how", "whether"}:
                break
            if word.islower() and not _leads_object(word):
                # "We also release hateful BERT", "we present adaptation results using GPT-2":
                # the object is some other noun phrase; the name after it is not the new one.
                break
        for paren in _NAMES_IN_PARENS.finditer(clause):
            # "three new Arabic BERT-style models (A, B and C)": names listed after the head.
            entity_type = head_type(paren["head"])
            if entity_type is None:
                continue
            items = [m for m in _PAREN_ITEM.finditer(paren["items"])]
            before = clause[max(0, paren.start("items") - 90) : paren.start("items") - 1]
            if len(items) == 1 and best_long_form(items[0]["item"], before.rstrip(" (")):
                continue  # "real-time strategy (RTS)": an acronym's definition, not a list
            if items and all(is_name_like(m["item"], stoplist) for m in items):
                base = verb_end + paren.start("items")
                for m in items:
                    add(
                        (base + m.start("item"), base + m.end("item")),
                        "proposal",
                        entity_type,
                        True,
                    )
        for cue in CUE_BEFORE.finditer(clause):
            for group in ("first", "second"):
                if cue[group] and is_name_like(cue[group], stoplist):
                    start = verb_end + cue.start(group)
                    add((start, start + len(cue[group])), "proposal", head_type(cue["cue"]), True)
    gates = open_gates(text)
    for m in NAMING.finditer(text) if "naming" in gates else ():
        span = _name_at(text, m.end(), stoplist, allow_capitalised=True)
        if not span:
            q = QUOTED.match(text, m.end())
            if not q:
                continue
            span = (q.start("name"), q.start("name") + len(q["name"].rstrip()))
        sentence_start = _sentence_start(text, m.start())
        sentence = text[sentence_start : m.start()]
        before = [
            part
            for part in re.split(r"[,;(]", text[max(0, m.start() - 80) : m.start()])
            if part.strip()
        ]
        entity_type = _type_from_context(
            text[span[0] : span[1]], text[span[1] : span[1] + 120]
        ) or (head_type(before[-1]) if before else None)
        add(span, "naming", entity_type, not PRIOR_WORK.search(sentence))
    for m in OUR_PROPOSED.finditer(text) if "our_proposed" in gates else ():
        span = _name_at(text, m.end(), stoplist, allow_capitalised=True)
        if span:
            add(span, "proposal", None, True)
    for m in OUR_NAME.finditer(text) if "our_name" in gates else ():
        span = _name_at(text, m.end(), stoplist, allow_capitalised=True)
        if span and " " in text[span[0] : span[1]].strip():
            add(span, "proposal", None, True)
    for m in NOVEL_PHRASE.finditer(text) if "novel_phrase" in gates else ():
        words = m["name"].split()
        while words and words[0] in GENERIC_ADJECTIVES:
            words.pop(0)
        if len(words) >= 2 and not any(w in GENERIC_ADJECTIVES | _FUNCTION_WORDS for w in words):
            start = m.end("name") - len(" ".join(words))
            add((start, m.end("name")), "proposal", "Method", True)
    quoted = any(q in text for q in ('"', "``", "“", "‘", " '"))
    for m in QUOTED.finditer(text) if quoted else ():
        after = text[m.end() : m.end() + 30]
        head = _NEXT_WORD.match(after)
        if head and head_type(head.group(1)) and m["name"][:1].isalpha():
            start = m.start("name")
            add(
                (start, start + len(m["name"].rstrip())),
                "proposal",
                head_type(head.group(1)),
                bool(
                    re.search(
                        r"\b(?:novel|new|our|propose)",
                        text[max(0, m.start() - 40) : m.start()],
                        re.I,
                    )
                ),
            )
    for m in LIST_AFTER_CUE.finditer(text) if "list_after_cue" in gates else ():
        entity_type = head_type(m["cue"])
        if entity_type is None:
            continue
        sentence_start = _sentence_start(text, m.start())
        # Only "we created ... datasets: A, B" makes the items the paper's own; "datasets such
        # as A, B" lists other people's.
        own = ":" in text[m.end("cue") : m.start("items")] and bool(
            PROPOSAL.search(text, sentence_start, m.start())
        )
        base = m.start("items")
        for item in re.finditer(
            r"(?:^|,\s*(?:(?:and|or)\s+)?|\s+(?:and|or)\s+)(?P<item>[^,]+?)"
            r"(?=,|\s+(?:and|or)\s+|$)",
            m["items"],
        ):
            for part in re.finditer(r"\S+", item["item"]):
                word = part.group().strip(_QUOTES + " ")
                if re.fullmatch(r"\d+(?:\.\d+)?[KMB]?", word) or not WORD.fullmatch(word):
                    continue
                if is_name_like(word, stoplist):
                    start = base + item.start("item") + part.start() + part.group().index(word)
                    found.append(
                        Candidate(start, start + len(word), "list", 0.75, entity_type, proposed=own)
                    )
                break
    return found


#: Words that may open the object of "we propose" before the name itself.
_OBJECT_OPENERS = frozenset(
    [
        "a",
        "an",
        "the",
        "our",
        "its",
        "their",
        "this",
        "these",
        "two",
        "three",
        "four",
        "five",
        "several",
        "first",
        "new",
        "novel",
        "and",
        "yet",
        "also",
        "here",
        "now",
        "both",
    ]
)
_NAMES_IN_PARENS = re.compile(r"\b(?P<head>[a-z][\w-]*)\s*\((?P<items>[^()]{2,120})\)")
_PAREN_ITEM = re.compile(
    r"(?:^|,|\band\b)\s*(?:and\s+)?(?P<item>[^,\s][^,]*?)(?=\s*(?:,|\band\b|$))"
)


#: What may follow a plain capitalised name for it to be the object of "we propose".
_CLOSES_NAME = re.compile(r"\s*(?:[,:;(—–]|\s-\s|\.(?:\s|$)|\s+(?:which|that|to|for)\b)")


def _leads_object(word: str) -> bool:
    """Whether a lowercase word may stand before the name in "we propose <object>"."""
    return word in _OBJECT_OPENERS or word in GENERIC_ADJECTIVES or word.endswith("ly")


def _type_from_context(name: str, after: str) -> str | None:
    """Type of a name from what follows it: a cue noun, or an appositive (", a new benchmark")."""
    m = _AFTER_QUOTES.match(after)
    rest = m["rest"] if m else after
    cue = _CUE_WORD.match(rest)
    if cue and (t := head_type(cue.group(1))):
        return t
    if rest.startswith(","):
        appos = _APPOSITIVE_NP.match(rest)
        if appos and (t := first_head_type(appos["np"])):
            return t
    return morphology_type(name)


#: Cue nouns after a name: "the MVBench benchmark", "the TabPFN model", "the AdamW optimizer".
CUE_NOUN = re.compile(
    r" (?P<cue>datasets?|benchmarks?|corpus|corpora|suite|leaderboard|treebank|model|LLM|"
    r"LM|network|architecture|algorithms?|optimizers?|method|technique|framework)\b"
)


def cue_noun_names(text: str, stoplist: frozenset[str] = frozenset()) -> list[Candidate]:
    """Find name-shaped words followed by a cue noun: "the MVBench benchmark", "TabPFN model"."""
    found = []
    for m in CUE_NOUN.finditer(text):
        start = m.start()
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        w = WORD.fullmatch(text, start, m.start())
        if not w or not is_name_like(w.group(), stoplist):
            continue
        entity_type = head_type(m["cue"])
        if entity_type:
            found.append(Candidate(w.start(), w.end(), "cue-noun", 0.7, entity_type))
    return found


#: An enumeration: three or more short items separated by commas, the last after "and"/"or".
_ITEM = r"(?!(?:and|or|such|as|e\.g)\b)[\w.+/-]+(?: (?!(?:and|or)\b)[\w.+/-]+)?"
ENUMERATION = re.compile(
    rf"(?:(?<=[\s(:])|^)(?P<items>(?:{_ITEM}, ){{2,}}(?:(?:and|or) )?{_ITEM}"
    rf"(?: (?:and|or) {_ITEM})?)"
)

#: Part of every enumeration: its second item between two commas.
_ENUMERATION_HINT = re.compile(r", [\w.+/-]+(?: [\w.+/-]+)?, ")


def enumerations(text: str) -> list[list[tuple[int, int]]]:
    """The items of every enumeration in ``text`` ("VGG, ResNet, CARN and StackedUnets").

    Returns:
        One list of (start, end) item spans per enumeration.
    """
    found: list[list[tuple[int, int]]] = []
    if not _ENUMERATION_HINT.search(text):
        return found  # no ", X, " anywhere: no two commas between items
    for m in ENUMERATION.finditer(text):
        base = m.start("items")
        items = []
        for item in re.finditer(
            r"[^,]+?(?=,| and | or |$)|(?<= and )[^,]+|(?<= or )[^,]+", m["items"]
        ):
            words = item.group().strip()
            words = re.sub(r"^(?:and|or) ", "", words)
            words = re.sub(r"^[a-z]+ (?=\S)", "", words)  # "on CIFAR-10" -> "CIFAR-10"
            if not words:
                continue
            start = base + item.start() + item.group().index(words)
            items.append((start, start + len(words)))
        found.append(items)
    return found


#: "Retrivo, a new QA-pair retriever ...", "Quillset, a large-scale dataset of ...".
APPOSITION = re.compile(
    r"(?<![\w-])(?P<name>[A-Z][\w.+-]*[\w+])\s*(?:\([^()]{1,30}\)\s*)?,\s+(?:a|an)\s+"
    r"(?P<np>[^,.;:()]{1,80})"
)
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


def appositive_names(text: str, stoplist: frozenset[str] = frozenset()) -> list[Candidate]:
    """Names in apposition to a description: "Quillset, a large-scale dataset of diagrams".

    The description's head noun types the name; "new" or "novel" in it, or a "we propose"
    clause before it in the sentence, makes it the paper's own.
    """
    found: list[Candidate] = []
    if ", a" not in text:
        return found
    for m in APPOSITION.finditer(text):
        name = m["name"]
        if name.lower() in COMMON_CAPITALISED or name in stoplist or len(name) < 3:
            continue
        entity_type = first_head_type(m["np"])
        if entity_type is None:
            continue
        sentence_start = _sentence_start(text, m.start())
        proposed = bool(re.search(r"\b(?:new|novel)\b", m["np"])) or bool(
            PROPOSAL.search(text, sentence_start, m.start() + 1)
        )
        found.append(
            Candidate(m.start("name"), m.end("name"), "appositive", 0.8, entity_type, proposed)
        )
    return found


def shaped_names(text: str, stoplist: frozenset[str] = frozenset()) -> list[Candidate]:
    """Find names whose shape alone tells their type: sized models ("MindLLM-1.3B")."""
    found: list[Candidate] = []
    for m in SHAPED.finditer(text) if "shaped" in open_gates(text) else ():
        word = m.group()
        if " " not in word and is_name_like(word, stoplist):
            found.append(Candidate(m.start(), m.end(), "shape", 0.75, "Model"))
    return found
