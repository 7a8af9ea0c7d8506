"""Regenerate ontology/vocab/models.ttl (SKOS scheme kgv:models, kg:Model).

Sources
  1. ``transformers``' model names: ``MODEL_NAMES_MAPPING`` (model_type -> display name) from
     ``transformers.models.auto.configuration_auto``. transformers 5 removed that table, so a 4.x
     release is required:  /work/venv/bin/pip install 'transformers>=4.57,<5'  (no torch needed).
     ``curated/transformers.tsv`` says which entries are dropped (wrappers, sub-module configs,
     ambiguous names, things that are not Models) and which are folded into a curated concept.
  2. ``curated/models.tsv``: model families with versions/sizes, spelling variants, skos:broader
     links, flags and (only where certain) Wikidata identifiers; numbered members of a family
     ("EfficientNet-B0" ... "-B7") are templates in ``curated/series.tsv``.

Usage:  /work/venv/bin/python scripts/vocab/build_models.py [--check]
  --check  build in memory and compare with the file on disk; exit 1 if it would change.

The build stops with an error when two concepts share a label (after normalising to lowercase
alphanumerics), when one concept's labels carry different version numbers or sizes ("ResNet-50"
beside "ResNet-101"), when a broader link dangles, when a label is on the stoplist or shorter
than three characters (unless flagged ``short``), when a Model label fires on the non-ML sentinel
texts (curated/nonml_sentinels.tsv), or when a new transformers display name looks like a class name
("...VisionModel", "...ForCausalLM", "Qwen2_5_VL") and transformers.tsv does not say what to do.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    CURATED_DIR,
    ROOT,
    VOCAB_DIR,
    Concept,
    Lexicon,
    VocabError,
    check_against_stoplist,
    check_scheme,
    check_sentinels,
    cross_check,
    finalize,
    norm_key,
    read_table,
    render,
    run,
    ttl_string,
    verify_parse,
    write_if_changed,
)
from series import apply_series

# Display names that look like Python class names or internal identifiers.
CLASSLIKE = re.compile(
    r"(_|Model$|ForCausalLM$|ForConditionalGeneration$|Encoder$|Decoder$|Backbone$|Wrapper"
    r"|VisionTransformer$|Vision$|Text$|Audio$|Video$|^[a-z0-9]+$)"
)


def load_transformers() -> tuple[str, dict[str, str]]:
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    try:
        import transformers
        from transformers.models.auto.configuration_auto import MODEL_NAMES_MAPPING
    except ImportError as exc:
        raise VocabError(
            "needs transformers 4.x with MODEL_NAMES_MAPPING: "
            "/work/venv/bin/pip install 'transformers>=4.57,<5'"
        ) from exc
    return transformers.__version__, dict(MODEL_NAMES_MAPPING)


def read_overrides(path: Path) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cols = [c.strip() for c in raw.split("\t")]
        if len(cols) != 3 or cols[1] not in {"drop", "to", "alt"} or not cols[2]:
            raise VocabError(f"{path.name}:{lineno}: expected model_type, drop|to|alt, value")
        if cols[0] in out:
            raise VocabError(f"{path.name}:{lineno}: {cols[0]!r} listed twice")
        out[cols[0]] = (cols[1], cols[2])
    return out


def build() -> tuple[str, list[Concept], dict[str, int]]:
    tf_version, names = load_transformers()
    overrides = read_overrides(CURATED_DIR / "transformers.tsv")
    concepts = read_table(CURATED_DIR / "models.tsv")
    apply_series("models", concepts)
    by_pref = {c.pref: c for c in concepts}
    by_key: dict[str, Concept] = {}
    for c in concepts:
        for lab in c.labels():
            by_key.setdefault(norm_key(lab), c)

    stats = {"transformers": len(names), "dropped": 0, "merged": 0, "new": 0}
    unknown = sorted(set(overrides) - set(names))
    if unknown:
        print(
            f"note: transformers.tsv lists model types absent from transformers {tf_version}: "
            + ", ".join(unknown),
            file=sys.stderr,
        )
    problems = []
    for model_type in sorted(names):
        display = names[model_type].strip()
        action, value = overrides.get(model_type, ("", ""))
        if action == "drop":
            stats["dropped"] += 1
            continue
        if action in {"to", "alt"}:
            target = by_pref.get(value)
            if target is None:
                target = Concept(pref=value)
                concepts.append(target)
                by_pref[value] = target
                stats["new"] += 1
            else:
                stats["merged"] += 1
            if action == "alt":
                target.add_alt(display)
            target.notes.append(f"transformers model_type: {model_type}")
            continue
        if CLASSLIKE.search(display):
            problems.append(f"{model_type!r}: display name {display!r} looks like a class name")
            continue
        target = by_key.get(norm_key(display))
        if target is None:
            target = Concept(pref=display)
            concepts.append(target)
            by_pref[display] = target
            by_key[norm_key(display)] = target
            stats["new"] += 1
        else:
            target.add_alt(display)
            stats["merged"] += 1
        target.notes.append(f"transformers model_type: {model_type}")
    if problems:
        raise VocabError(
            "transformers display names need a row in curated/transformers.tsv:\n  "
            + "\n  ".join(problems)
        )
    return tf_version, concepts, stats


HEADER = """\
Models (kg:Model): trained ML models and model families -- language, vision, multimodal,
generative, speech/audio, science and RL -- with versions as explicit concepts linked to their
family by skos:broader. kg:familyName true marks a name on which versioned or sized names are
formed ("Qwen2.5" -> "Qwen2.5-7B-Instruct"); kg:caseSensitive true marks names spelled like
English words ("Falcon", "Phi", "Gemini"); kg:needsContext true marks names that are too
ambiguous to accept without a cue.

Sources: (1) the `transformers` package {tf_version}, MODEL_NAMES_MAPPING (model_type -> display
name), filtered and mapped by scripts/vocab/curated/transformers.tsv; (2) the curated table
scripts/vocab/curated/models.tsv (public knowledge of the field). owl:sameAs links to Wikidata
only where the identifier was checked.
Generated by: /work/venv/bin/python scripts/vocab/build_models.py  -- do not edit by hand.
Case sensitivity uses spaCy's English lexeme probabilities (spacy-lookups-data en_lexeme_prob)."""


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    check_only = "--check" in argv
    tf_version, concepts, stats = build()
    lex = Lexicon()
    finalize(concepts, lex)
    check_scheme("models", concepts)
    check_against_stoplist("models", concepts)
    check_sentinels("models", concepts)
    props = [
        'skos:prefLabel "Models"',
        "dcterms:source " + ttl_string(f"transformers {tf_version} MODEL_NAMES_MAPPING"),
        'dcterms:source "scripts/vocab/curated/models.tsv"',
        'dcterms:source "scripts/vocab/curated/transformers.tsv"',
        "kg:entityClass kg:Model",
    ]
    text = render("models", concepts, HEADER.format(tf_version=tf_version), props)
    path = VOCAB_DIR / "models.ttl"
    if check_only:
        same = path.exists() and path.read_text(encoding="utf-8") == text
        print(f"{path.relative_to(ROOT)}: {'up to date' if same else 'WOULD CHANGE'}")
        return 0 if same else 1
    write_if_changed(path, text)
    n = verify_parse(path)
    if n != len(concepts):
        raise VocabError(f"models.ttl: wrote {len(concepts)} concepts, parsed {n}")
    print(
        f"{path.relative_to(ROOT)}: {n} concepts (transformers {tf_version}: "
        f"{stats['transformers']} names, {stats['dropped']} dropped, "
        f"{stats['merged']} merged into curated concepts, {stats['new']} new concepts)"
    )
    cross_check()
    print("cross-scheme label check: ok")
    return 0


if __name__ == "__main__":
    run(main)
