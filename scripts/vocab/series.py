"""Named series expanded from templates: shared tasks, editions and test sets.

Some dataset names are formed on a pattern whose members the field knows by number: SemEval tasks
("SemEval-2017 Task 4"), CoNLL shared tasks ("CoNLL-2000"), WMT and IWSLT language pairs
("WMT14 En-De", "IWSLT 2014 German-English"), newstest sets, CASP rounds. Listing each member with
its spellings by hand would be long and error-prone; ``curated/series.tsv`` states the pattern
once, and :func:`apply_series` turns every row into concepts (or adds labels to a curated concept
of the same prefLabel, so a curated row can carry more than the pattern gives).

Table format (UTF-8, tab-separated, ``#`` comments). Two kinds of rows::

    @lang <TAB> code <TAB> English name
    scheme <TAB> prefLabel <TAB> altLabels (|) <TAB> broader (|) <TAB> flags <TAB> ranges

- ``@lang`` rows list the language codes that ``pair`` values may use ("de", German).
- Templates hold placeholders ``{var}`` or ``{var.form}`` for the variables of ``ranges``:
  ``year=2007,2010,2012-2025; n=1-12`` (comma-separated values, ``a-b`` for integer runs) or
  ``pair=en-de,de-en``. ``{year.yy}`` is the last two digits of a year; ``{pair}`` is "En-De".
  Pairs are written with codes only: in "WMT 2014 English-German" the extractor should find the
  edition and two Language mentions, which a longer Dataset label would swallow.
- A row expands to the product of its variables' values; flags are those of ``curated/*.tsv``.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from _common import CURATED_DIR, KNOWN_FLAGS, Concept, VocabError

SERIES_FILE = CURATED_DIR / "series.tsv"
_PLACEHOLDER = re.compile(r"\{(\w+)(?:\.(\w+))?\}")
_RANGE = re.compile(r"^(\d+)-(\d+)$")


def _values(spec: str, where: str) -> list[str]:
    out: list[str] = []
    for item in (x.strip() for x in spec.split(",")):
        run = _RANGE.match(item)
        if run:
            lo, hi = int(run.group(1)), int(run.group(2))
            if hi < lo:
                raise VocabError(f"{where}: empty range {item!r}")
            out += [str(v) for v in range(lo, hi + 1)]
        elif item:
            out.append(item)
    if not out:
        raise VocabError(f"{where}: a variable without values")
    return out


def _forms(name: str, value: str, langs: dict[str, str], where: str) -> dict[str, str]:
    """The strings a placeholder of variable ``name`` can stand for, for one value."""
    forms = {"": value}
    if re.fullmatch(r"(19|20)\d\d", value):
        forms["yy"] = value[2:]
    if name == "pair":
        src, _, tgt = value.partition("-")
        if src not in langs or tgt not in langs:
            raise VocabError(f"{where}: pair {value!r} uses a code without an @lang row")
        forms = {"": f"{src.capitalize()}-{tgt.capitalize()}"}
    return forms


def _fill(template: str, binding: dict[str, dict[str, str]], where: str) -> str:
    def sub(m: re.Match[str]) -> str:
        var, form = m.group(1), m.group(2) or ""
        if var not in binding or form not in binding[var]:
            raise VocabError(f"{where}: no value for {m.group(0)} in {template!r}")
        return binding[var][form]

    return _PLACEHOLDER.sub(sub, template)


def read_series(scheme: str, path: Path = SERIES_FILE) -> list[Concept]:
    """Expand the rows of ``path`` that belong to ``scheme`` into concepts, in table order."""
    if not path.exists():
        return []
    langs: dict[str, str] = {}
    rows: list[tuple[str, list[str]]] = []
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cols = [c.strip() for c in raw.split("\t")]
        where = f"{path.name}:{lineno}"
        if cols[0] == "@lang":
            if len(cols) != 3 or not cols[1] or not cols[2]:
                raise VocabError(f"{where}: expected @lang, code, English name")
            langs[cols[1]] = cols[2]
            continue
        if len(cols) != 6:
            raise VocabError(f"{where}: expected 6 columns, found {len(cols)}")
        rows.append((where, cols))
    concepts: list[Concept] = []
    for where, (row_scheme, pref, alts, broader, flags, ranges) in rows:
        if row_scheme != scheme:
            continue
        flagset = {f.strip() for f in flags.split(",") if f.strip()}
        if flagset - KNOWN_FLAGS:
            raise VocabError(f"{where}: unknown flag(s) {sorted(flagset - KNOWN_FLAGS)}")
        variables: list[tuple[str, list[str]]] = []
        for part in (p.strip() for p in ranges.split(";") if p.strip()):
            name, eq, spec = part.partition("=")
            if not eq or not name.strip().isidentifier():
                raise VocabError(f"{where}: bad range {part!r} (expected name=values)")
            variables.append((name.strip(), _values(spec, where)))
        names = [n for n, _ in variables]
        for combo in itertools.product(*(vals for _, vals in variables)):
            binding = {n: _forms(n, v, langs, where) for n, v in zip(names, combo, strict=True)}
            c = Concept(pref=_fill(pref, binding, where), flags=set(flagset))
            for a in (x for x in alts.split("|") if x.strip()):
                c.add_alt(_fill(a.strip(), binding, where))
            c.broader = [_fill(b.strip(), binding, where) for b in broader.split("|") if b.strip()]
            concepts.append(c)
    return concepts


def apply_series(scheme: str, concepts: list[Concept], path: Path = SERIES_FILE) -> None:
    """Add the series concepts of ``scheme`` to ``concepts`` in place.

    A generated concept whose prefLabel a curated row already has gives that row its labels
    (and its broader links, flags only where the row has none), so the curated row wins.
    """
    by_pref = {c.pref: c for c in concepts}
    for g in read_series(scheme, path):
        known = by_pref.get(g.pref)
        if known is None:
            concepts.append(g)
            by_pref[g.pref] = g
            continue
        for a in g.alts:
            known.add_alt(a)
        known.broader = known.broader or g.broader
        known.flags = known.flags or g.flags
