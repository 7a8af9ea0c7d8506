"""The expressions read around particular cues, and the sentence shapes that give relations
without a cue.
"""

from __future__ import annotations

import re

from graph.extract.relations.expressions.marks import MARK, E

# -------------------------------------------------------------------- around particular cues

#: The role a model plays for what uses it ("using a LLaMA2-7B student model", "as teacher").
ROLE = re.compile(
    r"\s*(?:\([^)]*\)\s*)?(?:as\s+(?:the\s+|a\s+|an\s+|our\s+)?)?(?:[\w-]+\s+)?(?:student|"
    r"teacher|backbone|encoder|decoder|base|judge|annotator|generator|retriever|reward|critic|"
    r"verifier|tokenizer|embedder|policy|expert|embedding|feature|representation)s?\b",
    re.IGNORECASE,
)
#: "LLMs using X", "methods relying on X": the cue speaks of those others, not our artefact.
OTHERS_USING = re.compile(
    r"\b(?:models|LLMs|LMs|methods|approaches|networks|systems|architectures|baselines|"
    r"techniques|algorithms|frameworks)\s*$",
    re.IGNORECASE,
)
#: "apply X to the Y model": X is applied to Y (not a relation), not used by our artefact.
APPLIED_TO = re.compile(r"\s+(?:\w+\s+){0,2}?to\s+(?:the\s+|a\s+|an\s+)?\S*" + E)
#: "fine-tuning on D" named as what is compared with: "on par with standard fine-tuning on".
BASELINE_BEFORE = re.compile(
    r"\b(?:than|with|over|versus|vs\.?|outperform\w*|surpass\w*|match\w*|beat\w*|exceed\w*)"
    r"\s+(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
#: "X allows Y to achieve ...": Y is the subject of what follows.
CAUSATIVE = re.compile(r"\s+(?:allows|enables|helps|lets|permits|empowers)\s+", re.IGNORECASE)
USING_LITERAL = re.compile(r"\busing$", re.IGNORECASE)
#: A clause about analysing results, where "using X" names a tool, not a component.
ANALYSIS = re.compile(
    r"\b(?:visuali[sz]|analy[sz]|measur|evaluat|assess|quantif|plot|compar|test|examin|"
    r"benchmark|inspect|annotat|label)\w*",
    re.IGNORECASE,
)
#: A clause that opens on what others do ("unlike previous works using X, we ..."): its cues
#: speak of those others, not of the paper's artefact.
OTHERS_CLAUSE = re.compile(
    r"\b(?:unlike|different\s+from|in\s+contrast\s+(?:to|with)|as\s+opposed\s+to|"
    r"contrary\s+to)\s+(?:the\s+|most\s+|many\s+)?(?:previous|prior|existing|conventional|"
    r"traditional|current|earlier|past|other)\b",
    re.IGNORECASE,
)
#: "Leveraging X, we construct Y": X serves the making of Y, not our artefact.
MAKING = re.compile(
    r"\s*,\s*we\s+(?:\w+\s+)?(?:construct|create|build|collect|curate|develop|design|generate|"
    r"synthesi[sz]e|compile|obtain|derive|produce)",
    re.IGNORECASE,
)
#: Words for text in a language: "using English data only".
LANGUAGE_DATA = re.compile(
    r"\s+(?:[\w-]+\s+)?(?:data|text|texts|corpus|corpora|speech|tweets|sentences|documents|"
    r"audio|examples)\b",
    re.IGNORECASE,
)
#: Cues whose "with" joins a second object: "combines A with B".
JOINING = re.compile(r"combin|integrat|pair|coupl|fus|augment|equip|unif", re.IGNORECASE)
NOMINAL_TRAINING = re.compile(
    r"(?:pre-?|post-?)?(?:training|fine-?tuning|finetuning|tuning)\b", re.IGNORECASE
)
EVALUATION_WORD = re.compile(
    r"\b(?:experiment|evaluat|validat|result|perform|accura|benchmark|test|effective|"
    r"demonstrat|outperform|surpass|achiev)",
    re.IGNORECASE,
)
#: What each kind of verb of the ``verb-object`` cue states about its object and a later one.
VERB_FAMILIES = {
    "train": {"Dataset": "trainedOn", "Language": "forLanguage"},
    "adapt": {"Language": "forLanguage"},
    "evaluate": {"Dataset": "evaluatedOn", "Language": "forLanguage"},
}
TRAIN_VERB = re.compile(r"tun|train", re.IGNORECASE)
EVALUATE_VERB = re.compile(r"evaluat|test|benchmark|assess", re.IGNORECASE)
PREPOSITION = re.compile(r"\b(?:on|in|for|to|across|with|using)\b", re.IGNORECASE)

# ----------------------------------------------------------------------- sentence shapes

#: "Compared with Y, X <is better>": the comparison and the rest of the sentence.
COMPARED = re.compile(
    rf"\W*(?:[^,;:{MARK}]{{0,40}},\s*)?(?:when\s+|as\s+)?compared\s+(?:with|to)\s+",
    re.IGNORECASE,
)
#: "Based on Y (as our backbone), X ...", "Evaluated on D, X ...": a sentence opening on what
#: its subject is built on (group ``base``), evaluated on (``evaluated``) or trained on.
FRONTED = re.compile(
    r"\W*(?:(?P<base>(?:based|built|developed|constructed)\s+(?:up)?on(?:\s+top\s+of)?|"
    r"building\s+(?:up)?on|(?:initiali[sz]ed|fine-?tuned|distilled)\s+from)|"
    r"(?P<evaluated>(?:evaluated|tested|benchmarked|validated|assessed)\s+(?:\w+\s+)?"
    r"(?:on|against|across|using|with))|"
    r"(?P<trained>(?:pre-?|post-?)?trained\s+(?:\w+\s+)?on))\s+",
    re.IGNORECASE,
)
BETTER_VERB = re.compile(
    r"\s*(?:(?:still|also|consistently|significantly|can|clearly)\s+)*(?:excels?|outperforms?|"
    r"improves?|speeds?\s+up|accelerates?|achieves?\s+(?:\w+\s+)?(?:better|higher|superior|"
    r"faster)|(?:is|are)\s+(?:\w+\s+){0,2}?(?:better|faster|superior|more\s+\w+))\b",
    re.IGNORECASE,
)
OUR_ARTEFACT = re.compile(
    r"\s*(?:we|our\s+(?:\w+\s+){0,2}?(?:model|method|approach|framework|system)|it|"
    r"the\s+proposed\s+\w+)\b",
    re.IGNORECASE,
)
#: "Y-based models such as A and B": A and B are based on Y.
BASED_LIST = re.compile(
    rf"(?P<base>{E})-based\s+(?:[\w-]+\s+){{0,3}}?\(?\s*(?:such\s+as|including|like|e\.g\.,?|"
    r"i\.e\.,?)\s*",
    re.IGNORECASE,
)
#: "X, a BERT-based model" / "X and Y, the first BERT models": X (and Y) are based on BERT.
APPOSITION = re.compile(
    rf"(?:,|\s--?)\s*(?:a|an|the|our|one|two)\s+(?:[^\s,;:(){MARK}]+\s+){{0,6}}?(?P<base>{E})"
    rf"(?:-based|(?:\s*\((?:{E}|[^()]{{1,20}})\))?\s+(?:models?|variants?|LLMs?|LMs?|PLMs?|"
    r"networks?|architectures?|encoders?|decoders?|backbones?|derivatives?|checkpoints?)\b"
    r"|(?P<headed>(?=\s+(?:designed|that|which|for|with|trained|built|tailored|capable|"
    r"developed)\b|\s*[,.;]|\s*$)))",
    re.IGNORECASE,
)
#: The last word of a method's name that makes it a kind of model: "X, a novel latent
#: diffusion model designed for ..." is based on latent diffusion models.
KIND_NAME = re.compile(
    r"(?:models?|networks?|architectures?|transformers?|LLMs?|autoencoders?|GANs?)$", re.I
)
#: "Transformers (MMTs), such as mBERT and XLM-R": models of a kind a method names.
KIND_SUCH_AS = re.compile(
    rf"(?P<base>{E})(?:\s+[a-z][\w-]*){{0,2}}?\s*(?:\([^)]{{1,20}}\))?\s*,?\s*\(?\s*(?:such\s+as|"
    r"including|like|e\.g\.,?)\s*",
    re.IGNORECASE,
)
#: "a meta-learning based method called RAML": RAML is based on meta-learning.
BASED_CALLED = re.compile(
    rf"(?P<base>{E})[- ]based\s+(?:[\w-]+\s+){{0,3}}?(?:called|named|dubbed|termed|coined)\s+"
    rf"(?P<name>{E})",
    re.IGNORECASE,
)
#: A title "X: Fine-Tuning Y for ...": the model X is Y fine-tuned, adapted or distilled.
TITLE_DERIVED = re.compile(
    rf"\s*:\s*(?:(?:efficient(?:ly)?|continual(?:ly)?|further)\s+)?(?:fine-?tuning|adapting|"
    rf"extending|distilling|pre-?training|re-?training|instruction[- ]tuning)\s+(?P<base>{E})",
    re.IGNORECASE,
)
#: A title's "via Y", "with Y", "through Y", "by leveraging Y" (a word or two may stand before
#: the name: "with Pipelined Model Parallelism"): the means of the artefact the title names.
TITLE_MEANS = re.compile(
    rf"\b(?:via|using|with|through|by(?:\s+(?:leveraging|using|means\s+of))?)\s+"
    rf"(?:(?:the|a|an)\s+)?(?:[\w-]+\s+){{0,2}}?(?={E})",
    re.IGNORECASE,
)
#: "On ImageNet, our model outperforms ...": a result on the datasets named first.
RESULT_ON_FIRST = re.compile(
    r"\W*(?:(?:for\s+(?:example|instance)|in\s+particular|specifically|notably|moreover|"
    r"furthermore|finally|additionally|in\s+addition|overall|empirically|experimentally),\s*)?"
    r"(?:on|across)\s+(?:the\s+)?",
    re.IGNORECASE,
)
#: A sentence that may open on where its result is: "On X, ...", "For example, on X ...".
RESULT_ON_FIRST_GATE = re.compile(
    r"\W*(?:on|across|for\s+(?:example|instance)|in\s+particular|specifically|notably|"
    r"moreover|furthermore|finally|additionally|in\s+addition|overall|empirically|"
    r"experimentally)\b",
    re.IGNORECASE,
)
RESULT_WORD = re.compile(
    r"\b(?:outperform|surpass|achiev|improv|reach|obtain|attain|score|exceed|beat|gain|"
    r"accura|perform)",
    re.IGNORECASE,
)
#: "higher GLUE score", "MMLU and BIG-bench scores", "strong X retrieval performance": a
#: result stated on the dataset named before the result's noun.
RESULT_NOUN_AFTER = re.compile(
    r"(?:\s+[a-z][\w-]*)?\s+(?:scores?|accurac(?:y|ies)|performances?|results?|"
    r"benchmark\s+results?|numbers|leaderboard)\b",
    re.IGNORECASE,
)
#: Words before a dataset that say its score is a result ("higher GLUE score", "new SoTA").
RESULT_LEAD = re.compile(
    r"\b(?:achiev\w*|obtain\w*|attain\w*|reach\w*|report\w*|improv\w*|deliver\w*|"
    r"demonstrat\w*|show\w*|yield\w*|sets?|higher|better|best|strong|stronger|new|"
    r"competitive|state-of-the-art|sota|superior|boost\w*|increas\w*)\s+(?:[\w.%-]+\s+){0,3}$",
    re.IGNORECASE,
)
#: "on our datasets", "on the proposed benchmark suite": the paper's own dataset.
OWN_DATASET_WORDS = re.compile(
    r"\b(?:our|the\s+proposed|this)\s+(?:(?:new|novel|proposed|own)\s+)?(?:datasets?|"
    r"benchmarks?(?:\s+suite)?|corpus|corpora|testbed)\b",
    re.IGNORECASE,
)
#: "the linear attention architecture TransNormer": a kind, its noun, then the name of one.
KIND_THEN_NAME = re.compile(
    rf"\s+(?:architecture|model|network|method|framework|algorithm|optimi[sz]er|variant)\s+"
    rf"(?={E})",
    re.IGNORECASE,
)
#: "we fine-tune a LoRA expert", "connects a pretrained CLIP vision encoder": a name followed
#: by the role of a component.
COMPONENT_NAMED = re.compile(
    rf"{E}\s+(?:(?:vision|text|image|speech|audio|language)\s+)?(?:encoder|decoder|backbone|"
    r"module|expert|adapter|branch|head|teacher|student|tokenizer)s?\b",
    re.IGNORECASE,
)
#: A clause comparing with something: its models are competitors, not components.
#: The words one of which :data:`COMPONENT_NOUN` needs (a cheap test before it).
COMPONENT_WORDS_AFTER = (
    *("encoder", "decoder", "backbone", "module", "expert", "adapter", "branch", "head"),
    *("teacher", "student", "tokenizer"),
)
COMPARISON = re.compile(
    r"\b(?:compar|baseline|against|than|versus|vs\b|outperform|surpass)", re.IGNORECASE
)
#: "the Maltese BERT", "a Swahili-language corpus X".
LANGUAGE_BEFORE = re.compile(rf"(?P<lang>{E})(?:[- ](?:language|speaking))?\s+(?P<name>{E})")
#: A component the paper introduces: "... with a module, termed TabUnit", "applies a novel X".
COMPONENT_BEFORE = re.compile(
    r"(?:(?:module|component|block|layer|mechanism|technique|task|objective|loss|unit|operator|"
    r"head|regulari[sz]er|trick)s?,?\s+(?:called|termed|named|dubbed)|(?:applies|apply|employs?|"
    r"adopts?|utili[sz]es?|uses|incorporates?)\s+(?:the\s+|an?\s+)?(?:(?:novel|new|simple|"
    r"lightweight|dedicated|custom)\s+)*(?:\S+\s+){0,2}?)\W*$",
    re.IGNORECASE,
)
#: Words one of which :data:`COMPONENT_BEFORE` needs (a cheap test before it).
COMPONENT_WORDS = (
    "called",
    "termed",
    "named",
    "dubbed",
    "appl",
    "employ",
    "adopt",
    "utili",
    "uses",
    "incorporat",
)
COMPONENT_AFTER = re.compile(
    r"\W*(?:\s*\([^)]*\))?\s+(?:module|component|block|layer|mechanism|technique|loss|"
    r"objective|task|unit|operator)s?\b",
    re.IGNORECASE,
)
