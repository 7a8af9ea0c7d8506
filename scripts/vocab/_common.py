"""Shared helpers for the SKOS vocabulary builders in ``scripts/vocab/``.

The vocabularies are *data*: curated tables live in ``scripts/vocab/curated/*.tsv`` and are turned
into Turtle here with a deterministic writer (concepts sorted by IRI, labels sorted, fixed layout),
so that regenerating a file without changing its sources gives a byte-identical result.

Curated table format (``models.tsv``, ``datasets.tsv``, ``methods.tsv``, ``stoplist.tsv``):
UTF-8, tab-separated, ``#`` starts a comment line, blank lines ignored. Columns::

    prefLabel <TAB> altLabels <TAB> broader <TAB> flags <TAB> wikidata

- altLabels: ``|``-separated surface variants (may be empty);
- broader: ``|``-separated prefLabels of broader concepts *in the same table* (the family);
- flags: comma-separated, any of
    ``cs``      force kg:caseSensitive true
    ``ci``      never case-sensitive (overrides the automatic common-word rule)
    ``family``  kg:familyName true (versioned/sized names are formed on it)
    ``ctx``     kg:needsContext true (too ambiguous to match on its own)
    ``noauto``  do not generate separator variants ("Llama 2" -> "Llama-2", "Llama2")
    ``short``   allow a label shorter than 3 characters (e.g. "T5")
    ``samever`` kg:sameRelease true: the labels carry different numbers but name one release
                ("YOLO9000" = "YOLOv2"); without it the build fails, since "CIFAR-10" and
                "CIFAR-100" are two datasets
- wikidata: a Q-number, only where it is certain.

Named series (SemEval tasks, WMT language pairs, CoNLL shared tasks ...) are written once as
templates in ``curated/series.tsv`` and expanded by ``series.py``.

Run ``python scripts/vocab/_common.py`` to regenerate datasets.ttl, methods.ttl, stoplist.ttl and
senses.ttl (the other-sense phrases of ``curated/senses.tsv``, see :func:`read_senses`);
``python scripts/vocab/build_models.py`` regenerates models.ttl. Both fail loudly on label clashes.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from releases import version_conflicts

ROOT = Path(__file__).resolve().parents[2]
VOCAB_DIR = ROOT / "ontology" / "vocab"
CURATED_DIR = Path(__file__).resolve().parent / "curated"

BASE = "https://w3id.org/paper-kg/vocab/"
# scheme name -> (IRI path segment for concepts, kg: class, file name)
SCHEMES = {
    "models": ("model", "Model", "models.ttl"),
    "datasets": ("dataset", "Dataset", "datasets.ttl"),
    "methods": ("method", "Method", "methods.ttl"),
    "stoplist": ("stop", None, "stoplist.ttl"),
    "senses": ("sense", None, "senses.ttl"),
}

PREFIXES = """@prefix kg:      <https://w3id.org/paper-kg/> .
@prefix kgv:     <https://w3id.org/paper-kg/vocab/> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix owl:     <http://www.w3.org/2002/07/owl#> .
@prefix wd:      <http://www.wikidata.org/entity/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
"""

KNOWN_FLAGS = {"cs", "ci", "family", "ctx", "noauto", "short", "samever"}

# A lowercased word whose spaCy log-probability is above this is treated as an English word, so a
# name spelled like it ("Falcon", "Gemini", "Phi", "CoT", "ZeRO") is matched case-sensitively.
# The spaCy table is estimated from web text; -13 alone would miss proper-noun-like words that still
# occur in ordinary prose ("falcon" -13.4, "phi" -15.3, "gemini" -16.2, "reformer" -16.0), so the
# threshold is set lower. It only decides *case*, never whether a label is kept.
COMMON_WORD_LOGPROB = -16.5


class VocabError(Exception):
    """A curated table or a generated vocabulary breaks a rule; the build must stop."""


# ----------------------------------------------------------------------------- text helpers


def norm_key(label: str) -> str:
    """Lowercase alphanumerics only; '+' counts ("RefCOCO+" is not "RefCOCO")."""
    s = unicodedata.normalize("NFKC", label).replace("+", "plus").lower()
    return "".join(ch for ch in s if ch.isalnum())


def slugify(label: str) -> str:
    s = unicodedata.normalize("NFKD", label.replace("+", " plus "))
    s = s.encode("ascii", "ignore").decode("ascii").lower()
    # Greek letters and other non-ASCII letters vanish in NFKD/ASCII; spell the common ones.
    for greek, name in (("α", "alpha"), ("β", "beta"), ("σ", "sigma"), ("π", "pi"), ("Σ", "sigma")):
        if greek in label and name not in s:
            s += "-" + name
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    if not s:
        raise VocabError(f"label {label!r} gives an empty slug")
    return s


def ttl_string(s: str) -> str:
    out = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{out}"'


_VERSION = re.compile(r"^\d+(\.\d+)*$")
_SIZE = re.compile(r"^(\d+(\.\d+)?[BMKTbmkt]|\d+x\d+[Bb]|\d+[on])$")


def separator_variants(label: str) -> set[str]:
    """Spelling variants at separators next to a version or size token.

    "Llama 2" -> {"Llama-2", "Llama2"}; "GPT-4 Turbo" -> {"GPT 4 Turbo"}; "Mistral 7B" ->
    {"Mistral-7B"}. Only separators whose left side has >= 3 alphanumerics are touched ("SD 1.5"
    would read as a standard deviation); a joined form is only made for a single-word name followed
    by a plain version number.
    """
    parts = re.split(r"([ -])", label)
    tokens, seps = parts[0::2], parts[1::2]
    if len(tokens) < 2:
        return set()

    def numeric(tok: str) -> bool:
        return bool(_VERSION.match(tok) or _SIZE.match(tok))

    swappable = []
    for i, _sep in enumerate(seps):
        left = "".join(tokens[: i + 1])
        if sum(ch.isalnum() for ch in left) < 3:
            continue
        if numeric(tokens[i + 1]) or (numeric(tokens[i]) and i > 0):
            swappable.append(i)
    if not swappable:
        return set()
    fixed = {seps[i] for i in range(len(seps)) if i not in swappable}
    out = set()
    # keep the style of the separators that are not touched: "Stable Diffusion 1.5" gets no
    # "Stable Diffusion-1.5", "DALL-E 2" gets "DALL-E-2" but no "DALL E 2".
    for new in [x for x in (" ", "-") if not fixed or fixed == {x}]:
        s = list(seps)
        for i in swappable:
            s[i] = new
        out.add("".join(t + (s[j] if j < len(s) else "") for j, t in enumerate(tokens)))
    if (
        len(tokens) == 2
        and swappable == [0]
        and tokens[0].isalpha()
        and len(tokens[0]) >= 3
        and _VERSION.match(tokens[1])
    ):
        out.add(tokens[0] + tokens[1])
    out.discard(label)
    return out


# ----------------------------------------------------------------------------- word frequencies


class Lexicon:
    """spaCy's English lexeme log-probabilities (spacy-lookups-data, en_lexeme_prob.json.gz)."""

    def __init__(self) -> None:
        try:
            import spacy_lookups_data
        except ImportError as exc:  # pragma: no cover - build-time dependency
            raise VocabError("pip install spacy-lookups-data (the 'vocab' extra)") from exc
        path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            self.prob: dict[str, float] = json.load(fh)

    def logprob(self, word: str) -> float:
        return self.prob.get(word.lower(), -99.0)

    def is_common(self, word: str) -> bool:
        return self.logprob(word) > COMMON_WORD_LOGPROB

    def all_words_common(self, label: str) -> bool:
        """True when every space-separated token is an alphabetic English word ("Falcon",
        "Stable Diffusion", "The Pile"); digits or hyphens make it a name ("GPT-J", "Llama 2")."""
        words = label.split(" ")
        if not words or any(not w.isalpha() for w in words):
            return False
        return all(self.is_common(w) for w in words)

    def reads_as_english(self, label: str, max_words: int = 2) -> bool:
        """A label of at most ``max_words`` words, all common English words: as a name it must keep
        its case. Longer descriptive long forms ("Deep Residual Network") are safe in any case."""
        return len(label.split(" ")) <= max_words and self.all_words_common(label)


# ----------------------------------------------------------------------------- concepts


@dataclass
class Concept:
    pref: str
    alts: list[str] = field(default_factory=list)
    broader: list[str] = field(default_factory=list)  # prefLabels in the same scheme
    flags: set[str] = field(default_factory=set)
    wikidata: str = ""
    notes: list[str] = field(default_factory=list)  # skos:editorialNote (provenance)
    definition: str = ""  # skos:definition (what an other-sense phrase names)

    def labels(self) -> list[str]:
        seen: dict[str, None] = {}
        for lab in [self.pref, *self.alts]:
            seen.setdefault(lab, None)
        return list(seen)

    def add_alt(self, label: str) -> None:
        label = label.strip()
        if label and label != self.pref and label not in self.alts:
            self.alts.append(label)


def read_table(path: Path) -> list[Concept]:
    concepts: list[Concept] = []
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) > 5:
            raise VocabError(f"{path.name}:{lineno}: more than 5 columns: {line!r}")
        cols += [""] * (5 - len(cols))
        pref, alts, broader, flags, qid = (c.strip() for c in cols)
        if not pref:
            raise VocabError(f"{path.name}:{lineno}: empty prefLabel")
        flagset = {f.strip() for f in flags.split(",") if f.strip()}
        bad = flagset - KNOWN_FLAGS
        if bad:
            raise VocabError(f"{path.name}:{lineno}: unknown flag(s) {sorted(bad)}")
        if qid and not re.fullmatch(r"Q[1-9][0-9]*", qid):
            raise VocabError(f"{path.name}:{lineno}: bad Wikidata id {qid!r}")
        c = Concept(pref=pref, flags=flagset, wikidata=qid)
        for a in alts.split("|"):
            c.add_alt(a)
        c.broader = [b.strip() for b in broader.split("|") if b.strip()]
        concepts.append(c)
    return concepts


def finalize(
    concepts: list[Concept], lex: Lexicon, *, auto_case: bool = True, max_words: int = 2
) -> None:
    """Add separator variants and decide case sensitivity, in place.

    ``max_words``: longest label (in words) that can make a concept case-sensitive because it reads
    as English. Model and dataset names of two common words ("Stable Diffusion", "Common Voice",
    "The Pile") must keep their case; method names are descriptive phrases ("batch
    normalization", "knowledge distillation") that are written in any case, so for methods only a
    one-word name ("Adam", "CoT", "ZeRO") triggers it.
    """
    for c in concepts:
        original = c.labels()
        if "noauto" not in c.flags:
            for lab in original:
                if lab == lab.lower() and "-" in lab and any(ch.isdigit() for ch in lab):
                    continue  # a checkpoint id ("gpt-4o-mini") is written exactly like that
                for v in sorted(separator_variants(lab)):
                    c.add_alt(v)
        if not auto_case or "ci" in c.flags:
            c.flags.discard("cs")
            continue
        # A name written with capitals whose lowercase form is ordinary English ("Falcon",
        # "ZeRO", "The Pile") must keep its case; lowercase-only labels ("dropout") keep
        # matching in any case.
        if "cs" not in c.flags and any(
            lab != lab.lower() and lex.reads_as_english(lab, max_words) for lab in c.labels()
        ):
            c.flags.add("cs")
        if "cs" in c.flags:
            for lab in list(c.labels()):
                # A descriptive long form (3+ words, no digits) that is not itself made of common
                # words is also written in lowercase ("Rotary Position Embedding" -> "rotary
                # position embedding"); acronyms inside it keep their case ("self-attention GAN").
                words = lab.split(" ")
                if (
                    len(words) >= 3
                    and not any(ch.isdigit() for ch in lab)
                    and not lex.all_words_common(lab)
                ):
                    low = " ".join(_lower_word(w, lex) for w in words)
                    if low != lab:
                        c.add_alt(low)
            for lab in original:
                # ... and a lowercase phrase also occurs sentence-initially ("Chain-of-thought").
                if (" " in lab or "-" in lab) and lab[:1].islower():
                    c.add_alt(lab[:1].upper() + lab[1:])


def _lower_word(word: str, lex: Lexicon) -> str:
    """Lowercase a Capitalised word (or hyphen-compound part) that is an ordinary English word;
    leave acronyms, camelCase and proper names ("Markov", "Hamiltonian") as they are."""
    out = []
    for p in word.split("-"):
        plain = p[:1].isupper() and p[1:] == p[1:].lower()
        out.append(p.lower() if plain and lex.is_common(p) else p)
    return "-".join(out)


def check_scheme(name: str, concepts: list[Concept], *, min_len: int = 3) -> None:
    """Fail loudly on duplicate labels (after normalisation), dangling broader links, etc."""
    errors: list[str] = []
    by_pref: dict[str, Concept] = {}
    slugs: dict[str, str] = {}
    owner: dict[str, str] = {}
    for c in concepts:
        if c.pref in by_pref:
            errors.append(f"duplicate prefLabel {c.pref!r}")
        by_pref[c.pref] = c
        slug = slugify(c.pref)
        if slug in slugs and slugs[slug] != c.pref:
            errors.append(f"slug {slug!r} shared by {slugs[slug]!r} and {c.pref!r}")
        slugs[slug] = c.pref
        for lab in c.labels():
            if lab != lab.strip() or "  " in lab:
                errors.append(f"{c.pref!r}: label {lab!r} has stray whitespace")
            key = norm_key(lab)
            if not key:
                errors.append(f"{c.pref!r}: label {lab!r} has no alphanumerics")
                continue
            if len(key) < min_len and "short" not in c.flags:
                errors.append(f"{c.pref!r}: label {lab!r} is shorter than {min_len} characters")
            if key in owner and owner[key] != c.pref:
                errors.append(f"label {lab!r} ({key}) is in both {owner[key]!r} and {c.pref!r}")
            owner.setdefault(key, c.pref)
    if name not in ("stoplist", "senses"):  # stop words and other senses are no releases
        errors += version_conflicts(concepts)
    for c in concepts:
        for b in c.broader:
            if b not in by_pref:
                errors.append(f"{c.pref!r}: broader {b!r} is not a prefLabel in {name}")
            elif b == c.pref:
                errors.append(f"{c.pref!r} is broader than itself")
    # cycles in skos:broader
    for c in concepts:
        seen, stack = set(), list(c.broader)
        while stack:
            b = stack.pop()
            if b == c.pref:
                errors.append(f"skos:broader cycle through {c.pref!r}")
                break
            if b in seen or b not in by_pref:
                continue
            seen.add(b)
            stack.extend(by_pref[b].broader)
    if errors:
        raise VocabError(f"{name}: {len(errors)} problem(s):\n  " + "\n  ".join(errors))


# ----------------------------------------------------------------------------- writing


def concept_iri(scheme: str, pref: str) -> str:
    return f"{BASE}{SCHEMES[scheme][0]}/{slugify(pref)}"


def render(scheme: str, concepts: list[Concept], header: str, scheme_props: list[str]) -> str:
    _seg, cls, _ = SCHEMES[scheme]
    iri_of = {c.pref: concept_iri(scheme, c.pref) for c in concepts}
    out = []
    for line in header.strip("\n").splitlines():
        out.append(("# " + line).rstrip())
    out.append("")
    out.append(PREFIXES)
    out.append(f"kgv:{scheme} a skos:ConceptScheme ;")
    out.append(";\n".join("    " + p for p in scheme_props) + " .")
    out.append("")
    for c in sorted(concepts, key=lambda c: iri_of[c.pref]):
        lines = [f"<{iri_of[c.pref]}> a skos:Concept", f"skos:inScheme kgv:{scheme}"]
        if cls:
            lines.append(f"kg:entityClass kg:{cls}")
        lines.append(f"skos:prefLabel {ttl_string(c.pref)}")
        alts = sorted(set(c.alts) - {c.pref}, key=lambda s: (s.lower(), s))
        if alts:
            lines.append("skos:altLabel " + ", ".join(ttl_string(a) for a in alts))
        for b in sorted(c.broader):
            lines.append(f"skos:broader <{iri_of[b]}>")
        if "cs" in c.flags:
            lines.append("kg:caseSensitive true")
        if "ctx" in c.flags:
            lines.append("kg:needsContext true")
        if "family" in c.flags:
            lines.append("kg:familyName true")
        if "samever" in c.flags:
            lines.append("kg:sameRelease true")
        if c.wikidata:
            lines.append(f"owl:sameAs wd:{c.wikidata}")
        if c.definition:
            lines.append(f"skos:definition {ttl_string(c.definition)}")
        for n in sorted(set(c.notes)):
            lines.append(f"skos:editorialNote {ttl_string(n)}")
        out.append(lines[0] + " ;\n" + " ;\n".join("    " + x for x in lines[1:]) + " .")
        out.append("")
    return "\n".join(out)


def write_if_changed(path: Path, text: str) -> bool:
    old = path.read_text(encoding="utf-8") if path.exists() else None
    if old == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def verify_parse(path: Path) -> int:
    """Parse with rdflib and pyoxigraph; return the number of skos:Concept subjects."""
    import pyoxigraph
    import rdflib

    g = rdflib.Graph()
    g.parse(path, format="turtle")
    skos = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
    n_rdflib = len(set(g.subjects(rdflib.RDF.type, skos.Concept)))
    with open(path, "rb") as fh:
        quads = list(pyoxigraph.parse(fh, format=pyoxigraph.RdfFormat.TURTLE))
    if len(quads) != len(g):
        raise VocabError(f"{path.name}: rdflib read {len(g)} triples, pyoxigraph {len(quads)}")
    return n_rdflib


# ----------------------------------------------------------------------------- cross-scheme check


def labels_in_file(path: Path) -> dict[str, list[tuple[str, bool, bool]]]:
    """norm key -> [(exact label, caseSensitive, needsContext)] for every label in a .ttl file."""
    import rdflib

    g = rdflib.Graph()
    g.parse(path, format="turtle")
    skos = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
    kg = rdflib.Namespace("https://w3id.org/paper-kg/")
    true = rdflib.Literal(True)
    out: dict[str, list[tuple[str, bool, bool]]] = {}
    for s in set(g.subjects(rdflib.RDF.type, skos.Concept)):
        cs = (s, kg.caseSensitive, true) in g
        ctx = (s, kg.needsContext, true) in g
        for p in (skos.prefLabel, skos.altLabel):
            for o in g.objects(s, p):
                out.setdefault(norm_key(str(o)), []).append((str(o), cs, ctx))
    return out


# Vocabularies built elsewhere that the cross-scheme check also reads (never writes).
OTHER_VOCABS = {"languages": "languages.ttl"}


def cross_check() -> None:
    """No label in two schemes (languages.ttl included), unless the two cannot be confused:
    both case-sensitive and spelled differently ("SuperGlue" the matcher, "SuperGLUE" the
    benchmark), or one side needs a context cue ("Sora" the model, "Sora" + "language")."""
    files = {s: f for s, (_seg, _cls, f) in SCHEMES.items()} | OTHER_VOCABS
    tables = {
        s: labels_in_file(VOCAB_DIR / f) for s, f in files.items() if (VOCAB_DIR / f).exists()
    }
    errors = []
    names = sorted(tables)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            for key in sorted(set(tables[a]) & set(tables[b])):
                la, lb = tables[a][key], tables[b][key]
                if all(
                    (ca and cb and xa != xb) or xa_ctx or xb_ctx
                    for xa, ca, xa_ctx in la
                    for xb, cb, xb_ctx in lb
                ):
                    continue
                errors.append(f"{a} {[x[0] for x in la]} vs {b} {[x[0] for x in lb]}")
    if errors:
        raise VocabError("labels shared between schemes:\n  " + "\n  ".join(errors))


# ----------------------------------------------------------------------------- curated schemes

HEADERS = {
    "datasets": (
        "Datasets, corpora, benchmarks, leaderboards, evaluation suites and knowledge resources",
        "(kg:Dataset) across NLP, vision, speech, RL, code, math, tabular, graphs and science.",
        "Labels are matched against paper titles/abstracts (case-insensitive unless "
        "kg:caseSensitive true).",
    ),
    "methods": (
        "Established named techniques (kg:Method): architectures, algorithms, training,",
        "adaptation, alignment, prompting, inference, optimisation, compression and evaluation",
        "procedures.",
        "Trained models are in models.ttl; generic phrases (fine-tuning, attention, sampling) are"
        " left out.",
    ),
    "stoplist": (
        "Stoplist: capitalised words and acronyms frequent in ML titles/abstracts that are NEVER",
        "a model, dataset or method name (sentence-initial words, generic field/task acronyms such",
        "as LLM, NLP, QA, NLI, metrics such as BLEU and FID, venues, organisations, software",
        "libraries, file formats, hardware and infrastructure words). kgv:stoplist has kg:role",
        '"stoplist"; the extractor must not propose these strings as entities. Its concepts have',
        "no kg:entityClass. Matching is meant to be exact-case.",
    ),
}


def curated_header(scheme: str) -> str:
    lines = list(HEADERS[scheme])
    lines += [
        "",
        f"Source: curated table scripts/vocab/curated/{scheme}.tsv and the {scheme} rows of",
        "scripts/vocab/curated/series.tsv (public knowledge of the field: papers, benchmark and",
        "dataset cards, shared-task overviews, leaderboards).",
        "Generated by: /work/venv/bin/python scripts/vocab/_common.py  -- do not edit by hand;",
        'edit the table and regenerate. Separator variants ("CIFAR-10" -> "CIFAR 10", "CIFAR10")',
        "and case sensitivity (names spelled like common English words, judged with spaCy's",
        "en_lexeme_prob from spacy-lookups-data) are added by the script.",
    ]
    return "\n".join(lines)


def build_curated(scheme: str, lex: Lexicon) -> tuple[Path, int]:
    from series import apply_series

    table = CURATED_DIR / f"{scheme}.tsv"
    concepts = read_table(table)
    apply_series(scheme, concepts)
    is_stop = scheme == "stoplist"
    finalize(concepts, lex, auto_case=not is_stop, max_words=1 if scheme == "methods" else 2)
    if is_stop:
        for c in concepts:  # stop words are listed in the exact case they are rejected in
            c.flags.add("cs")
    check_scheme(scheme, concepts, min_len=1 if is_stop else 3)
    if not is_stop:
        check_against_stoplist(scheme, concepts)
        check_sentinels(scheme, concepts)
    _seg, cls, fname = SCHEMES[scheme]
    props = [
        f"skos:prefLabel {ttl_string(scheme.capitalize())}",
        f"dcterms:source {ttl_string(f'scripts/vocab/curated/{scheme}.tsv')}",
    ]
    if cls:
        props.append(f"kg:entityClass kg:{cls}")
    if is_stop:
        props.append('kg:role "stoplist"')
        props.append(
            "skos:scopeNote "
            + ttl_string(
                "Capitalised words and acronyms that are never model/dataset/method names; "
                "the extractor drops candidate mentions equal to one of these labels."
            )
        )
    text = render(scheme, concepts, curated_header(scheme), props)
    path = VOCAB_DIR / fname
    write_if_changed(path, text)
    n = verify_parse(path)
    if n != len(concepts):
        raise VocabError(f"{fname}: wrote {len(concepts)} concepts, parsed {n}")
    return path, n


# ----------------------------------------------------------------------------- other senses

SENSES_HEADER = """\
Other senses (kgv:senses, kg:role "otherSenses"): phrases in which a name that the
vocabulary or the novel-name rules take for an ML artefact means something else -- a theorem
prover ("Otter theorem prover"), a clinical note format ("SOAP note"), a telescope ("Gemini
telescope"), a journal ("Phys. Rev. Lett"), a person, an animal, a device. The extractor drops
the ML reading of the words such a phrase covers, and of the same name elsewhere in the text.
Concepts have no kg:entityClass; skos:definition says what the phrase names.

Source: curated table scripts/vocab/curated/senses.tsv (public knowledge).
Generated by: /work/venv/bin/python scripts/vocab/_common.py  -- do not edit by hand."""


def read_senses(path: Path) -> list[Concept]:
    """The rows of ``senses.tsv``: phrase, other spellings (|), flags (``cs``), what it is."""
    concepts: list[Concept] = []
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cols = [c.strip() for c in raw.split("\t")]
        if len(cols) != 4 or not cols[0] or not cols[3]:
            raise VocabError(
                f"{path.name}:{lineno}: expected phrase, spellings, flags, what it is: {raw!r}"
            )
        phrase, alts, flags, definition = cols
        flagset = {f.strip() for f in flags.split(",") if f.strip()}
        if flagset - {"cs"}:
            raise VocabError(f"{path.name}:{lineno}: unknown flag(s) {sorted(flagset - {'cs'})}")
        c = Concept(pref=phrase, flags=flagset, definition=definition)
        for a in alts.split("|"):
            c.add_alt(a)
        concepts.append(c)
    return concepts


def check_senses(concepts: list[Concept]) -> None:
    """An other-sense phrase is never itself a name of the vocabularies (nor its plural): it
    would delete that name wherever it occurs, instead of the words around it."""
    names: dict[str, list[str]] = {}
    for scheme in ("models", "datasets", "methods", "languages"):
        fname = SCHEMES[scheme][2] if scheme in SCHEMES else OTHER_VOCABS[scheme]
        if (VOCAB_DIR / fname).exists():
            for key, entries in labels_in_file(VOCAB_DIR / fname).items():
                names.setdefault(key, []).extend(e[0] for e in entries)
    errors = []
    for c in concepts:
        for lab in c.labels():
            key = norm_key(lab)
            for k in (key, key[:-1] if key.endswith("s") else key):
                if k in names:
                    errors.append(f"{lab!r} is the vocabulary name {names[k][0]!r}")
                    break
    if errors:
        raise VocabError("senses: phrases that are names:\n  " + "\n  ".join(errors))


def build_senses() -> tuple[Path, int]:
    """Regenerate senses.ttl from curated/senses.tsv."""
    concepts = read_senses(CURATED_DIR / "senses.tsv")
    check_scheme("senses", concepts, min_len=3)
    check_senses(concepts)
    props = [
        'skos:prefLabel "Other senses"',
        'dcterms:source "scripts/vocab/curated/senses.tsv"',
        'kg:role "otherSenses"',
        "skos:scopeNote "
        + ttl_string(
            "Phrases in which an ML-looking name means something else; the extractor drops the "
            "ML reading of the words they cover, and of the same name elsewhere in the text."
        ),
    ]
    text = render("senses", concepts, SENSES_HEADER, props)
    path = VOCAB_DIR / SCHEMES["senses"][2]
    write_if_changed(path, text)
    n = verify_parse(path)
    if n != len(concepts):
        raise VocabError(f"senses.ttl: wrote {len(concepts)} concepts, parsed {n}")
    return path, n


def check_sentinels(scheme: str, concepts: list[Concept]) -> None:
    """No Model/Dataset label may match the non-ML sentinel texts (astrophysics, topology, physics,
    chemistry prose in curated/nonml_sentinels.tsv), except concepts marked kg:needsContext, which
    the extractor only accepts with an ML cue."""
    path = CURATED_DIR / "nonml_sentinels.tsv"
    if scheme not in {"models", "datasets"} or not path.exists():
        return
    texts = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.startswith("#"):
            tid, _field, text = raw.split("\t", 2)
            texts.append((tid, text))
    hits = []
    for c in concepts:
        if "ctx" in c.flags:
            continue
        flags = 0 if "cs" in c.flags else re.IGNORECASE
        for lab in c.labels():
            pat = re.compile(r"(?<!\w)" + re.escape(lab) + r"(?!\w)", flags)
            hits += [f"{c.pref!r} label {lab!r} in {tid}" for tid, t in texts if pat.search(t)]
    if hits:
        raise VocabError(f"{scheme}: labels fire on non-ML text:\n  " + "\n  ".join(hits))


def stoplist_keys() -> set[str]:
    path = CURATED_DIR / "stoplist.tsv"
    if not path.exists():
        return set()
    keys = set()
    for c in read_table(path):
        keys.update(norm_key(lab) for lab in c.labels())
    return keys


def check_against_stoplist(scheme: str, concepts: list[Concept]) -> None:
    stop = stoplist_keys()
    bad = [f"{c.pref!r}: {lab!r}" for c in concepts for lab in c.labels() if norm_key(lab) in stop]
    if bad:
        raise VocabError(f"{scheme}: labels on the stoplist:\n  " + "\n  ".join(bad))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    schemes = argv or ["stoplist", "datasets", "methods", "senses"]
    lex = Lexicon()
    for s in schemes:
        if s not in SCHEMES or s == "models":
            raise SystemExit(f"unknown curated scheme {s!r} (models: use build_models.py)")
        path, n = build_senses() if s == "senses" else build_curated(s, lex)
        print(f"{path.relative_to(ROOT)}: {n} concepts")
    cross_check()
    print("cross-scheme label check: ok")
    return 0


def run(main: Callable[[], int]) -> NoReturn:
    """Run a builder's ``main``: a VocabError becomes one line on stderr and exit status 2."""
    try:
        sys.exit(main())
    except VocabError as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    # Run the module under its import name, so that series.py (which imports _common) and this
    # script share one VocabError and one Concept class.
    import _common

    _common.run(_common.main)
