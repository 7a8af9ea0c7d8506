"""The vocabulary builders (scripts/vocab): series templates and the one-release-per-concept rule.

The builders need spacy-lookups-data only to decide letter case; what is tested here does not.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts" / "vocab"


@pytest.fixture(scope="module")
def vocab_scripts():
    sys.path.insert(0, str(SCRIPTS))
    try:
        import _common
        import releases
        import series

        yield _common, releases, series
    finally:
        sys.path.remove(str(SCRIPTS))


SERIES = "\n".join(
    "\t".join(row)
    for row in [
        ["# a comment"],
        ["@lang", "en", "English"],
        ["@lang", "de", "German"],
        [
            "datasets",
            "Shared-{year} Task {n}",
            "Task {n} of Shared-{year}|Shared'{year.yy} Task {n}",
            "Shared-{year}",
            "noauto",
            "year=2019,2021-2022; n=1-2",
        ],
        [
            "datasets",
            "Bench{year.yy} {pair}",
            "Bench {year} {pair}",
            "Bench",
            "",
            "year=2014; pair=en-de,de-en",
        ],
        ["models", "Net-B{n}", "", "Net", "", "n=0-1"],
    ]
)


def test_series_rows_expand_to_the_product_of_their_ranges(vocab_scripts, tmp_path):
    _common, _releases, series = vocab_scripts
    path = tmp_path / "series.tsv"
    path.write_text(SERIES, encoding="utf-8")
    got = series.read_series("datasets", path)
    prefs = [c.pref for c in got]
    assert prefs[:6] == [
        "Shared-2019 Task 1",
        "Shared-2019 Task 2",
        "Shared-2021 Task 1",
        "Shared-2021 Task 2",
        "Shared-2022 Task 1",
        "Shared-2022 Task 2",
    ]
    assert prefs[6:] == ["Bench14 En-De", "Bench14 De-En"]
    first = got[0]
    assert first.alts == ["Task 1 of Shared-2019", "Shared'19 Task 1"]
    assert first.broader == ["Shared-2019"] and first.flags == {"noauto"}
    assert got[6].alts == ["Bench 2014 En-De"]
    assert [c.pref for c in series.read_series("models", path)] == ["Net-B0", "Net-B1"]


def test_a_curated_row_keeps_its_own_fields_and_gains_the_generated_labels(vocab_scripts, tmp_path):
    _common, _releases, series = vocab_scripts
    path = tmp_path / "series.tsv"
    path.write_text(SERIES, encoding="utf-8")
    curated = _common.Concept(pref="Shared-2021 Task 2", alts=["ST21-2"], flags={"cs"})
    concepts = [curated]
    series.apply_series("datasets", concepts, path)
    assert len(concepts) == 8 and concepts[0] is curated
    assert curated.alts == ["ST21-2", "Task 2 of Shared-2021", "Shared'21 Task 2"]
    assert curated.flags == {"cs"} and curated.broader == ["Shared-2021"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("datasets\tX{pair}\t\t\t\tpair=en-fr", "without an @lang row"),
        ("datasets\tX{m}\t\t\t\tn=1-2", "no value for {m}"),
        ("datasets\tX{n}\t\t\t\tn=3-1", "empty range"),
        ("datasets\tX{n}\t\t\tweird\tn=1", "unknown flag"),
        ("datasets\tX{n}\t\t\tn=1", "expected 6 columns"),
    ],
)
def test_bad_series_rows_name_the_line_and_the_problem(vocab_scripts, tmp_path, row, message):
    _common, _releases, series = vocab_scripts
    path = tmp_path / "series.tsv"
    path.write_text("@lang\ten\tEnglish\n" + row + "\n", encoding="utf-8")
    with pytest.raises(_common.VocabError, match=message) as err:
        series.read_series("datasets", path)
    assert "series.tsv:2" in str(err.value)


@pytest.mark.parametrize(
    ("labels", "conflict"),
    [
        (["CIFAR-10", "CIFAR-100"], True),
        (["MovieLens", "MovieLens-1M", "MovieLens-20M"], True),
        (["ResNet-50", "ResNet-101"], True),
        (["Penn Chinese Treebank", "CTB5", "CTB9"], True),
        (["PDTB 2.0", "PDTB-3"], True),
        (["WMT14", "WMT 2014", "WMT'14"], False),
        (["FlowNet 2.0", "FlowNet2"], False),
        (["Nemotron-4", "Nemotron-4 340B"], False),
        (["SemEval-2017 Task 4", "Task 4 of SemEval-2017"], False),
        (["Llama 2", "LLaMA-2", "Llama2"], False),
        (["PEMS04", "PeMSD4"], False),  # leading zeros
        (["AFLW2000-3D", "AFLW2000"], False),  # a dimensionality is no release
        (["MOT15", "2D MOT 2015"], False),
    ],
)
def test_one_concept_never_carries_two_releases(vocab_scripts, labels, conflict):
    _common, releases, _series = vocab_scripts
    concept = _common.Concept(pref=labels[0], alts=labels[1:])
    assert bool(releases.version_conflicts([concept])) is conflict
    concept.flags.add("samever")
    assert releases.version_conflicts([concept]) == []


def test_the_builders_and_the_graph_share_one_signature(vocab_scripts):
    _common, releases, _series = vocab_scripts
    from graph import versions

    assert releases.version_signature is versions.version_signature


def test_shipped_vocabularies_keep_releases_apart(vocab_scripts):
    """No shipped concept has labels with different version numbers or sizes, unless the Turtle
    says they name one release (kg:sameRelease, from the tables' flag samever)."""
    _common, releases, _series = vocab_scripts
    from graph.ontology import load_vocabulary

    concepts = [c for c in load_vocabulary().concepts.values() if c.type != "Language"]
    shipped = [
        _common.Concept(pref=c.pref_label, alts=list(c.alt_labels))
        for c in concepts
        if not c.same_release
    ]
    assert len(shipped) > 4000
    assert releases.version_conflicts(shipped) == []
    # The flag is kept for true spellings of one release, and only for them.
    same = {c.pref_label for c in concepts if c.same_release}
    assert {"YOLOv2", "ImageNet-1K", "AMR 2.0"} <= same
    assert len(same) < 15
    assert not same & {"Penn Chinese Treebank", "Penn Discourse Treebank", "LETOR", "LC-QuAD"}


def test_releases_of_a_family_are_concepts_of_their_own():
    """Penn Chinese Treebank 5 and 9, PDTB 2.0 and 3.0, LETOR 3.0 and 4.0, LC-QuAD and LC-QuAD
    2.0: each release its own concept, linked to its family by skos:broader."""
    from graph.ontology import load_vocabulary

    vocab = load_vocabulary()
    by_label = {
        label: c for c in vocab.concepts.values() if c.type != "Language" for label in c.labels
    }
    for family, releases_ in [
        ("Penn Chinese Treebank", ["CTB5", "CTB6", "CTB7", "CTB9"]),
        ("Penn Discourse Treebank", ["PDTB 2.0", "PDTB 3.0"]),
        ("LETOR", ["LETOR 3.0", "LETOR 4.0"]),
        ("LC-QuAD", ["LC-QuAD 2.0"]),
        ("KorQuAD", ["KorQuAD 1.0", "KorQuAD 2.0"]),
        ("IBM alignment models", ["IBM Model 1", "IBM Model 4"]),
        ("FBNet", ["FBNetV2", "FBNetV3"]),
    ]:
        concepts = [by_label[r] for r in releases_]
        assert len({c.iri for c in concepts}) == len(releases_), family
        assert all(by_label[family].iri in c.broader for c in concepts), family
        assert not any(c.same_release for c in concepts)


def test_other_sense_phrases_are_read_and_never_names(vocab_scripts, tmp_path):
    _common, _releases, _series = vocab_scripts
    path = tmp_path / "senses.tsv"
    path.write_text(
        "# comment\nOtter theorem prover\tOtter prover\t\tthe theorem prover\n"
        "Gemini Observatory\t\tcs\tthe telescopes\n",
        encoding="utf-8",
    )
    otter, gemini = _common.read_senses(path)
    assert otter.labels() == ["Otter theorem prover", "Otter prover"]
    assert otter.definition == "the theorem prover" and gemini.flags == {"cs"}
    _common.check_senses([otter, gemini])
    with pytest.raises(_common.VocabError, match="is the vocabulary name"):
        _common.check_senses([_common.Concept(pref="Llama 2", definition="a model")])
    path.write_text("Otter theorem prover\t\tweird\tthe prover\n", encoding="utf-8")
    with pytest.raises(_common.VocabError, match=r"senses.tsv:1: unknown flag"):
        _common.read_senses(path)


def test_shipped_other_senses_load():
    from graph.ontology import load_vocabulary

    senses = {label for o in load_vocabulary().other_senses for label in o.labels}
    assert {"Otter theorem prover", "SOAP note", "Gemini telescope", "Phys. Rev. Lett"} <= senses


def test_boundary_text_of_ascii_is_the_unicode_rule():
    from graph.extract.vocab import _SPACES, _boundary_text

    text = "".join(map(chr, range(128))) + " HumanEval+ C# RefCOCO+ GPT-4o_x"
    assert _boundary_text(text) == f" {text.lower().translate(_SPACES)} "
    assert _boundary_text("Zürich C#") == " zürich c# "
