"""Relations a paper states between the entities it names, found one sentence at a time.

:func:`find_relations` is the plain function; the ``kg_relations`` component runs it after
``kg_entities`` and puts the result on ``doc._.kg_extraction.relations``.

Each sentence with a mention in it becomes a *template*: every occurrence of a mention is
replaced by a two-character placeholder, so "FlashSpeech is built on LCM and applies ACT" reads
``E0 is built on E1 and applies E2``. Cue expressions run over the template (one alternation,
one pass per sentence); around each cue :func:`_objects` reads the coordinated list that follows
("on GLUE, SuperGLUE and SQuAD" gives three objects) and :func:`_subjects` finds what the clause
is about: the nearest entity before the cue, the anchor of an appositive it sits in ("X and Y,
the first BERT models pre-trained on ..." is about X and Y), or the paper's own artefact when the
clause speaks as "we", "our model" or "it". The object's type picks the relation ("trained on"
a dataset is ``trainedOn``, "trained in" a language ``forLanguage``), and each relation's
signature (:data:`graph.records.RELATION_SIGNATURES`) rejects the rest.

Nothing comes out of a clause that is negated or hedged ("does not outperform", "may improve
on"), nor for an entity named as a contrast ("unlike X", "instead of X") or as an inspiration
("inspired by X" is not ``basedOn``). Passives swap the roles ("Y is outperformed by X").

Besides the cues: an appositive ("X, a BERT-based model", "X, the first BERT models ...") gives
``basedOn``; "Y-based models such as A and B" gives A and B ``basedOn`` Y; a language name right
before a model or dataset ("the Maltese BERT") gives ``forLanguage``; a proposed name built on a
known one ("Spike-Aware Adam", "HindTweetBERT") gives ``basedOn``; and a component the paper
introduces for its own artefact ("a module, termed TabUnit") gives ``uses``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.tokens import Doc

from graph.extract._text import doc_text
from graph.iri import name_key
from graph.records import RELATION_SIGNATURES, AliasPair, Extraction, Mention, Relation

# ---------------------------------------------------------------------------------------------
# Occurrences of the mentions in the text

#: Placeholders: a marker character, then one character numbering the occurrence in its sentence.
_MARK = "\ue000"
_FIRST = 0xE100
_MAX_OCCURRENCES = 255
_E = "\ue000[\ue100-\ue1ff]"
_ENTITY = re.compile(_E)

#: Lowercase words that may follow a name after a hyphen without making a longer name
#: ("BERT-based" names BERT; "Adam-mini" and "BERT-Large" are other names, and "GLUE-style" or
#: "GPT-like" something else than GLUE or GPT).
_HYPHEN_SUFFIXES = frozenset(
    "based family series derived initialized initialised pretrained finetuned tuned driven "
    "powered guided".split()
)


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of a mention in the text (offsets into ``title + "\\n\\n" + abstract``)."""

    start: int
    end: int
    mention: Mention


def _variants(name: str) -> list[str]:
    """Other spellings of a name worth finding: "Transformer" in "transformer-based", "Bert"."""
    if len(name) >= 5 and not name.isupper():
        return [name.lower()]
    if len(name) >= 4 and name.isupper() and name.isalpha():
        return [name.capitalize()]
    return []


def _bounded(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a whole name, not part of a longer one."""
    if start > 0:
        before = text[start - 1]
        if before.isalnum() or before == "_":
            return False
        if before == "-" and start > 1 and text[start - 2].isalnum():
            return False
    if end < len(text):
        after = text[end]
        if after.isalnum() or after == "_" or after == "+":
            return False
        if after == "-" and end + 1 < len(text) and text[end + 1].isalnum():
            word = re.match(r"[a-z]+", text[end + 1 : end + 14])
            return word is not None and word.group() in _HYPHEN_SUFFIXES
    return True


def find_occurrences(text: str, mentions: Iterable[Mention]) -> list[Occurrence]:
    """Every occurrence of every mention in ``text``, without overlaps, in text order.

    Mentions are found as written, and non-acronyms of five or more characters also in
    lowercase ("transformer-based"); an acronym also capitalised ("Bert"). Where two occurrences
    overlap, the longer one wins ("Spike-Aware Adam" over "Adam").
    """
    lowered = text.lower()
    same_length = len(lowered) == len(text)
    found: list[Occurrence] = []
    for m in mentions:
        name = m.text
        if not name:
            continue
        forms = [(text, name)]
        for variant in _variants(name):
            if variant == variant.lower():
                if same_length:
                    forms.append((lowered, variant))
            else:
                forms.append((text, variant))
        seen: set[int] = set()
        for haystack, needle in forms:
            pos = haystack.find(needle)
            while pos >= 0:
                if pos not in seen and _bounded(text, pos, pos + len(needle)):
                    seen.add(pos)
                    found.append(Occurrence(pos, pos + len(needle), m))
                pos = haystack.find(needle, pos + 1)
    found.sort(key=lambda o: (o.start - o.end, o.start))
    taken: list[tuple[int, int]] = []
    kept: list[Occurrence] = []
    for o in found:
        i = bisect.bisect_left(taken, (o.start, o.end))
        if (i and taken[i - 1][1] > o.start) or (i < len(taken) and taken[i][0] < o.end):
            continue
        taken.insert(i, (o.start, o.end))
        kept.append(o)
    kept.sort(key=lambda o: o.start)
    return kept


# ---------------------------------------------------------------------------------------------
# The paper's own artefact

#: Rules of the entity extractor that name a paper's own artefact, best first.
_PROPOSAL_RULES = {"title-prefix": 0, "proposal": 1, "naming": 1, "acronym": 1}


def primary_artefact(mentions: Sequence[Mention]) -> Mention | None:
    """The model or method the paper introduces, which "we" and "our model" speak for.

    The title's "X: ..." prefix first, then a name the paper proposes ("we propose X", "called
    X"), then any other name marked proposed; the earliest of those wins. None when the paper
    names no artefact of its own.
    """
    candidates = [m for m in mentions if m.proposed and m.type in ("Model", "Method")]
    if not candidates:
        return None

    def rank(m: Mention) -> tuple[int, bool, int]:
        return (_PROPOSAL_RULES.get(m.rule, 2), m.field != "title", m.start)

    return min(candidates, key=rank)


# ---------------------------------------------------------------------------------------------
# Cues

_ADVERBS = (
    r"(?:(?:also|further|consistently|significantly|substantially|greatly|clearly|largely|"
    r"still|even|often|generally|notably|remarkably|markedly|dramatically|easily|considerably|"
    r"readily|vastly|now|then|first|mainly|primarily|mostly|originally|initially|directly|"
    r"only|successfully|effectively|seamlessly|jointly|simultaneously|efficiently|"
    r"additionally|finally|naturally|carefully|explicitly|newly|well)\s+)*"
)
_BE = r"(?:(?:is|are|was|were|be|been|being)\s+)?"

#: Cue families: name -> (expression, how the object's type picks the relation, subject policy,
#: confidence). Policies: "near" (the nearest entity before the cue, else our artefact),
#: "main" (our artefact when the clause speaks for it, else the clause's first entity),
#: "passive" (the object list is the subject: "is outperformed by").
_CUES: dict[str, tuple[str, dict[str, str], str, float]] = {
    "outperformed-by": (
        r"(?:is|are|was|were|being|been)\s+" + _ADVERBS + r"(?:outperformed|surpassed|beaten|"
        r"exceeded|outstripped|outclassed)\s+by",
        {"Model": "outperforms", "Method": "outperforms"},
        "passive",
        0.8,
    ),
    "outperforms": (
        _ADVERBS + r"(?:outperform(?:s|ed|ing)?|surpass(?:es|ed|ing)?|beat(?:s|ing)?|"
        r"exceed(?:s|ed|ing)?|outstrip(?:s|ped|ping)?|outpac(?:es|ed|ing)|outclass(?:es|ed|ing)?"
        r"|(?:perform(?:s|ed|ing)?|work(?:s|ed|ing)?|(?:is|are|was|were|being))\s+(?:\w+\s+)?"
        r"(?:better|superior|stronger)\s+(?:than|to)|(?:better|superior|stronger)\s+than"
        r"|improv(?:es|ed|ing)\s+(?:up)?on|(?:gains?|improvements?|advantages?)\s+over"
        r"|(?:achiev|obtain|deliver|yield|show)(?:s|es|ed|ing)?\s+(?:\w+\s+){0,3}?"
        r"(?:better|higher|superior|stronger)\s+(?:\w+\s+){0,3}?(?:than|over|to))",
        {"Model": "outperforms", "Method": "outperforms"},
        "near",
        0.8,
    ),
    "based-on": (
        _ADVERBS + _BE + r"(?:(?:built|based|constructed|developed|founded|grounded)\s+"
        r"(?:up)?on(?:\s+top\s+of)?|(?:builds?|building)\s+(?:up)?on(?:\s+top\s+of)?|"
        r"on\s+top\s+of|(?:derived|distilled|initiali[sz]ed|adapted|converted|evolved|"
        r"fine-?tuned|finetuned|obtained|continued)\s+from|initiali[sz]ed\s+with|"
        r"extends|extending|inherits?\s+from)",
        {"Model": "basedOn", "Method": "basedOn"},
        "near",
        0.8,
    ),
    "variant-of": (
        _BE + r"(?:an?\s+|the\s+)?(?:[\w-]+\s+)?(?:extension|variant|version|adaptation|"
        r"modification|generali[sz]ation|derivative|successor|descendant|instantiation|"
        r"speciali[sz]ation)s?\s+of",
        {"Model": "basedOn", "Method": "basedOn"},
        "explicit",
        0.75,
    ),
    "trained-on": (
        _ADVERBS + r"(?:(?:pre-?|post-?|re-?|further\s+|continually\s+|instruction[- ])?"
        r"(?:train(?:s|ed|ing)?|fine-?tun(?:es|ed|ing)|finetun(?:es|ed|ing)|tun(?:ed|ing))|"
        r"pre-?train(?:s|ed|ing)?)\s+(?:\w+\s+){0,3}?(?:on|using|with|in|over)",
        {"Dataset": "trainedOn", "Language": "forLanguage"},
        "near",
        0.8,
    ),
    "evaluated-on": (
        _ADVERBS + r"(?:evaluat(?:e|es|ed|ing|ions?)|test(?:s|ed|ing)?|validat(?:e|es|ed|ing|ion)"
        r"|benchmark(?:s|ed|ing)?|assess(?:es|ed|ing|ment)?|experiments?|experimented"
        r"|experimental\s+results?|results?|performances?|accurac(?:y|ies)|scores?"
        r"|improvements?|gains?|state-of-the-art|sota|perplexity|error\s+rates?|speed-?ups?"
        r"|\d+(?:\.\d+)?\s*(?:%|x|×|points?|pp)|match(?:es|ed|ing)|achiev(?:es|ed|ing)"
        r"|attain(?:s|ed|ing)|obtain(?:s|ed|ing)|reach(?:es|ed|ing)|sets?|establish(?:es|ed|ing)"
        r"|ranks?|ranked|outperform(?:s|ed|ing)?|surpass(?:es|ed|ing)?|improv(?:es|ed|ing)"
        r"|speed(?:s|ing)?\s+up|reduc(?:es|ed|ing))\s+(?:[^\s\ue000,;:]+\s+){0,6}?"
        r"(?:on|across|over|against)",
        {"Dataset": "evaluatedOn", "Language": "forLanguage"},
        "main",
        0.75,
    ),
    "evaluation-list": (
        r"(?:datasets?|benchmarks?|corpora|suites?|test\s+sets?)\s*[(,]?\s*(?:such\s+as|including|"
        r"like|e\.g\.,?|i\.e\.,?|namely|:)",
        {"Dataset": "evaluatedOn"},
        "main-evaluation",
        0.7,
    ),
    "uses": (
        _ADVERBS + r"(?:uses|utili[sz]e[sd]?|employ(?:s|ed)?|leverage[sd]?|adopt(?:s|ed)?|"
        r"incorporate[sd]?|integrate[sd]?|combine[sd]?|appl(?:ies|ied|y)|exploit(?:s|ed)?|"
        r"harness(?:es|ed)?|rel(?:ies|y)\s+on|(?:is|are)\s+equipped\s+with|consists?\s+of|"
        r"comprise[sd]?|(?:is|are)\s+composed\s+of|(?:is|are)\s+powered\s+by|connects?|"
        r"(?:is|are)\s+driven\s+by|(?:the\s+)?use\s+of|(?:improved|trained|optimi[sz]ed|aligned|"
        r"fine-?tuned|tuned|learned|regulari[sz]ed|enhanced|refined)\s+(?:\w+\s+)?(?:through|via|by)"
        r")",
        {"Model": "uses", "Method": "uses"},
        "near",
        0.7,
    ),
    "using": (
        r"(?:(?:by|through|while|when)\s+)?(?:using|utili[sz]ing|employing|leveraging|adopting|"
        r"incorporating|integrating|combining|applying|exploiting|harnessing|relying\s+on)|"
        r"by\s+means\s+of|with\s+the\s+help\s+of",
        {"Model": "uses", "Method": "uses"},
        "primary",
        0.65,
    ),
    "dataset-use": (
        r"(?:using|with|on|across)",
        {"Dataset": "evaluatedOn"},
        "main-evaluation-clause",
        0.65,
    ),
    "for-language": (
        r"(?:for|in|covering|covers|cover|spanning|spans|supporting|supports|of)",
        {"Language": "forLanguage"},
        "adjacent",
        0.7,
    ),
}
_CUE_ORDER = tuple(_CUES)
_CUE_RE = re.compile(
    "|".join(rf"(?P<c{i}>\b{_CUES[name][0]}\b)" for i, name in enumerate(_CUE_ORDER)),
    re.IGNORECASE,
)

#: Words that make a clause say nothing for sure: negation and hedges.
_NEGATION = re.compile(
    r"\b(?:not|n't|never|no|neither|nor|fail(?:s|ed)?\s+to|cannot|unable\s+to|hardly|"
    r"may|might|could|would|should|whether|if|unlike|hypothesi[sz]e[sd]?|expect(?:s|ed)?\s+to|"
    r"aim(?:s|ed)?\s+to|seek(?:s)?\s+to|tr(?:y|ies|ied)\s+to|attempt(?:s|ed)?\s+to|"
    r"question|unclear|lack(?:s|ing)?)\b|n't\b",
    re.IGNORECASE,
)
#: An entity right after these words is a contrast or an inspiration, never a participant.
_EXCLUDING = re.compile(
    r"\b(?:unlike|except|besides|apart\s+from|instead\s+of|rather\s+than|in\s+contrast\s+to|"
    r"as\s+opposed\s+to|without|inspired\s+by|motivated\s+by|in\s+the\s+spirit\s+of|"
    r"compared\s+(?:with|to)|versus|vs\.?|against|alternative\s+to|replac(?:es|ing|e)|"
    r"beyond|than)\s+(?:(?:the|a|an|both|existing|prior|previous|conventional|standard|"
    r"popular|traditional|vanilla|original|classical|other|all|any)\s+)*$",
    re.IGNORECASE,
)
#: The clause speaks for the paper's own artefact.
_WE = re.compile(
    r"\b(?:we|our|us|it|its|this\s+(?:model|method|approach|framework|system|technique|work|"
    r"paper|algorithm|network|architecture|module|optimizer|strategy|pipeline)|the\s+proposed|"
    r"the\s+resulting)\b",
    re.IGNORECASE,
)
#: Where a clause ends, for finding its subject.
_CLAUSE_BREAK = re.compile(
    r"[;:]|\s[-–—]{1,2}\s|,\s*(?:but|while|whereas|although|though|so|thus|hence|yet)\b|"
    r",\s*and\s+(?=(?:we|it|they|this|these|there|our|its|their)\b)|"
    r"\b(?:but|while|whereas|although|though)\b|\.\s",
    re.IGNORECASE,
)
#: A relative or appositive clause between an entity and its verb: "X, which is built on Y".
_RELATIVE = re.compile(r"\s*,?\s*(?:which|that|who)\s+", re.IGNORECASE)
_APPOSITIVE = re.compile(
    r"^\s*,\s*(?:a|an|the|our|one|two|three|both|first|\d+)\b[^,;:()\ue000]*$", re.IGNORECASE
)
#: Words an object list may be preceded by ("outperforms state-of-the-art optimizers such as").
_FILLER_WORD = re.compile(r"\s*(?:[(\[]\s*)?([^\s\ue000,;:()\[\]]+)\s*(?:,\s*)?")
_FILLER_STOP = frozenset(
    "by than which that who whose while but and or with without when where as at from "
    "after before because since although though thus so via through into onto to".split()
)
_FILLER_PAIRS = re.compile(
    r"\s*(?:such\s+as|including|like|e\.g\.,?|i\.e\.,?|namely|especially|particularly)\s*",
    re.IGNORECASE,
)
#: Between two items of a coordinated list.
_SEPARATOR = re.compile(
    r"\s*(?:,\s*(?:and|or|as\s+well\s+as)?|\band\b|\bor\b|\bas\s+well\s+as\b|/|&)\s*",
    re.IGNORECASE,
)
#: What may stand between a list's separator and its next item ("32.6% on", "the").
_ITEM_LEAD = re.compile(
    r"(?:(?:the|a|an|both|also|even|several|other|all|its|their|our|on|in|of|for|to|"
    r"\d[\w.,%×]*|up\s+to)\s+){0,3}",
    re.IGNORECASE,
)
#: What may follow a list item before the next separator ("GSM8K dataset", "ImageNet
#: classification").
_ITEM_TAIL = re.compile(r"(?:\s+(?!and\b|or\b)[a-z][\w-]*){0,2}(?=\s*(?:,|\band\b|\bor\b|/|&))")
_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)
_NOMINAL_TRAINING = re.compile(
    r"^(?:pre-?|post-?)?(?:training|fine-?tuning|finetuning|tuning)\b", re.IGNORECASE
)
_WORD = re.compile(r"[^\s\ue000]+")
_EVALUATION_WORD = re.compile(
    r"\b(?:experiment|evaluat|validat|result|perform|accura|benchmark|test|effective|"
    r"demonstrat|outperform|surpass|achiev)",
    re.IGNORECASE,
)
_COMPARED = re.compile(
    r"^\W*(?:[^,;:\ue000]{0,40},\s*)?(?:when\s+|as\s+)?compared\s+(?:with|to)\s+(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_BETTER_VERB = re.compile(
    r"^\s*(?:(?:still|also|consistently|significantly|can|clearly)\s+)*(?:excels?|outperforms?|"
    r"improves?|speeds?\s+up|accelerates?|achieves?\s+(?:\w+\s+)?(?:better|higher|superior|"
    r"faster)|(?:is|are)\s+(?:\w+\s+){0,2}?(?:better|faster|superior|more\s+\w+))\b",
    re.IGNORECASE,
)
_BASED_LIST = re.compile(
    rf"(?P<base>{_E})-based\s+(?:[\w-]+\s+){{0,3}}?\(?\s*(?:such\s+as|including|like|e\.g\.,?|"
    r"i\.e\.,?)\s*",
    re.IGNORECASE,
)
_APPOSITION = re.compile(
    rf",\s*(?:a|an|the|our|one|two)\s+(?:[^\s,;:()\ue000]+\s+){{0,6}}?(?P<base>{_E})"
    r"(?:-based|\s+(?:models?|variants?|LLMs?|LMs?|PLMs?|networks?|architectures?|encoders?|"
    r"decoders?|backbones?|derivatives?|checkpoints?)\b)",
    re.IGNORECASE,
)
_LANGUAGE_BEFORE = re.compile(rf"(?P<lang>{_E})(?:[- ](?:language|speaking))?\s+(?P<name>{_E})")
_COMPONENT_BEFORE = re.compile(
    r"(?:(?:module|component|block|layer|mechanism|technique|task|objective|loss|unit|operator|"
    r"head|regulari[sz]er|trick)s?,?\s+(?:called|termed|named|dubbed)|(?:applies|apply|employs?|"
    r"adopts?|utili[sz]es?|uses|incorporates?)\s+"
    r"(?:the\s+|an?\s+)?(?:(?:novel|new|simple|lightweight|dedicated|custom)\s+)*"
    r"(?:[^\s\ue000]+\s+){0,2}?)\W*$",
    re.IGNORECASE,
)
_COMPONENT_AFTER = re.compile(
    r"^\W*(?:\s*\([^)]*\))?\s+(?:module|component|block|layer|mechanism|technique|loss|"
    r"objective|task|unit|operator)s?\b",
    re.IGNORECASE,
)

#: A name right after a preposition is inside a phrase, not a clause's subject ("works on X").
_AFTER_PREPOSITION = re.compile(
    r"\b(?:of|on|in|for|from|with|by|to|about|over|under|at|between|among|into|than|via|through|"
    r"upon|across|within)\s+(?:(?:the|a|an|its|their|our|this|these|those)\s+)?$",
    re.IGNORECASE,
)
#: A method named as the kind of some models ("Transformer language models", "MoE models") or
#: baselines ("data augmentation baselines") is not itself a participant.
_CLASS_MODIFIER = re.compile(
    r"\s*(?:\([^)]{1,20}\)\s*)?(?:[\w-]+\s+)?(?:language\s+)?(?:models|LLMs|LMs|networks|"
    r"architectures|systems)\b",
)
_BASELINES = re.compile(r"\s*(?:\([^)]{1,20}\)\s*)?(?:[\w-]+\s+)?baselines?\b", re.IGNORECASE)
#: The role a model plays for what uses it ("using a LLaMA2-7B student model", "as teacher").
_ROLE = re.compile(
    r"\s*(?:\([^)]*\)\s*)?(?:as\s+(?:the\s+|a\s+|an\s+|our\s+)?)?(?:[\w-]+\s+)?(?:student|"
    r"teacher|backbone|encoder|decoder|base|judge|annotator|generator|retriever|reward|critic|"
    r"verifier|tokenizer|embedder|policy|expert)s?\b",
    re.IGNORECASE,
)
#: A verb before its object, then a preposition before a second object: "fine-tune X on D",
#: "adapt X ... for L".
_VERB_FIRST = re.compile(
    r"\b(?P<verb>(?:pre-?|re-?|further\s+|continually\s+)?(?:train|fine-?tune|finetune|tune)"
    r"(?:s|d|ed|ing)?|adapt(?:s|ed|ing)?|tailor(?:s|ed|ing)?|extend(?:s|ed|ing)?|port(?:s|ed|ing)?"
    r"|speciali[sz](?:e|es|ed|ing)|evaluat(?:e|es|ed|ing)|test(?:s|ed|ing)?"
    r"|benchmark(?:s|ed|ing)?|assess(?:es|ed|ing)?)\s+(?:(?:the|a|an|our|both|all|several)\s+)?"
    rf"(?=\ue000)",
    re.IGNORECASE,
)
#: A clause about analysing results, where "using X" names a tool, not a component.
_ANALYSIS = re.compile(
    r"\b(?:visuali[sz]|analy[sz]|measur|evaluat|assess|quantif|plot|compar|test|examin|"
    r"benchmark|inspect|annotat|label)\w*",
    re.IGNORECASE,
)
#: "Label Supervised LLaMA (LS-LLaMA)": a known name inside a longer name the text defines.
_CAPITALISED_BEFORE = re.compile(r"\b[A-Z][a-z]+[-\s]$")
_DEFINED_AFTER = re.compile(r"\s*\((?!\ue000)[A-Za-z][\w-]*\)")
#: Cues whose "with" joins a second object: "combines A with B".
_JOINING = re.compile(r"combin|integrat|pair|coupl|fus|augment|equip|unif", re.IGNORECASE)
#: "Leveraging X, we construct Y": X serves the making of Y, not our artefact.
_MAKING = re.compile(
    r"\s*,\s*we\s+(?:\w+\s+)?(?:construct|create|build|collect|curate|develop|design|generate|"
    r"synthesi[sz]e|compile|obtain|derive|produce)",
    re.IGNORECASE,
)
#: "standard MMT benchmarks", "several GLUE tasks": a kind of dataset, not the dataset.
_GENERIC_BEFORE = re.compile(
    r"\b(?:standard|common|popular|several|various|multiple|existing|other|many|different|"
    r"diverse|public|widely[- ]used|typical|traditional)\s+$",
    re.IGNORECASE,
)
_PLURAL_KIND_AFTER = re.compile(r"\s+(?:benchmarks|datasets|tasks|corpora)\b", re.IGNORECASE)
#: Words for text in a language: "using English data only".
_LANGUAGE_DATA = re.compile(
    r"\s+(?:[\w-]+\s+)?(?:data|text|texts|corpus|corpora|speech|tweets|sentences|documents|"
    r"audio|examples)\b",
    re.IGNORECASE,
)
_VERB_FAMILY = {
    "train": {"Dataset": "trainedOn", "Language": "forLanguage"},
    "adapt": {"Language": "forLanguage"},
    "evaluate": {"Dataset": "evaluatedOn", "Language": "forLanguage"},
}
_PREPOSITION = re.compile(r"\b(?:on|in|for|to|across|with|using)\b", re.IGNORECASE)


def _verb_family(verb: str) -> str:
    v = verb.lower()
    if re.search(r"tun|train", v):
        return "train"
    if re.match(r"evaluat|test|benchmark|assess", v):
        return "evaluate"
    return "adapt"


# ---------------------------------------------------------------------------------------------
# One sentence


@dataclass
class _Sentence:
    """A sentence as a template over its occurrences."""

    template: str
    occurrences: list[Occurrence]
    field: str
    start: int  # in the field
    end: int
    in_title: bool
    primary: Mention | None
    primary_in_title_prefix: bool

    def occurrence(self, marker: str) -> Occurrence | None:
        i = ord(marker[1]) - _FIRST
        return self.occurrences[i] if 0 <= i < len(self.occurrences) else None


def _template(text: str, start: int, end: int, occurrences: list[Occurrence]) -> str:
    parts, at = [], start
    for i, o in enumerate(occurrences):
        parts.append(text[at : o.start])
        parts.append(_MARK + chr(_FIRST + i))
        at = o.end
    parts.append(text[at:end])
    return "".join(parts)


def _list_at(s: _Sentence, pos: int) -> tuple[list[Occurrence], int]:
    """The coordinated list of entities starting exactly at ``pos`` of the template."""
    items: list[Occurrence] = []
    t = s.template
    while True:
        m = _ENTITY.match(t, pos)
        if m is None:
            break
        occurrence = s.occurrence(m.group())
        if occurrence is not None:
            items.append(occurrence)
        pos = m.end()
        tail = _ITEM_TAIL.match(t, pos)
        after = tail.end() if tail else pos
        sep = _SEPARATOR.match(t, after)
        if sep is None or sep.end() == after:
            break
        lead = _ITEM_LEAD.match(t, sep.end())
        nxt = lead.end() if lead else sep.end()
        if not _ENTITY.match(t, nxt):
            break
        pos = nxt
    return items, pos


def _objects(
    s: _Sentence, pos: int, max_filler: int = 6, joining: bool = False
) -> tuple[list[Occurrence], int, int]:
    """The list of entities after a cue, maybe after a few filler words.

    With ``joining`` (after "combines"), "A with B" is a list too, and the filler may hold
    words before "with" ("combines split learning with federated learning").

    Returns the items, where the filler started being read, and where the list ends.
    """
    t = s.template
    if joining:
        items, start, end = _objects(s, pos, max_filler)
        more = re.compile(r"\s+(?:[^\s\ue000,;:]+\s+){0,3}?with\s+", re.IGNORECASE).match(t, end)
        if more is None and not items:
            more = re.compile(
                r"\s*(?:[^\s\ue000,;:]+\s+){1,3}?with\s+", re.IGNORECASE
            ).match(t, pos)
        if more is not None:
            second, _, end2 = _objects(s, more.end(), 2)
            if second:
                return items + second, start if items else more.end(), end2
        return items, start, end
    words = 0
    while words <= max_filler:
        pairs = _FILLER_PAIRS.match(t, pos)
        if pairs and pairs.end() > pos:
            pos = pairs.end()
        lead = re.compile(r"\s*[(\[]?\s*").match(t, pos)
        start = lead.end() if lead else pos
        if _ENTITY.match(t, start):
            items, end = _list_at(s, start)
            return items, start, end
        word = _FILLER_WORD.match(t, pos)
        if word is None or word.group(1).lower() in _FILLER_STOP:
            break
        if word.group(1).rstrip(".,").lower() in _FILLER_STOP:
            break
        pos = word.end()
        words += 1
    return [], pos, pos


def _clause_start(t: str, pos: int) -> int:
    start = 0
    for m in _CLAUSE_BREAK.finditer(t, 0, pos):
        start = m.end()
    return start


def _excluded(s: _Sentence, marker_start: int) -> bool:
    """Whether the entity at ``marker_start`` is named as a contrast or an inspiration."""
    return _EXCLUDING.search(s.template[max(0, marker_start - 60) : marker_start]) is not None


def _list_ending_at(s: _Sentence, end: int, clause: int) -> tuple[list[Occurrence], int]:
    """The coordinated list whose last entity ends at ``end`` (read backwards)."""
    t = s.template
    starts = [m.start() for m in _ENTITY.finditer(t, clause, end)]
    if not starts:
        return [], end
    first = starts[-1]
    for candidate in reversed(starts[:-1]):
        items, list_end = _list_at(s, candidate)
        if list_end == end and len(items) > 1:
            first = candidate
    items, _ = _list_at(s, first)
    return items, first


def _is_primary(s: _Sentence, o: Occurrence) -> bool:
    return s.primary is not None and name_key(o.mention.text) == name_key(s.primary.text)


def _inside_longer_name(t: str, start: int, end: int) -> bool:
    """Whether a name is the end of a longer name the text defines ("Label Supervised LLaMA
    (LS-LLaMA)")."""
    return bool(
        _CAPITALISED_BEFORE.search(t[max(0, start - 30) : start]) and _DEFINED_AFTER.match(t, end)
    )


def _subject_ok(s: _Sentence, m: re.Match, allowed: frozenset[str]) -> bool:
    """Whether the entity at marker ``m`` may be a clause's subject."""
    o = s.occurrence(m.group())
    if o is None or o.mention.type not in allowed or _excluded(s, m.start()):
        return False
    t = s.template
    if _AFTER_PREPOSITION.search(t[max(0, m.start() - 40) : m.start()]):
        return False
    if _inside_longer_name(t, m.start(), m.end()):
        return False
    return not (o.mention.type == "Method" and _CLASS_MODIFIER.match(t, m.end()))


def _subjects(
    s: _Sentence, cue_start: int, policy: str, allowed: frozenset[str]
) -> tuple[list[Occurrence | Mention], int]:
    """Who the clause before a cue is about, and where the words to check for negation start.

    Returns the subjects (occurrences, or the primary :class:`Mention` itself when the clause
    speaks for it without naming it) and the start of the window to check.
    """
    t = s.template
    clause = _clause_start(t, cue_start)
    primary_ok = s.primary is not None and s.primary.type in allowed
    if s.in_title:
        # A title states relations only about the artefact its "X: ..." prefix names.
        if s.primary_in_title_prefix and primary_ok:
            return [s.primary], clause
        return [], clause
    before = list(_ENTITY.finditer(t, clause, cue_start))
    candidates = [m for m in before if _subject_ok(s, m, allowed)]
    # A list after a colon elaborates its clause: "we combine three techniques: X, and Y".
    we_from = _clause_start(t, clause - 1) if clause and t[clause - 1] == ":" else clause
    we = [m.end() for m in _WE.finditer(t, we_from, cue_start)]
    if policy.startswith("main") or policy == "primary":
        whole_clause_end = _clause_end(t, cue_start)
        speaks = _WE.search(t, clause, whole_clause_end) is not None
        in_clause = [
            o
            for m in _ENTITY.finditer(t, clause, whole_clause_end)
            if (o := s.occurrence(m.group())) is not None and _is_primary(s, o)
        ]
        if primary_ok and (speaks or in_clause):
            return [in_clause[0] if in_clause else s.primary], clause
        if candidates and policy != "primary":
            items, first = _list_ending_at(s, candidates[0].end(), clause)
            items = [o for o in items if o.mention.type in allowed]
            proposed = [o for o in items if o.mention.proposed]
            return (proposed or items), first
        return [], clause
    if candidates:
        nearest = candidates[-1]
        if we and we[-1] > nearest.end() and primary_ok and policy != "explicit":
            return [s.primary], nearest.end()
        items, first = _list_ending_at(s, nearest.end(), clause)
        items = [o for o in items if o.mention.type in allowed]
        # "X and Y, the first BERT models pre-trained on ...": the appositive's anchor.
        anchor = _appositive_anchor(s, first, clause, allowed)
        if anchor:
            return anchor[0], anchor[1]
        gap = len(_WORD.findall(t[nearest.end() : cue_start]))
        if policy == "adjacent" and gap > 2:
            return [], clause
        if policy == "explicit" and gap > 4:
            return [], clause
        if _RELATIVE.match(t, nearest.end()) or gap <= 12:
            return items, nearest.end()
        return [], clause
    if we and primary_ok and policy == "near":
        return [s.primary], max(we[-1], clause)
    return [], clause


def _appositive_anchor(
    s: _Sentence, first: int, clause: int, allowed: frozenset[str]
) -> tuple[list[Occurrence], int] | None:
    """The list an appositive containing the entity at ``first`` describes, if any."""
    t = s.template
    for m in reversed(list(_ENTITY.finditer(t, clause, first))):
        if _APPOSITIVE.match(t[m.end() : first]):
            items, start = _list_ending_at(s, m.end(), clause)
            items = [o for o in items if o.mention.type in allowed]
            if items:
                return items, m.end()
        break
    return None


def _clause_end(t: str, pos: int) -> int:
    m = _CLAUSE_BREAK.search(t, pos)
    return m.start() if m else len(t)


# ---------------------------------------------------------------------------------------------
# Rules


@dataclass(frozen=True)
class _Found:
    type: str
    head: Mention
    tail: Mention
    rule: str
    confidence: float


def _pairs(
    subjects: Sequence[Occurrence | Mention],
    objects: Sequence[Occurrence],
    pairwise: bool,
) -> list[tuple[Mention, Mention]]:
    heads = [x.mention if isinstance(x, Occurrence) else x for x in subjects]
    tails = [o.mention for o in objects]
    if pairwise and len(heads) == len(tails) > 1:
        return list(zip(heads, tails, strict=True))
    return [(h, t) for h in heads for t in tails]


def _typed(relation_of: dict[str, str], head: Mention, tail: Mention) -> str | None:
    relation = relation_of.get(tail.type)
    if relation is None:
        return None
    domain, scope = RELATION_SIGNATURES[relation]
    if head.type not in domain or tail.type not in scope:
        return None
    return relation


def _cue_objects(
    s: _Sentence, name: str, match: re.Match
) -> tuple[dict[str, str], list[Occurrence], int]:
    """What a cue's object list holds, and which relation each object's type gives.

    Returns the relation per object type, the objects, and where the words before them start.
    """
    t = s.template
    relation_of = _CUES[name][1]
    joining = name == "uses" and _JOINING.search(match.group()) is not None
    objects, filler_start, objects_end = _objects(s, match.end(), joining=joining)
    if not objects:
        return relation_of, [], filler_start
    clause = _clause_start(t, match.start())
    if name in ("using", "dataset-use"):
        # A dataset used in a clause about evaluation ("we validate ... using LibriSpeech") is
        # evaluated on; elsewhere it may be anything.
        relation_of = dict(relation_of)
        if _EVALUATION_WORD.search(t, clause, match.start()):
            relation_of["Dataset"] = "evaluatedOn"
        else:
            relation_of.pop("Dataset", None)
    if name == "using":
        if _MAKING.match(t, objects_end):
            return relation_of, [], filler_start
        relation_of["Language"] = "forLanguage"
        analysing = _ANALYSIS.search(t, clause, match.start()) is not None
        # "using X" is too common to mean "X is a component" for a model, unless its role
        # says so ("using a LLaMA-7B student model", "using GPT-4 as the teacher").
        literal = re.search(r"\busing$", match.group(), re.IGNORECASE) is not None
        role = _ROLE.match(t, objects_end) is not None
        language_data = _LANGUAGE_DATA.match(t, objects_end) is not None

        def keep(o: Occurrence) -> bool:
            kind = o.mention.type
            if kind == "Dataset":
                return True
            if kind == "Language":
                return language_data
            if analysing:
                return False
            return not (kind == "Model" and literal and not role)

        objects = [o for o in objects if keep(o)]
    return relation_of, [o for o in objects if _object_ok(s, o, relation_of)], filler_start


def _cue_relations(s: _Sentence) -> list[_Found]:
    t = s.template
    found: list[_Found] = []
    respectively = _RESPECTIVELY.search(t) is not None
    for match in _CUE_RE.finditer(t):
        name = _CUE_ORDER[int(match.lastgroup[1:])]
        _, _, policy, confidence = _CUES[name]
        relation_of, objects, filler_start = _cue_objects(s, name, match)
        if not objects:
            continue
        if policy == "passive":
            targets, window = _subjects(s, match.start(), "near", frozenset({"Model", "Method"}))
            if not targets or _NEGATION.search(t, window, filler_start):
                continue
            for head, tail in _pairs(objects, targets, False):
                if (rel := _typed(relation_of, head, tail)) is not None:
                    found.append(_Found(rel, head, tail, "cue-" + name, confidence))
            continue
        if policy == "main-evaluation" and not _EVALUATION_WORD.search(t):
            continue
        domains = frozenset().union(*(RELATION_SIGNATURES[r][0] for r in relation_of.values()))
        subjects, window = _subjects(s, match.start(), policy, domains)
        if not subjects or _NEGATION.search(t, window, filler_start):
            continue
        nominal = name == "trained-on" and _NOMINAL_TRAINING.match(match.group().lstrip())
        for head, tail in _pairs(subjects, objects, respectively or bool(nominal)):
            if head is not tail and (rel := _typed(relation_of, head, tail)) is not None:
                found.append(_Found(rel, head, tail, "cue-" + name, confidence))
        if nominal:
            found += _training_results(s, match, subjects, objects)
    return found


def _training_results(
    s: _Sentence,
    match: re.Match,
    subjects: Sequence[Occurrence | Mention],
    objects: Sequence[Occurrence],
) -> list[_Found]:
    """ "Our method speeds up BERT fine-tuning on GLUE": our method has a result on GLUE."""
    primary = s.primary
    if primary is None or primary.type not in ("Model", "Method"):
        return []
    t = s.template
    ours = _WE.search(t, 0, match.start()) is not None or any(
        _is_primary(s, o) for o in s.occurrences[: _index_before(s, match.start())]
    )
    heads = {x.mention.text if isinstance(x, Occurrence) else x.text for x in subjects}
    if not ours or primary.text in heads:
        return []
    return [
        _Found("evaluatedOn", primary, o.mention, "training-result", 0.65)
        for o in objects
        if o.mention.type == "Dataset"
    ]


def _object_ok(s: _Sentence, o: Occurrence, relation_of: dict[str, str]) -> bool:
    if o.mention.type not in relation_of:
        return False
    at = _marker_start(s, o)
    if _excluded(s, at) or _BASELINES.match(s.template, at + 2):
        return False
    if _inside_longer_name(s.template, at, at + 2):
        return False
    if _PLURAL_KIND_AFTER.match(s.template, at + 2) and _GENERIC_BEFORE.search(
        s.template[max(0, at - 30) : at]
    ):
        return False
    return not (o.mention.type == "Method" and _CLASS_MODIFIER.match(s.template, at + 2))


def _verb_first_relations(s: _Sentence) -> list[_Found]:
    """ "fine-tune X on D", "we evaluate X on D", "adapt X, a ... model, for L1 and L2"."""
    t = s.template
    found: list[_Found] = []
    if s.in_title:
        return found
    for m in _VERB_FIRST.finditer(t):
        subjects, after = _list_at(s, m.end())
        subjects = [o for o in subjects if o.mention.type in ("Model", "Method")]
        if not subjects:
            continue
        relation_of = _VERB_FAMILY[_verb_family(m.group("verb"))]
        clause_end = _clause_end(t, after)
        if _NEGATION.search(t, _clause_start(t, m.start()), m.start()):
            continue
        for prep in _PREPOSITION.finditer(t, after, clause_end):
            objects, filler_start, _ = _objects(s, prep.end())
            objects = [o for o in objects if _object_ok(s, o, relation_of)]
            if not objects or _NEGATION.search(t, after, filler_start):
                continue
            respectively = _RESPECTIVELY.search(t) is not None
            for head, tail in _pairs(subjects, objects, respectively):
                if (rel := _typed(relation_of, head, tail)) is not None:
                    found.append(_Found(rel, head, tail, "verb-object", 0.75))
    return found


def _index_before(s: _Sentence, pos: int) -> int:
    """How many occurrences of the sentence start before template offset ``pos``."""
    return sum(1 for m in _ENTITY.finditer(s.template, 0, pos))


def _marker_start(s: _Sentence, o: Occurrence) -> int:
    return s.template.index(_MARK + chr(_FIRST + s.occurrences.index(o)))


def _structural_relations(s: _Sentence) -> list[_Found]:
    """Apposition, "Y-based models such as", "compared with", language modifiers."""
    t = s.template
    found: list[_Found] = []
    model_or_method = frozenset({"Model", "Method"})
    for m in _APPOSITION.finditer(t):
        base = s.occurrence(m.group("base"))
        if base is None or base.mention.type not in model_or_method:
            continue
        clause = _clause_start(t, m.start())
        anchors, _ = _list_ending_at(s, m.start(), clause)
        if not anchors or _ENTITY.search(t, m.start(), m.start("base")):
            continue
        if _NEGATION.search(t, m.start(), m.end()):
            continue
        for a in anchors:
            if a.mention.type in model_or_method and a.mention is not base.mention:
                found.append(_Found("basedOn", a.mention, base.mention, "apposition", 0.75))
    for m in _BASED_LIST.finditer(t):
        base = s.occurrence(m.group("base"))
        if base is None or base.mention.type not in model_or_method:
            continue
        items, _ = _list_at(s, m.end())
        for item in items:
            if item.mention.type in model_or_method and item.mention is not base.mention:
                found.append(_Found("basedOn", item.mention, base.mention, "based-list", 0.75))
    compared = _COMPARED.match(t)
    if compared:
        rest = compared.start("rest")
        tails, _, end = _objects(s, rest, max_filler=4)
        comma = t.find(",", end)
        if tails and comma >= 0 and not _NEGATION.search(t, 0, len(t)):
            after = t[comma + 1 :]
            subject = _ENTITY.match(after.lstrip())
            heads: list[Occurrence | Mention] = []
            verb_at = 0
            if subject:
                occurrence = s.occurrence(subject.group())
                if occurrence is not None:
                    heads = [occurrence]
                    verb_at = len(after) - len(after.lstrip()) + subject.end()
            elif s.primary is not None and (
                we := re.match(
                    r"\s*(?:we|our\s+(?:\w+\s+){0,2}?(?:model|method|approach|framework|system)"
                    r"|it|the\s+proposed\s+\w+)\b",
                    after,
                    re.IGNORECASE,
                )
            ):
                heads, verb_at = [s.primary], we.end()
            if heads and _BETTER_VERB.match(after[verb_at:]):
                for head, tail in _pairs(heads, tails, False):
                    if head is not tail and (
                        _typed({"Model": "outperforms", "Method": "outperforms"}, head, tail)
                    ):
                        found.append(_Found("outperforms", head, tail, "compared-with", 0.7))
    for m in _LANGUAGE_BEFORE.finditer(t):
        lang, named = s.occurrence(m.group("lang")), s.occurrence(m.group("name"))
        if lang is None or named is None or lang.mention.type != "Language":
            continue
        if named.mention.type in ("Model", "Dataset"):
            found.append(
                _Found("forLanguage", named.mention, lang.mention, "language-modifier", 0.65)
            )
    return found


# ---------------------------------------------------------------------------------------------
# Whole paper


def _name_built_on(proposed: Mention, known: Mention) -> bool:
    """Whether a proposed name is a known name with a word grown onto its front, CamelCase:
    "HindTweetBERT", "DistilBERT", "AdaLoRA".

    Names joined by a space or hyphen ("White-Box Diffusion Transformer", "Dyn-Perceiver")
    describe rather than derive, and one-letter prefixes ("xCoT", "mBERT") are too often
    something else; neither counts.
    """
    p, k = proposed.text, known.text
    if len(k) < 3 or not k[0].isupper() or not p.endswith(k):
        return False
    prefix = p[: -len(k)]
    return len(prefix) >= 3 and prefix.isalpha() and prefix[0].isupper() and prefix[-1].islower()


def find_relations(
    title: str,
    abstract: str,
    mentions: Sequence[Mention],
    sentence_starts: Sequence[int],
    aliases: Sequence[AliasPair] = (),
) -> tuple[Relation, ...]:
    """The relations the title and abstract state between the paper's mentions.

    Args:
        title: The paper's title.
        abstract: The paper's abstract.
        mentions: The mentions ``kg_entities`` found (one per type and name).
        sentence_starts: Start offsets of the sentences of ``title + "\\n\\n" + abstract``.
        aliases: The acronym definitions of the paper: a name and its acronym are one thing,
            never related to each other.

    Returns:
        One relation per (type, head, tail), the most confident (then the earliest) kept; in
        text order.
    """
    if not mentions:
        return ()
    text = f"{title}\n\n{abstract}"
    abstract_start = len(title) + 2
    occurrences = find_occurrences(text, mentions)
    primary = primary_artefact(mentions)
    prefix = (
        primary is not None
        and primary.field == "title"
        and primary.start <= 2
        and title[primary.end : primary.end + 1] == ":"
    )
    bounds = _bounds(text, title, sentence_starts)
    found: list[tuple[_Found, int, int]] = []
    o_at = 0
    for start, end in bounds:
        while o_at < len(occurrences) and occurrences[o_at].start < start:
            o_at += 1
        inside = []
        j = o_at
        while j < len(occurrences) and occurrences[j].end <= end:
            inside.append(occurrences[j])
            j += 1
        if not inside or len(inside) > _MAX_OCCURRENCES:
            continue
        if len(inside) == 1 and primary is None:
            continue
        in_title = start < len(title)
        base = 0 if in_title else abstract_start
        sentence = _Sentence(
            _template(text, start, end, inside),
            inside,
            "title" if in_title else "abstract",
            start - base,
            end - base,
            in_title,
            primary,
            prefix,
        )
        for f in (
            _cue_relations(sentence)
            + _verb_first_relations(sentence)
            + _structural_relations(sentence)
        ):
            found.append((f, start, end))
    found += _paper_level(text, title, mentions, occurrences, primary, prefix, bounds)
    same = {name_key(a.short): name_key(a.long) for a in aliases}
    same.update({v: k for k, v in list(same.items())})
    return _best(found, len(title), abstract_start, same)


def _bounds(text: str, title: str, sentence_starts: Sequence[int]) -> list[tuple[int, int]]:
    """(start, end) of every sentence, trimmed of surrounding whitespace; the title is one."""
    starts = sorted({0, *(s for s in sentence_starts if s >= len(title) + 2)})
    out = []
    for i, s in enumerate(starts):
        e = starts[i + 1] if i + 1 < len(starts) else len(text)
        if s == 0:
            e = len(title)
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _paper_level(
    text: str,
    title: str,
    mentions: Sequence[Mention],
    occurrences: list[Occurrence],
    primary: Mention | None,
    prefix: bool,
    bounds: list[tuple[int, int]],
) -> list[tuple[_Found, int, int]]:
    """Names formed on known names, and the components a paper introduces for its artefact."""
    found = []
    starts = [b[0] for b in bounds]

    def sentence_of(offset: int) -> tuple[int, int]:
        i = max(bisect.bisect_right(starts, offset) - 1, 0)
        return bounds[i]

    known = [m for m in mentions if m.type in ("Model", "Method") and not m.proposed]
    first_at: dict[int, Occurrence] = {}
    for o in occurrences:
        first_at.setdefault(id(o.mention), o)
    for p in mentions:
        if not p.proposed or p.type not in ("Model", "Method"):
            continue
        at = first_at.get(id(p))
        if at is None:
            continue
        head = p
        if prefix and primary is not None and at.start < len(title):
            # "SPAM: Spike-Aware Adam with ...": the title's description names the prefix.
            if title[: at.start].rstrip().endswith(":"):
                head = primary
        for k in known:
            if _name_built_on(p, k) and name_key(k.text) != name_key(head.text):
                s, e = sentence_of(at.start)
                found.append((_Found("basedOn", head, k, "name-built-on", 0.6), s, e))
    if primary is None:
        return found
    for p in mentions:
        if p is primary or not p.proposed or p.type != "Method":
            continue
        if name_key(p.text) == name_key(primary.text):
            continue
        at = first_at.get(id(p))
        if at is None:
            continue
        s, e = sentence_of(at.start)
        before, after = text[max(s, at.start - 80) : at.start], text[at.end : e]
        if _COMPONENT_BEFORE.search(before) or _COMPONENT_AFTER.match(after):
            if not _NEGATION.search(text[s : at.start]):
                found.append((_Found("uses", primary, p, "component", 0.6), s, e))
    return found


def _best(
    found: list[tuple[_Found, int, int]],
    title_length: int,
    abstract_start: int,
    same: dict[str, str],
) -> tuple[Relation, ...]:
    best: dict[tuple[str, str, str, str, str], tuple[_Found, int, int]] = {}
    for f, start, end in found:
        head, tail = name_key(f.head.text), name_key(f.tail.text)
        if head == tail or same.get(head) == tail:
            continue
        key = (f.type, f.head.type, f.head.text, f.tail.type, f.tail.text)
        kept = best.get(key)
        if kept is None or (f.confidence, -start) > (kept[0].confidence, -kept[1]):
            best[key] = (f, start, end)
    relations = []
    for f, start, end in sorted(best.values(), key=lambda x: (x[1], x[0].type, x[0].head.text)):
        in_title = start < title_length
        base = 0 if in_title else abstract_start
        relations.append(
            Relation(
                type=f.type,
                head=f.head.text,
                head_type=f.head.type,
                tail=f.tail.text,
                tail_type=f.tail.type,
                field="title" if in_title else "abstract",
                start=start - base,
                end=end - base,
                rule=f.rule,
                confidence=f.confidence,
            )
        )
    return tuple(relations)


# ---------------------------------------------------------------------------------------------
# The spaCy component


@Language.factory("kg_relations", assigns=["doc._.kg_extraction"], default_config={})
def make_relations_component(nlp: Language, name: str) -> RelationsComponent:
    """Create the component that adds the relations between ``kg_entities``' mentions."""
    return RelationsComponent()


class RelationsComponent:
    """Runs :func:`find_relations` on a Doc's extraction; must come after ``kg_entities``."""

    def __call__(self, doc: Doc) -> Doc:
        from graph.extract.entities import sentence_starts

        extraction: Extraction | None = doc._.kg_extraction
        if extraction is None or not extraction.mentions:
            return doc
        title_length = doc._.title_length or 0
        text = doc_text(doc)
        title, abstract = text[:title_length], text[title_length + 2 :]
        relations = find_relations(
            title, abstract, extraction.mentions, sentence_starts(doc), extraction.aliases
        )
        if relations:
            doc._.kg_extraction = replace(extraction, relations=relations)
        return doc


__all__ = [
    "Occurrence",
    "RelationsComponent",
    "find_occurrences",
    "find_relations",
    "primary_artefact",
]
