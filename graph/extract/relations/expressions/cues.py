"""The cue phrases of relations (:data:`CUES`) and the RE2 scanner that finds them in a template."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import re2

from graph.extract.relations.expressions.marks import _FILLER, _LATIN1, _S, MARK

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
