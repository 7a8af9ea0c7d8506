"""The cues of relations, and the words around them, as regular expressions over templates.

A template is a sentence with every occurrence of a mention replaced by a placeholder
(:data:`MARK`, then a character numbering it) and every other character outside printable
ASCII by an ASCII stand-in (see :class:`graph.extract.relations.sentence.Sentence`): the
expressions here read ASCII plus placeholders, and a template is Latin-1 text. The cue scanner
runs on RE2 over the template's Latin-1 bytes (one linear-time pass per sentence, where Python's
engine took fifty times longer on this alternation); the expressions used around a cue, a few
times per sentence, run on Python's engine.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import re2

#: A placeholder: the marker (DEL), then one character numbering the occurrence in its
#: sentence, from the C1 controls (neither word characters nor spaces in either engine; NEL,
#: U+0085, is a space to Python and is left out).
MARK = "\x7f"
NUMBERS = "".join(chr(c) for c in range(0x80, 0xA0) if c != 0x85)
MAX_OCCURRENCES = len(NUMBERS)
E = MARK + "[\x80-\x9f]"
ENTITY = re.compile(E)
_LATIN1 = re2.Options()
_LATIN1.encoding = re2.Options.Encoding.LATIN1
#: Python's ``\s`` on ASCII text, for RE2 (whose ``\s`` lacks \v and \x1c-\x1f).
_S = r"[\t\n\v\f\r \x1c-\x1f]"
#: One word of filler: neither a placeholder nor clause punctuation.
_FILLER = rf"[^\s{MARK},;:]+"

# ------------------------------------------------------------------------------------- cues


@dataclass(frozen=True)
class Cue:
    """A family of cue phrases.

    Attributes:
        name: The family; statements record ``cue-<name>`` as their rule.
        expression: What the phrase looks like (Python ``re`` syntax, no lookarounds).
        relation_of: The relation each type of object gives ("trained on" a dataset is
            ``trainedOn``, "trained in" a language ``forLanguage``).
        policy: How the subject is found: ``near`` (the nearest entity before the cue, else the
            paper's artefact when the clause speaks as "we"), ``explicit`` (a named entity
            right before), ``adjacent`` (an entity at most two words before), ``main`` (our
            artefact when the clause speaks for it, else the clause's first entity),
            ``main-evaluation`` (``main``, in a sentence about evaluation), ``primary`` (only
            our artefact), ``passive`` (the object list is the subject: "is outperformed by").
        confidence: How sure the family is, in [0, 1].
        objects: The entity types the family can take as objects (for picking the families a
            sentence can use at all).
        local: Whether the phrases are single common words ("on", "for") looked for only
            right before an object of the family's types, not by the scanner.
    """

    name: str
    expression: str
    relation_of: dict[str, str]
    policy: str
    confidence: float
    objects: frozenset[str]
    local: bool = False


_MODEL_OR_METHOD = {"Model": "", "Method": ""}


def _cue(
    name: str,
    expression: str,
    relation_of: dict[str, str],
    policy: str,
    confidence: float,
    extra: tuple[str, ...] = (),
    local: bool = False,
) -> Cue:
    objects = frozenset(relation_of) | set(extra)
    return Cue(name, expression, relation_of, policy, confidence, objects, local)


_OUTPERFORMS = {"Model": "outperforms", "Method": "outperforms"}
_BASED_ON = {"Model": "basedOn", "Method": "basedOn"}
_USES = {"Model": "uses", "Method": "uses"}
_BE = r"(?:(?:is|are|was|were|be|been|being)\s+)?"

#: Every cue family, in the order the scanner prefers them where two start at one place.
CUES: tuple[Cue, ...] = (
    _cue(
        "outperformed-by",
        r"(?:is|are|was|were|being|been)\s+(?:(?:\w+ly|also|even|still|further)\s+)*"
        r"(?:outperformed|surpassed|beaten|"
        r"exceeded|outstripped|outclassed)\s+by",
        _OUTPERFORMS,
        "passive",
        0.8,
    ),
    _cue(
        "outperforms",
        r"(?:outperform(?:s|ed|ing)?|surpass(?:es|ed|ing)?|beat(?:s|ing)?|exceed(?:s|ed|ing)?|"
        r"outstrip(?:s|ped|ping)?|outpac(?:es|ed|ing)|outclass(?:es|ed|ing)?"
        r"|(?:perform(?:s|ed|ing)?|work(?:s|ed|ing)?|is|are|was|were|being)\s+(?:\w+\s+)?"
        r"(?:better|superior|stronger)\s+(?:than|to)|(?:better|superior|stronger)\s+than"
        r"|superior\s+to|(?:is|are|was|were|being)\s+(?:\w+\s+)?more\s+(?:[\w]+-)?(?:efficient|"
        r"accurate|robust|effective|stable|scalable|reliable|faithful|expressive)\s+than"
        r"|improv(?:es|ed|ing)\s+(?:up)?on|(?:gains?|improvements?|advantages?|speed-?ups?)\s+"
        r"(?:\w+\s+){0,3}?(?:over|compared\s+(?:to|with)|relative\s+to)"
        r"|(?:achiev|obtain|deliver|yield|show|demonstrat|exhibit|attain)(?:s|es|ed|ing)?\s+"
        r"(?:\w+\s+){0,3}?"
        r"(?:better|higher|superior|stronger)\s+(?:\w+\s+){0,3}?(?:than|over|to))",
        _OUTPERFORMS,
        "near",
        0.8,
    ),
    _cue(
        "based-on",
        _BE + r"(?:(?:built|based|constructed|developed|founded|grounded)\s+(?:up)?on"
        r"(?:\s+top\s+of)?|(?:builds?|building)\s+(?:up)?on(?:\s+top\s+of)?|on\s+top\s+of|"
        r"(?:derived|distilled|initiali[sz]ed|adapted|converted|evolv(?:es|ed|ing)|fine-?tuned|"
        r"finetuned|"
        r"obtained|continued)\s+from|initiali[sz]ed\s+with|extends|extending|inherits?\s+from)",
        _BASED_ON,
        "near",
        0.8,
    ),
    _cue(
        "variant-of",
        _BE + r"(?:an?\s+|the\s+)?(?:[\w-]+\s+)?(?:extension|variant|version|adaptation|"
        r"modification|generali[sz]ation|derivative|successor|descendant|instantiation|"
        r"speciali[sz]ation)s?\s+of",
        _BASED_ON,
        "explicit",
        0.75,
    ),
    _cue(
        "trained-on",
        r"(?:(?:pre-?|post-?|re-?|further\s+|continually\s+|instruction[- ])?"
        r"(?:train(?:s|ed|ing)?|fine-?tun(?:e|es|ed|ing)|finetun(?:e|es|ed|ing)|tun(?:e|ed|ing))|"
        r"pre-?train(?:s|ed|ing)?)\s+(?:\w+\s+){0,3}?(?:on|using|with|in|over)",
        {"Dataset": "trainedOn", "Language": "forLanguage"},
        "near",
        0.8,
    ),
    _cue(
        "evaluated-on",
        r"(?:evaluat(?:e|es|ed|ing|ions?)|test(?:s|ed|ing)?|validat(?:e|es|ed|ing|ion)"
        r"|benchmark(?:s|ed|ing)?|assess(?:es|ed|ing|ment)?|experiments?|experimented"
        r"|experimental\s+results?|results?|performances?|accurac(?:y|ies)|scores?"
        r"|improvements?|gains?|state-of-the-art|sota|perplexity|error\s+rates?|speed-?ups?"
        r"|\d+(?:\.\d+)?\s*(?:%|x|points?|pp)|match(?:es|ed|ing)|achiev(?:es|ed|ing)"
        r"|attain(?:s|ed|ing)|obtain(?:s|ed|ing)|reach(?:es|ed|ing)|sets?|establish(?:es|ed|ing)"
        r"|ranks?|ranked|outperform(?:s|ed|ing)?|surpass(?:es|ed|ing)?|improv(?:es|ed|ing)"
        rf"|speed(?:s|ing)?\s+up|reduc(?:es|ed|ing))\s+(?:{_FILLER}\s+){{0,6}}?"
        r"(?:on|across|over|against)",
        {"Dataset": "evaluatedOn", "Language": "forLanguage"},
        "main",
        0.75,
    ),
    _cue(
        "evaluation-list",
        r"(?:(?:datasets?|benchmarks?|corpora|suites?|test\s+sets?|platforms|leaderboards)\s*"
        r"[(,]?\s*(?:such\s+as|including|like|e\.g\.,?|i\.e\.,?|namely|:)\b"
        r"|(?:datasets|benchmarks|corpora|suites|test\s+sets)\s*\()",
        {"Dataset": "evaluatedOn"},
        "main-evaluation",
        0.7,
    ),
    _cue(
        "uses",
        r"(?:uses?|utili[sz]e[sd]?|employ(?:s|ed)?|leverage[sd]?|adopt(?:s|ed)?|incorporate[sd]?|"
        r"integrate[sd]?|combine[sd]?|appl(?:ies|ied|y)|exploit(?:s|ed)?|harness(?:es|ed)?|"
        r"rel(?:ies|y)\s+on|(?:is|are)\s+equipped\s+with|consists?\s+of|comprise[sd]?|"
        r"(?:is|are)\s+composed\s+of|(?:is|are)\s+powered\s+by|connects?|(?:is|are)\s+driven"
        r"\s+by|(?:the\s+)?use\s+of|replac(?:e|es|ed|ing)|(?:improved|trained|optimi[sz]ed|"
        r"aligned|fine-?tuned|tuned|modified|augmented|accelerated|boosted|"
        r"learned|regulari[sz]ed|enhanced|refined)\s+(?:\w+\s+)?(?:through|via|by))",
        _USES,
        "near",
        0.7,
    ),
    _cue(
        "using",
        r"(?:(?:by|through|while|when)\s+)?(?:using|utili[sz]ing|employing|leveraging|adopting|"
        r"incorporating|integrating|combining|applying|exploiting|harnessing|relying\s+on)|"
        r"by\s+means\s+of|with\s+the\s+help\s+of",
        _USES,
        "primary",
        0.65,
        extra=("Dataset", "Language"),
    ),
    _cue(
        "means",
        r"(?:via|through)",
        {"Method": "uses"},
        "primary",
        0.6,
    ),
    _cue(
        "involves",
        r"(?:involv(?:es|ed)|contains)",
        _USES,
        "near",
        0.65,
    ),
    _cue(
        "introduces",
        # named subjects only: "we introduce X" proposes X, "FooNet introduces X" uses it
        r"introduc(?:es|ed)",
        _USES,
        "explicit",
        0.65,
    ),
    _cue(
        "dataset-use",
        r"(?:using|with|on|across)",
        {"Dataset": "evaluatedOn"},
        "main-evaluation-clause",
        0.65,
        local=True,
    ),
    _cue(
        "verb-object",
        r"(?:(?:pre-?|re-?|further\s+|continually\s+)?(?:train(?:s|ed|ing)?|"
        r"(?:fine-?|fine\s)?tun(?:e|es|ed|ing)|finetun(?:e|es|ed|ing))|adapt(?:s|ed|ing)?|tailor(?:s|ed|ing)?|extend(?:s|ed|ing)?|"
        r"port(?:s|ed|ing)?|speciali[sz](?:e|es|ed|ing)|evaluat(?:e|es|ed|ing)|test(?:s|ed|ing)?|"
        rf"benchmark(?:s|ed|ing)?|assess(?:es|ed|ing)?)\s+(?:(?:the|a|an|our|both|all|several)\s+)?"
        rf"{MARK}",
        {"Dataset": "", "Language": ""},
        "verb-object",
        0.75,
    ),
    _cue(
        "for-language",
        r"(?:for|in|covering|covers|cover|spanning|spans|supporting|supports|of)",
        {"Language": "forLanguage"},
        "adjacent",
        0.7,
        local=True,
    ),
)
#: The :attr:`Cue.local` families, each with its words as one expression: where the last of
#: them before an object is, if any.
LOCAL_CUES: tuple[tuple[Cue, re.Pattern], ...] = tuple(
    (c, re.compile(rf"\b(?:{c.expression})\b", re.IGNORECASE)) for c in CUES if c.local
)


def _bounded(cue: Cue) -> str:
    # a cue ending at a placeholder's marker or a bracket has no word boundary after it
    end = "" if cue.expression.endswith((MARK, r"\()")) else r"\b"
    return (rf"\b(?:{cue.expression}){end}").replace(r"\s", _S)


class CueScanner:
    """Finds the cue phrases of some families in a template's Latin-1 bytes.

    One RE2 alternation without capturing groups finds where the phrases are (RE2 is much
    slower when it must also say which group matched); a full-match set over each phrase then
    tells its family: the first family whose expression matches the whole phrase is the
    alternative the scan took (leftmost-first: an earlier family matching there would have
    won).
    """

    def __init__(self, cues: tuple[Cue, ...]) -> None:
        self.cues = cues
        self._scan = re2.compile(
            ("(?i)" + "|".join(_bounded(c) for c in cues)).encode("latin-1"), _LATIN1
        )
        self._families = re2.Set.FullMatchSet(_LATIN1)
        for c in cues:
            self._families.Add(("(?i)" + _bounded(c)).encode("latin-1"))
        self._families.Compile()

    def finditer(self, data: bytes):
        """(cue, start, end) of every phrase, left to right, not overlapping."""
        for m in self._scan.finditer(data):
            start, end = m.span()
            families = self._families.Match(data[start:end])
            if families:
                yield self.cues[min(families)], start, end


@functools.lru_cache(maxsize=16)
def cue_scanner(object_types: frozenset[str]) -> CueScanner | None:
    """The scanner of the (non-local) cue families that can take objects of these types; None
    when no family can."""
    cues = tuple(c for c in CUES if c.objects & object_types and not c.local)
    return CueScanner(cues) if cues else None


# ----------------------------------------------------------------------- doubt and contrast

_NEGATION = (
    r"\b(?:not|never|no|neither|nor|fail(?:s|ed)?\s+to|cannot|unable\s+to|hardly|"
    r"lack(?:s|ing)?)\b|n't\b"
)
_HEDGE = (
    r"\b(?:may|might|could|would|should|whether|if|hypothesi[sz]e[sd]?|expect(?:s|ed)?\s+to|"
    r"aim(?:s|ed)?\s+to|seek(?:s)?\s+to|tr(?:y|ies|ied)\s+to|attempt(?:s|ed)?\s+to|"
    r"question|unclear|unknown|possibly|perhaps|potentially|conjecture)\b"
)
#: Words that deny what follows them: checked between the subject and the object.
NEGATION = re.compile(_NEGATION, re.IGNORECASE)
#: Words that make a whole clause uncertain: checked from the clause's start to the object.
HEDGE = re.compile(_HEDGE, re.IGNORECASE)
#: :data:`NEGATION` or :data:`HEDGE`, for RE2 over a template's Latin-1 bytes: one pass finds
#: both (the caller tells them apart with :data:`NEGATION`).
DOUBT = re2.compile(
    ("(?i)" + f"{_NEGATION}|{_HEDGE}".replace(r"\s", _S)).encode("latin-1"), _LATIN1
)
#: Phrases right before a name (maybe with determiners between) that make it a contrast or an
#: inspiration, never a participant: "unlike X", "instead of the X", "inspired by X".
EXCLUDING_PHRASES = frozenset(
    [
        *("unlike", "except", "besides", "apart from", "instead of", "rather than"),
        *("in contrast to", "as opposed to", "without", "inspired by", "motivated by"),
        *("in the spirit of", "compared with", "compared to", "versus", "vs", "vs."),
        *("against", "alternative to", "replaces", "replacing", "replace", "beyond", "than"),
    ]
)
#: The :data:`EXCLUDING_PHRASES` that name what is beaten when the cue is a comparison.
COMPARING = frozenset(
    ["than", "compared with", "compared to", "versus", "vs", "vs.", "against", "beyond"]
)
#: Words that may stand between an :data:`EXCLUDING_PHRASES` phrase and its name.
EXCLUDING_DETERMINERS = frozenset(
    [
        *("the", "a", "an", "both", "existing", "prior", "previous", "conventional"),
        *("standard", "popular", "traditional", "vanilla", "original", "classical", "other"),
        *("all", "any"),
    ]
)

# ----------------------------------------------------------------------------- clauses

_WE = (
    r"\b(?:we|our|us|it|its|this\s+(?:model|method|approach|framework|system|technique|work|"
    r"paper|algorithm|network|architecture|module|optimizer|strategy|pipeline)|the\s+proposed|"
    r"the\s+resulting)\b"
)
#: The clause speaks for the paper's own artefact (Python's engine, for a few positions).
WE = re.compile(_WE, re.IGNORECASE)
_PRONOUN = r"we|it|they|this|these|there|our|its|their"
_CLAUSE_BREAK = (
    r"[;:]|\s--?\s|,\s*(?:but|while|whereas|although|though|so|thus|hence|yet)\b|"
    rf",\s*and\s+(?:{_PRONOUN})\b|\b(?:but|while|whereas|although|though)\b|\.\s"
)
#: Where a clause ends, or :data:`WE` (RE2, one pass over a template's Latin-1 bytes; a match
#: starting with a letter of :data:`WE` is one, except the conjunctions). ", and" ends a clause
#: only before a new subject ("..., and we show"): the clause then starts at that subject.
CLAUSES_AND_WE = re2.compile(
    ("(?i)" + f"{_CLAUSE_BREAK}|{_WE}".replace(r"\s", _S)).encode("latin-1"), _LATIN1
)
CONJUNCTIONS = frozenset([b"but", b"while", b"whereas", b"although", b"though"])
#: The words of :data:`WE` that stand alone (the rest are "this model", "the proposed" ...).
WE_WORDS = frozenset([b"we", b"our", b"us", b"it", b"its"])
#: A relative clause between an entity and its verb: "X, which is built on Y".
RELATIVE = re.compile(r"\s*,?\s*(?:which|that|who)\s+", re.IGNORECASE)
#: The words between an entity and a name inside its appositive: "X, a 7B open PLM ...".
APPOSITIVE = re.compile(
    rf"\s*(?:,|--?)\s*(?:a|an|the|our|one|two|three|both|first|\d+)\b[^,;:(){MARK}]*",
    re.IGNORECASE,
)
#: An appositive or bracket set off inside a clause: ", a model trained mostly in English,".
APPOSITIVE_ASIDE = re.compile(r",[^,;:]*,|\([^()]*\)")
#: A verb that has a subject of its own: what follows it is no object of an earlier verb.
CLAUSE_VERB = re.compile(
    r"\b(?:is|are|was|were|has|have|had|can|will|shows?|showed|demonstrat\w*|yields?|"
    r"deliver\w*|outperform\w*|surpass\w*|achiev\w*|improv\w*|reach\w*|obtain\w*|"
    r"attain\w*|scores?|scored|exceed\w*|beats?|performs?|performed|sets?|leads?|results\s+in)\b",
    re.IGNORECASE,
)
#: A name right after a preposition (and maybe a determiner) is inside a phrase, not a
#: clause's subject ("works on X").
PREPOSITIONS = frozenset(
    [
        *("of", "on", "in", "for", "from", "with", "by", "to", "about", "over", "under", "at"),
        *("between", "among", "into", "than", "via", "through", "upon", "across", "within"),
    ]
)
DETERMINERS = frozenset(["the", "a", "an", "its", "their", "our", "this", "these", "those"])

# ------------------------------------------------------------------------------- lists

#: Words an object list may follow ("outperforms state-of-the-art optimizers such as").
FILLER_WORD = re.compile(rf"\s*(?:[(\[]\s*)?([^\s{MARK},;:()\[\]]+)\s*(?:,\s*)?")
FILLER_STOP = frozenset(
    [
        *("by", "than", "which", "that", "who", "whose", "while", "but", "and", "or"),
        *("with", "without", "when", "where", "as", "at", "from", "after", "before"),
        *("because", "since", "although", "though", "thus", "so", "via", "through"),
        *("into", "onto", "to", "on"),
    ]
)
FILLER_PAIRS = re.compile(
    r"\s*(?:such\s+as|including|like|e\.g\.,?|i\.e\.,?|namely|especially|particularly|"
    r"(?:those|the\s+ones?)\s+(?:of|(?:[a-z]+\s+)?by))\s*",
    re.IGNORECASE,
)
OPENING = re.compile(r"\s*[(\[]?\s*")
#: "combines A with B": what may stand between the two.
WITH_AFTER = re.compile(rf"\s+(?:{_FILLER}\s+){{0,3}}?with\s+", re.IGNORECASE)
WITH_WITHIN = re.compile(rf"\s*(?:{_FILLER}\s+){{1,3}}?with\s+", re.IGNORECASE)
#: Between two items of a coordinated list.
#: A list item that is no known name: one to three capitalised words ("Radiomics").
UNKNOWN_ITEM = re.compile(r"[A-Z][\w-]*(?: [A-Z][\w-]*){0,2}")
SEPARATOR = re.compile(
    r"\s*(?:,\s*(?:and|or|as\s+well\s+as)?|\band\b|\bor\b|\bas\s+well\s+as\b|/|&)\s*"
    rf"|-(?={E})",  # "English-Sinhala": a language pair
    re.IGNORECASE,
)
#: What may stand between a list's separator and its next item ("32.6% on", "the").
ITEM_LEAD = re.compile(
    r"(?:(?:the|both|also|even|several|other|all|its|their|our|on|in|of|for|to|"
    r"\d[\w.,%]*|up\s+to)\s+){0,3}",
    re.IGNORECASE,
)
#: What may follow a list item before the next separator ("GSM8K dataset", "ImageNet
#: classification").
ITEM_TAIL = re.compile(r"(?:\s+(?!and\b|or\b)[a-z][\w-]*){0,2}(?=\s*(?:,|\band\b|\bor\b|/|&))")
CONJUNCTION = re.compile(r"\b(?:and|or)\b|&|/", re.IGNORECASE)
RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)

# ------------------------------------------------------------------------ what names are

#: "Label Supervised LLaMA (LS-LLaMA)": a known name inside a longer name the text defines
#: (checked with a capitalised word right before).
DEFINED_AFTER = re.compile(rf"\s*\((?!{MARK})[A-Za-z][\w-]*\)")
#: A method named as the kind of some models ("Transformer language models", "MoE models").
CLASS_MODIFIER = re.compile(
    r"\s*(?:\([^)]{1,20}\)\s*)?(?:[\w-]+\s+)?(?:language\s+)?(?:models|LLMs|LMs|networks|"
    r"architectures|systems)\b",
)
#: The word after a name that may make it no participant: "data augmentation baselines" (maybe
#: after its acronym or one more word), "standard MMT benchmarks" (right after).
FOLLOWER = re.compile(
    r"\s*(?:(?:\([^)]{1,20}\)\s*)?(?:[\w-]+\s+)?(baselines?)|(benchmarks|datasets|tasks|corpora))\b",
    re.IGNORECASE,
)
#: A dataset's name used for a tool: "using the TinyAgent framework" names no data.
TOOL_AFTER = re.compile(
    r"\s+(?:framework|toolkit|library|tool|pipeline|package|platform|api)s?\b", re.IGNORECASE
)
#: "standard MMT benchmarks", "several GLUE tasks": a kind of dataset, not the dataset.
GENERIC_BEFORE = frozenset(
    [
        *("standard", "common", "popular", "several", "various", "multiple", "existing"),
        *("other", "many", "different", "diverse", "public", "widely-used", "typical"),
        "traditional",
    ]
)

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
