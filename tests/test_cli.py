"""The `kg` CLI end to end with typer's CliRunner: build, query, stats, validate, eval, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory, fixtures) -> Path:
    out = tmp_path_factory.mktemp("cli")
    result = run(
        "build",
        str(fixtures / "ingest" / "daily.txt"),
        str(fixtures / "ingest" / "generic.jsonl"),
        "--out",
        str(out),
        "--formats",
        "ttl,graphml",
        "-j",
        "1",
    )
    assert result.exit_code == 0, result.output
    return out


def test_build_writes_outputs_and_a_summary(built):
    assert (built / "graph.ttl").stat().st_size > 0
    assert (built / "graph.graphml").stat().st_size > 0
    assert (built / "store").is_dir()


def test_build_summary_line(tmp_path, fixtures):
    result = run(
        "build", str(fixtures / "ingest" / "daily.txt"), "--out", str(tmp_path), "--formats", "ttl"
    )
    assert result.exit_code == 0
    assert "2 papers (2 listings); entities:" in result.output
    assert "wrote" in result.output and "graph.ttl" in result.output


def test_query_table_csv_json(built):
    q = (
        "SELECT ?label WHERE { ?p kg:mentionsModel|kg:proposes ?m . ?m a kg:Model ; "
        "rdfs:label ?label } ORDER BY ?label"
    )
    table = run("query", q, "--graph", str(built))
    assert table.exit_code == 0 and "BERT" in table.output
    csv = run("query", q, "--graph", str(built), "--format", "csv")
    assert csv.output.splitlines()[0] == "label" and "BERT" in csv.output.splitlines()
    rows = json.loads(run("query", q, "--graph", str(built), "--format", "json").output)
    assert {"label": "BERT"} in rows


def test_query_ask_and_construct(built):
    ask = run("query", "ASK { ?p a kg:Paper }", "--graph", str(built))
    assert ask.output.strip() == "true"
    construct = run(
        "query",
        "CONSTRUCT { ?m rdfs:label ?l } WHERE { ?m a kg:Model ; rdfs:label ?l }",
        "--graph",
        str(built / "graph.ttl"),
    )
    assert construct.exit_code == 0 and "rdfs:label" in construct.output


def test_query_from_file(built, tmp_path):
    q = tmp_path / "q.rq"
    q.write_text("SELECT (COUNT(?p) AS ?n) WHERE { ?p a kg:Paper }")
    result = run("query", str(q), "--graph", str(built), "--format", "csv")
    assert result.output.splitlines() == ["n", "4"]


def test_stats(built):
    result = run("stats", "--graph", str(built))
    assert result.exit_code == 0
    assert "Paper" in result.output and "most-linked models" in result.output


def test_validate_ok_and_broken(built, fixtures):
    assert run("validate", "--graph", str(built)).exit_code == 0
    broken = run("validate", "--graph", str(fixtures / "broken.ttl"))
    assert broken.exit_code == 1
    assert "https://w3id.org/paper-kg/id/paper/no-title" in broken.output


def test_eval_scores_against_gold(built, tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps(
            {
                "title": "BERT for Maltese: Adapting Encoders to a Small Language",
                "entities": [
                    {"type": "Model", "name": "BERT", "mentions": ["BERT"], "proposed": False},
                    {
                        "type": "Language",
                        "name": "Maltese",
                        "mentions": ["Maltese"],
                        "proposed": False,
                    },
                    {"type": "Dataset", "name": "SQuAD", "mentions": ["SQuAD"], "proposed": False},
                ],
            }
        )
        + "\n"
    )
    result = run("eval", "--gold", str(gold), "--graph", str(built), "--errors")
    assert result.exit_code == 0
    assert "Dataset\tFN\tsquad" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["build", "nope.txt"], "nope.txt: no such file or directory"),
        (["build", "{f}/empty.txt"], "empty.txt: file is empty"),
        (["build", "{f}/no_abstract.txt"], "no_abstract.txt:3: title without an abstract"),
        (["build", "{f}/unknown.txt"], "cannot tell the format"),
        (["build", "{f}/daily.txt", "--format", "xml"], "unknown format 'xml'"),
        (["build", "{f}/daily.txt", "--formats", "ttl,pdf"], "unknown export format(s) pdf"),
        (["query", "SELEC nonsense"], "invalid SPARQL"),
        (["query", "--example", "nope"], "no example query 'nope'"),
        (["stats", "--graph", "{tmp}/nothing-here"], "no such graph"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(args, message, fixtures, tmp_path, built):
    args = [a.format(f=fixtures / "ingest", tmp=tmp_path) for a in args]
    if args[0] == "query" and "--graph" not in args:
        args += ["--graph", str(built)]
    if args[0] == "build":
        args += ["--out", str(tmp_path / "out")]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert result.output.count("kg: error:") == 1
    assert not (tmp_path / "out" / "graph.ttl").exists()


def test_skip_bad_reports_and_writes_skipped_jsonl(tmp_path, fixtures):
    result = run(
        "build",
        str(fixtures / "ingest" / "bad_line.jsonl"),
        str(fixtures / "ingest" / "empty.txt"),
        "--out",
        str(tmp_path),
        "--skip-bad",
        "--formats",
        "ttl",
    )
    assert result.exit_code == 0
    assert "skipped 2 bad records" in result.output
    lines = [json.loads(x) for x in (tmp_path / "skipped.jsonl").read_text().splitlines()]
    assert [(Path(x["file"]).name, x["line"]) for x in lines] == [
        ("bad_line.jsonl", 2),
        ("empty.txt", None),
    ]


def test_every_command_has_help_with_an_example():
    import typer.main

    group = typer.main.get_command(app)
    assert set(group.commands) >= {"build", "query", "stats", "validate", "eval"}
    for name in group.commands:
        result = run(name, "--help")
        assert result.exit_code == 0
        assert "Example" in result.output, f"kg {name} --help shows no example"


def test_version():
    assert run("--version").output.startswith("paper-kg ")


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
def test_export_formats_parse_to_the_same_graph(built, tmp_path, fmt):
    import rdflib
    from rdflib.compare import isomorphic

    target = tmp_path / f"g.{fmt}"
    result = run("export", "--graph", str(built), "--to", fmt, "-o", str(target))
    assert result.exit_code == 0, result.output
    reference = rdflib.Graph().parse(built / "graph.ttl")
    other = rdflib.Graph().parse(
        target, format={"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}[fmt]
    )
    assert isomorphic(reference, other)
    if fmt == "jsonld":
        doc = json.loads(target.read_text())
        assert doc["@context"]["mentionsModel"]["@id"] == "kg:mentionsModel"
        assert any(node.get("type") == "Paper" for node in doc["@graph"])
