"""The `kg` CLI end to end with typer's CliRunner (and a real process where a pipe, a crash or
an exit status matters): build, query, stats, validate, eval, view, export, help and errors.

Most tests here pin one snag a newcomer hit (issue 15) or one hostile input (issue 13); each
says which in its docstring.
"""

from __future__ import annotations

import http.server
import io
import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from graph.cli import app, build_progress

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
KG = [sys.executable, "-m", "graph"]


def run(*args: str, **kwargs):
    return runner.invoke(app, list(args), catch_exceptions=False, **kwargs)


def one_error_line(result, code: int = 1) -> str:
    """The single error line of a failed command (asserting there is exactly one)."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    errors = [ln for ln in result.stderr.splitlines() if "error:" in ln]
    assert len(errors) == 1, result.stderr
    return errors[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory, fixtures) -> Path:
    out = tmp_path_factory.mktemp("cli")
    result = run(
        "build",
        str(fixtures / "ingest" / "daily.txt"),
        str(fixtures / "ingest" / "generic.jsonl"),
        "--out",
        str(out),
        "--to",
        "ttl,graphml",
        "-j",
        "1",
    )
    assert result.exit_code == 0, result.output
    return out


# ------------------------------------------------------------------ build


def test_build_writes_outputs_and_a_summary(built):
    assert (built / "graph.ttl").stat().st_size > 0
    assert (built / "graph.graphml").stat().st_size > 0
    assert (built / "store").is_dir()


def test_build_summary_goes_to_stderr(tmp_path, fixtures):
    result = run(
        "build", str(fixtures / "ingest" / "daily.txt"), "--out", str(tmp_path), "-t", "ttl"
    )
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.startswith("2 papers (2 listings); ")
    assert "wrote" in result.stderr and "graph.ttl" in result.stderr


def test_counts_of_one_are_singular(tmp_path):
    """`kg build` of one paper said "1 papers (1 listings) ... 1 statements"; so did kg stats."""
    one = tmp_path / "one.jsonl"
    one.write_text('{"title": "A BERT study", "abstract": "We fine-tune BERT on GLUE."}\n')
    result = run("build", str(one), "--out", str(tmp_path / "out"), "-t", "ttl", "-j", "1")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("1 paper (1 listing); ")
    assert not re.search(r"\b1 (papers|listings|links|proposals|statements)\b", result.stderr)
    stats = " ".join(run("stats", "-g", str(tmp_path / "out")).stdout.split())
    assert stats.startswith("1 paper, 1 of them naming an entity; ")


def _summary_counts(text: str) -> tuple[int, int, int]:
    text = " ".join(text.split())
    m = re.search(r"(\d+) linked entities \(.*?\)(?: and (\d+) family-only)?", text)
    assert m, text
    papers = int(re.search(r"(\d+) papers", text).group(1))
    return papers, int(m.group(1)), int(m.group(2) or 0)


def test_entity_counts_are_the_same_everywhere(tmp_path, fixtures):
    """Snag 7: the build summary, kg stats and kg view count the same entities, and say which
    (linked: named by a paper; family-only: there as the family of one that is)."""
    out = tmp_path / "b"
    summary = run("build", str(fixtures / "ingest" / "arxiv.jsonl"), "--out", str(out),
                  "-t", "ttl", "-j", "1").stderr  # fmt: skip
    papers, linked, family = _summary_counts(summary)
    assert family > 0  # LLaMA2 brings in its family, LLaMA, which no paper names
    stats = run("stats", "-g", str(out)).stdout
    assert _summary_counts(stats) == (papers, linked, family)
    assert re.search(rf"│ all\s+│ {linked}\s+│ {family}\s+│", stats)
    note = run("view", "-g", str(out), "--all", "-o", str(tmp_path / "v.html")).stderr
    assert f"all {linked} linked entities, all {family} family-only" in note
    assert f"all {papers} paper" in note


def test_update_with_the_same_inputs_adds_no_listing(tmp_path, fixtures):
    """Snag 12: `kg build --update b.jsonl` twice reported 200 papers (300 listings)."""
    out = tmp_path / "u"
    assert run("build", str(fixtures / "ingest" / "daily.txt"), "--out", str(out), "-t", "ttl",
               "-j", "1").exit_code == 0  # fmt: skip
    new = str(fixtures / "ingest" / "generic.jsonl")
    first = run("build", "--update", new, "--out", str(out), "-t", "ttl", "-j", "1").stderr
    second = run("build", "--update", new, "--out", str(out), "-t", "ttl", "-j", "1").stderr
    assert first.startswith("4 papers (4 listings); ")
    assert second.startswith("4 papers (4 listings); ")


def test_progress_never_shows_an_unknown_total():
    """Snag 24: "extract 726/?" and a "store 0/?" bar that never moved."""
    from rich.console import Console

    console = Console(record=True, width=100, force_terminal=True, color_system=None)
    bar, progress = build_progress(console)
    progress("extract", 726, None)
    progress("store", 0, None)
    progress("write graph.html", 3, 10)
    console.print(bar.make_tasks_table(bar.tasks))
    text = console.export_text()
    assert "/?" not in text and "?" not in text
    lines = {ln.split()[0]: ln for ln in text.splitlines() if ln.strip()}
    assert "726 texts" in lines["extract"] and "✓" in lines["extract"]  # finished, ticked off
    assert "✓" in lines["store"]
    assert "3/10" in lines["write"]


# ------------------------------------------------------------------ query


def test_query_table_csv_json(built):
    q = (
        "SELECT ?label WHERE { ?p kg:mentionsModel|kg:proposes ?m . ?m a kg:Model ; "
        "rdfs:label ?label } ORDER BY ?label"
    )
    table = run("query", q, "--graph", str(built))
    assert table.exit_code == 0 and "BERT" in table.stdout
    assert re.fullmatch(r"\d+ rows\n", table.stderr)
    csv = run("query", q, "--graph", str(built), "--to", "csv")
    assert csv.stdout.splitlines()[0] == "label" and "BERT" in csv.stdout.splitlines()
    rows = json.loads(run("query", q, "--graph", str(built), "--to", "json").stdout)
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


def test_construct_as_json_is_json_ld(built):
    """Snag 9: `kg query 'CONSTRUCT …' --format json` printed Turtle."""
    q = "CONSTRUCT { ?m rdfs:label ?l } WHERE { ?m a kg:Model ; rdfs:label ?l }"
    doc = run("query", q, "-g", str(built), "--to", "json").stdout
    parsed = rdflib.Graph().parse(data=doc, format="json-ld")
    turtle = rdflib.Graph().parse(data=run("query", q, "-g", str(built)).stdout, format="turtle")
    assert len(parsed) > 0 and isomorphic(parsed, turtle)
    assert "@context" in json.loads(doc)
    nt = run("query", q, "-g", str(built), "--to", "nt").stdout
    assert isomorphic(rdflib.Graph().parse(data=nt, format="nt"), turtle)
    line = one_error_line(run("query", q, "-g", str(built), "--to", "csv"))
    assert "CONSTRUCT and DESCRIBE give RDF" in line
    line = one_error_line(run("query", "SELECT * { ?s ?p ?o }", "-g", str(built), "--to", "ttl"))
    assert "SELECT and ASK give a table" in line


def test_select_star_keeps_the_query_order(built):
    """Snag 10: `SELECT *` columns came out alphabetical."""
    result = run("query", "SELECT * WHERE { ?zz ?aa ?mm } LIMIT 1", "-g", str(built), "--to", "csv")
    assert result.stdout.splitlines()[0] == "zz,aa,mm"
    nested = (
        "SELECT * WHERE { ?zz a kg:Paper . OPTIONAL { ?zz kg:proposes ?bb } ?zz ?aa ?mm } LIMIT 1"
    )
    assert run("query", nested, "-g", str(built), "--to", "csv").stdout.startswith("zz,bb,aa,mm\n")


COUNTS = (
    "SELECT ?m ?label (COUNT(?p) AS ?n) WHERE { ?p kg:mentionsModel|kg:proposes ?m . "
    "?m rdfs:label ?label } GROUP BY ?m ?label ORDER BY DESC(?n) ?label"
)


def test_result_formats_keep_types(built):
    """Snag 11: --format json gave numbers as strings and lost IRI vs literal."""
    g = str(built)
    typed = json.loads(run("query", COUNTS, "-g", g, "--to", "json").stdout)
    assert all(isinstance(r["n"], int) and r["m"].startswith("https://") for r in typed)
    lines = run("query", COUNTS, "-g", g, "--to", "jsonl").stdout.splitlines()
    assert [json.loads(ln) for ln in lines] == typed
    sparql = json.loads(run("query", COUNTS, "-g", g, "--to", "sparql-json").stdout)
    assert sparql["head"]["vars"] == ["m", "label", "n"]
    first = sparql["results"]["bindings"][0]
    assert first["m"]["type"] == "uri" and first["label"] == {
        "type": "literal",
        "value": typed[0]["label"],
    }
    assert first["n"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"
    tsv = run("query", COUNTS, "-g", g, "--to", "tsv").stdout
    assert tsv.splitlines()[0] == "?m\t?label\t?n"
    # real SPARQL results parsers read both back to the same rows
    for fmt, text in (("json", json.dumps(sparql)), ("tsv", tsv)):
        parsed = rdflib.query.Result.parse(io.StringIO(text), format=fmt)
        back = [{v: row[v].toPython() for v in ("m", "label", "n")} for row in parsed]
        assert typed == back, fmt


def test_query_reads_standard_input(built):
    """Snag 4: `kg query -` was refused though `kg build -` works."""
    q = "SELECT (COUNT(?p) AS ?n) WHERE { ?p a kg:Paper }"
    result = run("query", "-", "--graph", str(built), "--to", "csv", input=q)
    assert result.stdout.splitlines() == ["n", "4"]


def test_query_from_file(built, tmp_path):
    q = tmp_path / "q.rq"
    q.write_text("SELECT (COUNT(?p) AS ?n) WHERE { ?p a kg:Paper }")
    result = run("query", str(q), "--graph", str(built), "--to", "csv")
    assert result.stdout.splitlines() == ["n", "4"]


def test_error_positions_are_those_of_the_users_text(built):
    """Snag 2: errors said "error at 18:26" for line 1 (the hidden PREFIX lines counted)."""
    line = one_error_line(
        run("query", "SELECT ?x WHERE {\n  ?x ?y ?z .\n  FILTER(?x = ) }", "-g", str(built))
    )
    assert "invalid SPARQL at 3:" in line


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("SELEC * WHERE { ?s ?p ?o }", "did you mean SELECT?"),
        ("SELECT * WHER { ?s ?p ?o }", "did you mean WHERE"),
        ("SELECT * WHERE { ?s ?p ?o FILTR(?o) }", "did you mean FILTER"),
        ("SELECT * WHERE { ?s foo:bar ?o }", "unknown prefix 'foo:'; declare it with PREFIX foo:"),
        ("INSERT DATA { kg:a kg:b kg:c }", "INSERT is an update, and kg query only reads"),
        ("SELECT ?x WHERE { ?x ?p ?o } GROUP BY ?p", "add it to GROUP BY"),
    ],
)
def test_syntax_errors_come_with_a_hint(built, text, hint):
    """Snag 30: "SELEC" gave a raw "expected CONSTRUCT"."""
    line = one_error_line(run("query", text, "-g", str(built)))
    assert hint in line and "['A' ..=" not in line


def test_example_parameters(built):
    """Snag 25: `--param NAME=VALUE` binds an example's VALUES block."""
    csv = run(
        "query", "-e", "datasets-with-model", "-p", "model=BERT", "-g", str(built), "-t", "csv"
    )
    assert csv.exit_code == 0 and "https://w3id.org/paper-kg/id/dataset/glue" in csv.stdout
    other = run(
        "query", "-e", "datasets-with-model", "-p", "model=GPT-4", "-g", str(built), "-t", "csv"
    )
    assert other.stdout.splitlines() == ["dataset,label,papers,models"]  # no dataset beside GPT-4
    line = one_error_line(
        run("query", "-e", "datasets-with-model", "-p", "modle=x", "-g", str(built))
    )
    assert "no parameter 'modle'" in line and "has: model" in line
    line = one_error_line(
        run("query", "-e", "datasets-with-model", "-p", "model", "-g", str(built)), code=2
    )
    assert "NAME=VALUE" in line
    listing = run("query", "--list").stdout
    assert "--param model=" in listing


def _in_a_terminal(args: list[str], columns: int, pipe: bool = False) -> str:
    """What ``kg ARGS`` shows in a terminal (a pty) of ``columns`` columns, escapes removed;
    with ``pipe``, what it writes to a pipe (``kg ARGS | head``) from that terminal."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    if pipe:
        proc = subprocess.Popen(
            [*KG, *args], stdin=slave, stdout=subprocess.PIPE, stderr=slave, env=env
        )
        os.close(slave)
        text = proc.communicate(timeout=120)[0].decode("utf-8")
        os.close(master)
        assert proc.returncode == 0
        return text
    proc = subprocess.Popen([*KG, *args], stdout=slave, stderr=subprocess.DEVNULL, env=env)
    os.close(slave)
    chunks = []
    while True:  # read while it writes: a pty holds only a few kB
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert proc.wait(timeout=120) == 0
    text = b"".join(chunks).decode("utf-8")
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text).replace("\r\n", "\n")


def test_tables_fit_an_80_column_terminal(built):
    """Tables were drawn 100 columns wide whatever the terminal, so in an 80-column one every
    row wrapped onto two lines; wide results now turn into records there too."""
    titles = ["query", "SELECT ?p ?title WHERE { ?p dcterms:title ?title }", "-g", str(built)]
    shown = _in_a_terminal(titles, 80)
    assert shown.startswith("┏") and max(map(len, shown.splitlines())) <= 80
    wide = ["query", "SELECT * WHERE { ?m a kg:Mention ; ?p ?o } LIMIT 40", "-g", str(built)]
    assert max(map(len, _in_a_terminal(wide, 80).splitlines())) <= 80
    assert max(map(len, _in_a_terminal(titles, 80, pipe=True).splitlines())) <= 80  # | head
    no_columns = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    piped = subprocess.run(
        [*KG, *titles], capture_output=True, text=True, stdin=subprocess.DEVNULL, env=no_columns
    )
    assert max(map(len, piped.stdout.splitlines())) == 100  # no terminal: 100 columns
    narrow = subprocess.run([*KG, *titles], capture_output=True, text=True,
                            env={**os.environ, "COLUMNS": "72"})  # fmt: skip
    assert max(map(len, narrow.stdout.splitlines())) <= 72


def test_wide_results_read_as_records(built):
    """Snag 26: results of 11 columns were unreadable in the terminal."""
    q = ["-e", "evidence-for-link", "--param", "name=GPT-4"]  # 11 columns
    out = run("query", *q, "-g", str(built)).stdout
    assert out.startswith("-[ 1 ]")
    assert re.search(r"^sentence +Large Language Models \(LLMs\), including GPT-4 and LLaMA2, have "
                     r"achieved remarkable performance\.$", out, re.M)  # fmt: skip
    assert "…" not in out
    narrow = run("query", "SELECT ?p ?title WHERE { ?p dcterms:title ?title }", "-g", str(built))
    assert narrow.stdout.startswith("┏")  # a table when it fits
    assert "…" not in narrow.stdout  # long IRIs and titles wrap, never lose their end
    assert run("query", *q, "-g", str(built), "-t", "records").stdout == out


def test_table_output_strips_terminal_escapes(tmp_path):
    """Issue 13: terminal escape sequences from titles reached the terminal."""
    ttl = tmp_path / "evil.ttl"
    ttl.write_text(
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        '<https://x.org/p1> dcterms:title "\\u001B]0;pwned\\u0007\\u001B[2J'
        '\\u001B[31mRed\\u001B[0m title\\u0008\\u009Bx [bold]markup[/] \\u202Eevil" .\n',
        encoding="utf-8",
    )
    q = "SELECT ?t WHERE { ?p dcterms:title ?t }"
    for fmt in ("table", "records"):
        out = run("query", q, "-g", str(ttl), "-t", fmt).stdout
        assert "Red title" in out and "[bold]markup[/]" in out
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]", out), repr(out)
        assert "pwned" not in out


def test_csv_neutralises_formula_cells(built):
    """Issue 13: `--format csv` wrote formula-injection cells (OWASP: prefix a quote)."""
    q = (
        'SELECT ?v WHERE { VALUES ?v { "=HYPERLINK(\\"http://x\\",\\"y\\")" "+cmd|\' /C calc\'!A0" '
        '"-2+3" "@SUM(1)" "\\tTab" "\\rCR" "plain" -5 2.5 } }'
    )
    cells = run("query", q, "-g", str(built), "-t", "csv").stdout
    import csv

    values = [row[0] for row in csv.reader(io.StringIO(cells, newline=""))][1:]
    assert values == [
        '\'=HYPERLINK("http://x","y")',
        "'+cmd|' /C calc'!A0",
        "'-2+3",
        "'@SUM(1)",
        "'\tTab",
        "'\rCR",
        "plain",
        "-5",  # a number, which no spreadsheet runs
        "2.5",
    ]


def test_service_is_refused_and_nothing_is_sent(built):
    """Issue 13 item 1: Oxigraph would send SERVICE clauses out as real HTTP requests."""
    seen: list[str] = []

    class Endpoint(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            seen.append(self.path)
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            body = json.dumps(
                {"head": {"vars": ["x"]},
                 "results": {"bindings": [{"x": {"type": "literal", "value": "remote"}}]}}
            ).encode()  # fmt: skip
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Endpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        host = f"127.0.0.1:{server.server_address[1]}"
        for q in (
            f"SELECT * WHERE {{ SERVICE <http://{host}/sparql> {{ ?x ?y ?z }} }}",
            f"SELECT * WHERE {{ service silent <http://{host}/sparql> {{ ?x ?y ?z }} }}",
            "SELECT * WHERE { SERVICE ?endpoint { ?x ?y ?z } VALUES ?endpoint { <http://"
            + host
            + "/> } }",
        ):
            line = one_error_line(run("query", q, "-g", str(built)))
            assert "SERVICE" in line and "no outgoing requests" in line
        assert seen == []
        # A SERVICE to a host the user names is allowed, and only then.
        q = f"SELECT ?x WHERE {{ SERVICE <http://{host}/sparql> {{ ?x ?y ?z }} }}"
        line = one_error_line(run("query", q, "-g", str(built), "--allow-service", "127.0.0.2"))
        assert seen == []
        allowed = run("query", q, "-g", str(built), "--allow-service", host, "-t", "csv")
        assert allowed.stdout.splitlines() == ["x", "remote"] and seen == ["/sparql"]
    finally:
        server.shutdown()
        server.server_close()


def _kg(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*KG, *args], input=stdin, capture_output=True, text=True, timeout=120, cwd=ROOT
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT * WHERE " + "{" * 3000 + "?s ?p ?o" + "}" * 3000, "at most 64 levels"),
        ("SELECT * WHERE " + "{" * 3000, "at most 64 levels"),
        ("SELECT * WHERE { FILTER(" + "1+" * 10000 + "1) }", "operators and patterns"),
        ("SELECT * WHERE { FILTER(" + "!" * 20000 + "true) }", "operators and patterns"),
        ("SELECT * WHERE { " + "{ ?s ?p ?o } MINUS " * 5000 + "{ ?s ?p ?o } }", "operators"),
    ],
)
def test_deep_queries_give_one_line_not_a_segfault(built, query, message):
    """Issue 13 item 9: 3,000 nested braces made `kg query` segfault (exit 139, no message)."""
    done = _kg("query", "-", "-g", str(built), stdin=query)
    assert done.returncode == 1, done.returncode
    assert done.stderr.count("\n") == 1 and message in done.stderr, done.stderr


def test_long_flat_queries_run_in_a_large_stack(built):
    """Hundreds of MINUS (no nesting at all), under the guard's bound, run."""
    query = "SELECT * WHERE { " + "{ ?s ?p ?o } MINUS " * 400 + "{ ?s ?p ?o } } LIMIT 1"
    done = _kg("query", "-", "-g", str(built), "-t", "csv", stdin=query)
    assert done.returncode == 0, (done.returncode, done.stderr[-500:])
    assert done.stdout.splitlines()[0] == "s,p,o"


@pytest.mark.parametrize("fmt", ["table", "records", "csv"])
def test_a_closed_pipe_ends_quietly(built, fmt):
    """Snag 8: `kg query … | head -3` exited 1 with no message in table mode."""
    q = 'SELECT ?x WHERE { ?s ?p ?o . ?a ?b ?c BIND("' + "x" * 40 + '" AS ?x) } LIMIT 4000'
    proc = subprocess.Popen(
        [*KG, "query", q, "-g", str(built), "-t", fmt],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    head = [proc.stdout.readline() for _ in range(3)]
    proc.stdout.close()  # what `head -3` does
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, stderr
    assert head[0] and "error" not in stderr and "Traceback" not in stderr


def test_a_broken_pipe_inside_a_command_exits_0(built, monkeypatch):
    """Where the write itself meets the closed pipe (rich would exit 1), kg ends quietly."""
    import graph.query.formats

    def closed(result):
        raise BrokenPipeError

    monkeypatch.setattr(graph.query.formats, "table", closed)
    result = runner.invoke(app, ["query", "SELECT ?s WHERE { ?s a kg:Paper }", "-g", str(built)])
    assert result.exit_code == 0 and result.stderr == ""
    from graph.cli import out_console

    with pytest.raises(BrokenPipeError):
        out_console().on_broken_pipe()


# ------------------------------------------------------------------ stats, validate, eval


def test_stats(built):
    result = run("stats", "--graph", str(built))
    assert result.exit_code == 0
    assert "linked entities" in result.stdout and "most-linked models" in result.stdout
    first = result.stdout.splitlines()[0]  # one line, never broken at the console's width
    assert first.endswith(" proposals)") or first.endswith(" proposal)"), first


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


def test_eval_against_a_graph_without_the_gold_papers_fails_in_one_line(built, tmp_path):
    """All zeros and exit 0 read like a score; the gold simply belongs to another graph."""
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"title": "A Paper Not In This Graph", "entities": []}) + "\n")
    result = run("eval", "--gold", str(gold), "--graph", str(built))
    assert result.exit_code == 1
    assert "none of the 1 papers of" in result.stderr and "--graph" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "args", [[], ["SELECT * WHERE { ?s ?p ?o }", "--example", "lineage"]], ids=["none", "both"]
)
def test_query_without_a_query_or_with_two_is_a_usage_error(built, args):
    result = run("query", "-g", str(built), *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("kg query: error: give a query")
    assert len(result.stderr.strip().splitlines()) == 1


# ------------------------------------------------------------------ view, export


@pytest.mark.parametrize("graph", ["", "store", "graph.ttl", "graph.graphml", "g.nt", "g.jsonld"])
def test_view_draws_any_graph_the_other_commands_read(built, tmp_path, graph):
    """Snag 5: `kg view -g exports/graph.ttl` (or store/, or graph.nt) found "no graphml"."""
    for fmt in ("nt", "jsonld"):
        if not (built / f"g.{fmt}").exists():
            assert (
                run("export", "-g", str(built), "-t", fmt, "-o", str(built / f"g.{fmt}")).exit_code
                == 0
            )
    target = tmp_path / "v.html"
    result = run("view", "-g", str(built / graph), "--all", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"wrote {target}: showing all ")
    assert "all 4 papers" in result.stderr
    page = target.read_text(encoding="utf-8")
    assert "ProLLaMA" in page


def test_view_and_export_write_nothing_in_the_working_directory(built, tmp_path, monkeypatch):
    """Snags 3 and 21: kg view and kg export wrote ./graph.* in the current directory; `-o -`
    wrote a file named "-"; and the status line went to stdout with the data."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    if True:
        view = run("view", "-g", str(built))
        assert view.exit_code == 0 and (built / "view.html").is_file()
        for args in (["-t", "nt"], ["-t", "nt", "-o", "-"], ["-t", "jsonld"], ["-t", "ttl"]):
            result = run("export", "-g", str(built), *args)
            assert result.exit_code == 0 and result.stderr == ""
            fmt = {"nt": "nt", "jsonld": "json-ld", "ttl": "turtle"}[args[1]]
            exported = rdflib.Graph().parse(data=result.stdout, format=fmt)
            assert isomorphic(exported, rdflib.Graph().parse(built / "graph.ttl"))
        assert os.listdir(cwd) == []
        to_file = run("export", "-g", str(built), "-t", "nt", "-o", "out.nt")
        assert to_file.stdout == "" and to_file.stderr == "wrote out.nt\n"
        assert os.listdir(cwd) == ["out.nt"]


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
def test_export_formats_parse_to_the_same_graph(built, tmp_path, fmt):
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


def test_view_help_says_what_a_screenshot_needs():
    """Snag 18: --screenshot needs Playwright from the test extra; the help did not say."""
    text = " ".join(run("view", "--help").stdout.split())
    assert "Playwright for Python (pip install playwright" in text and "chromium" in text


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["build", "nope.txt"], "nope.txt: no such file or directory"),
        (["build", "{f}/empty.txt"], "empty.txt: file is empty"),
        (["build", "{f}/no_abstract.txt"], "no_abstract.txt:3: title without an abstract"),
        (["build", "{f}/unknown.txt"], "cannot tell the format"),
        (["query", "SELEC nonsense"], "invalid SPARQL"),
        (["query", "--example", "nope"], "no example query 'nope'"),
        (["query", "--example", "most-used-model"], "did you mean 'most-used-models'?"),
        (["query", "nope.rq"], "nope.rq: no such query file"),
        (["stats", "--graph", "{tmp}/nothing-here"], "no such graph"),
        (["view", "--graph", "{tmp}/nothing-here"], "no such graph"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(args, message, fixtures, tmp_path, built):
    args = [a.format(f=fixtures / "ingest", tmp=tmp_path) for a in args]
    if args[0] == "query" and "--graph" not in args:
        args += ["--graph", str(built)]
    if args[0] == "build":
        args += ["--out", str(tmp_path / "out")]
    line = one_error_line(runner.invoke(app, args))
    assert line.startswith("kg: error: ") and message in line
    assert not (tmp_path / "out" / "graph.ttl").exists()


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["stats", "--top", "-1"], "--top"),
        (["view", "--depth", "-1"], "--depth"),
        (["view", "--max-nodes", "0"], "--max-nodes"),
        (["view", "--top", "-3"], "--top"),
        (["build", "-j", "0"], "--jobs"),
        (["query", "--nope"], "--nope"),
        (["build", "--from"], "--from"),
        (["stats", "--top", "many"], "--top"),
        (["build", "--from", "xml"], "--from"),
        (["build", "--to", "ttl,pdf"], "--to"),
        (["build", "--engine", "spark"], "--engine"),
        (["query", "--to", "xml", "ASK {}"], "--to"),
        (["query", "-e", "datasets-with-model", "--param", "model"], "--param"),
        (["export", "--to", "xml"], "--to"),
        (["serve", "--port", "99999"], "--port"),
        (["serve", "--timeout", "0"], "--timeout"),
        (["serve", "--workers", "0"], "--workers"),
        (["serve", "--max-results", "-5"], "--max-results"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(args, option):
    """Snag 6: `kg stats --top -1` failed as "invalid SPARQL"; options were not checked. And
    the README's promise (a bad option value: exit status 2) did not hold for --to, --from,
    --engine, --param, --port, --timeout, --workers, --max-results (kg: error ..., exit 1)."""
    result = runner.invoke(app, args)
    line = one_error_line(result, code=2)
    assert line.startswith(f"kg {args[0]}: error: ") and option in line
    assert f"(see kg {args[0]} --help)" in line and "SPARQL" not in line
    assert result.stderr.count("\n") == 1


# ------------------------------------------------------------------ help and options


def _commands():
    import typer.main

    return typer.main.get_command(app).commands


def test_kg_alone_prints_its_help():
    result = runner.invoke(app, [])
    assert result.exit_code == 2 and "error" not in result.output
    assert result.output.startswith("Usage: kg [OPTIONS] COMMAND") and "Commands:" in result.output


def test_every_command_has_help_with_an_example():
    assert set(_commands()) >= {"build", "query", "stats", "validate", "eval", "view", "export"}
    for name in _commands():
        result = run(name, "--help")
        assert result.exit_code == 0
        assert "Example" in result.output, f"kg {name} --help shows no example"


def test_help_prints_examples_as_written():
    """Snag 22: help rewrapped at 80 columns split examples (a comment, a curl query)."""
    import inspect

    for name, command in _commands().items():
        doc = inspect.cleandoc(command.callback.__doc__ or "")
        examples = [
            ln.strip()
            for ln in doc.splitlines()
            if ln.startswith(("  ", "Example: ")) and ("kg " in ln or "curl " in ln)
        ]
        assert examples, name
        shown = [ln.strip() for ln in run(name, "--help", terminal_width=80).stdout.splitlines()]
        for example in examples:
            assert example in shown, f"kg {name} --help breaks {example!r}"


def test_the_command_list_shows_whole_descriptions():
    """Snag 22: `kg --help` cut descriptions off with "..."."""
    text = run("--help", terminal_width=80).stdout
    assert "..." not in text.split("Commands:")[1]
    flat = " ".join(text.split())
    for name, command in _commands().items():
        first = " ".join(inspect_first_paragraph(command.callback.__doc__).split())
        assert f"{name} {first}" in flat


def inspect_first_paragraph(doc: str | None) -> str:
    import inspect

    return inspect.cleandoc(doc or "").split("\n\n")[0]


def test_option_names_follow_one_scheme():
    """Snag 23: --format (input) vs --formats (outputs) vs query --format (output) vs export
    --to; -f meant two things; metavars read <list[str]>."""
    seen_f = {}
    for name, command in _commands().items():
        text = run(name, "--help").stdout
        assert not re.search(r"<(str|int|path|float|list\[[^\]]*\])>", text), (name, text)
        for param in command.params:
            if getattr(param, "hidden", False):
                continue
            assert "--format" not in param.opts and "--formats" not in param.opts, name
            if "-f" in param.opts:
                seen_f[name] = param.opts
    assert seen_f == {"build": ["--from", "-f"]}
    for name in ("build", "query", "export"):
        assert any("--to" in p.opts for p in _commands()[name].params), name


def test_old_option_spellings_still_work(built, tmp_path, fixtures):
    q = "SELECT (COUNT(?p) AS ?n) WHERE { ?p a kg:Paper }"
    for flag in ("--format", "-f"):
        result = run("query", q, "-g", str(built), flag, "csv")
        assert result.stdout.splitlines() == ["n", "4"]
        assert "kg: warning: --format/-f is deprecated; use --to/-t" in result.stderr
    out = tmp_path / "old"
    result = run("build", str(fixtures / "ingest" / "daily.txt"), "--format", "hf-daily",
                 "--formats", "ttl", "--out", str(out))  # fmt: skip
    assert result.exit_code == 0 and sorted(p.name for p in out.iterdir() if p.is_file()) == [
        "graph.ttl",
        "state.jsonl.gz",
    ]
    assert "--format is deprecated; use --from" in result.stderr
    assert "--formats is deprecated; use --to" in result.stderr


def test_help_points_only_at_files_a_clone_has():
    """Snag 16: `kg eval --help` pointed at ../shared/..., which a clone does not have, and
    the gold format was documented nowhere."""
    for name in ["", *_commands()]:
        text = run(*([name] if name else []), "--help").stdout
        assert "../shared" not in text and "shared/" not in text, f"kg {name} --help"
    assert "eval/gold/" in run("eval", "--help").stdout
    guide = (ROOT / "eval" / "README.md").read_text(encoding="utf-8")
    for field in ('"title"', '"entities"', '"type"', '"mentions"', '"proposed"', '"relations"'):
        assert field in guide


def test_shell_completion():
    """Snag 27: no shell completion (typer's was switched off)."""
    assert "--install-completion" in run("--help").stdout
    env = {**os.environ, "_KG_COMPLETE": "complete_bash", "COMP_WORDS": "kg query --example most",
           "COMP_CWORD": "3"}  # fmt: skip
    done = subprocess.run([sys.executable, "-c", "from graph.cli import app; app(prog_name='kg')"],
                          env=env, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.stdout.split() == ["most-used-datasets", "most-used-models"], done.stderr


def test_license_file_matches_the_package_metadata():
    """Snag 20: pyproject said MIT, and there was no LICENSE file."""
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "Permission is hereby granted, free of charge" in text
    assert "paper-kg developers" in text
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^license = \{ ?text = "MIT" ?\}', pyproject, re.M)


def test_version():
    assert run("--version").output.startswith("paper-kg ")


# ------------------------------------------------------------------ the README's outputs


def _readme_sessions() -> list[tuple[str, list[str]]]:
    """Each ``$ command`` of the README's console blocks with the lines shown after it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sessions: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", readme, re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                sessions.append((line[2:], []))
            elif sessions:
                sessions[-1][1].append(line)
    return sessions


def _as_shown(actual: list[str], shown: list[str]) -> list[str]:
    """``actual`` cut where ``shown`` stops with a "…" line (a row of nothing but "…")."""
    cut = next((i for i, ln in enumerate(shown) if ln.strip("│ ") == "…"), None)
    return actual if cut is None else [*actual[:cut], shown[cut]]


@pytest.mark.slow
def test_readme_outputs_are_current(tmp_path):
    """Snag 14: the README showed outputs of an older build. Every `kg build`, `kg query
    --example` and `kg view` session of the README shows what the command prints today for the
    bundled sample (up to a "…" line; the build's time and the view's file name aside). After
    a change to the extraction, re-run the commands and paste their output."""
    import shlex

    out = tmp_path / "exports"
    sessions = _readme_sessions()
    env = {"COLUMNS": "100"}
    checked = set()
    for command, shown in sessions:
        args = shlex.split(command, comments=True)
        if args[:2] != ["kg", "build"] or len(args) > 2:
            continue
        result = run("build", "--out", str(out), "-j", "1", env=env)
        assert result.exit_code == 0, result.output
        summary = re.sub(r"; [\d.]+ s$", "; T s", result.stderr.splitlines()[0])
        assert summary == re.sub(r"; [\d.]+ s$", "; T s", shown[0])
        checked.add("build")
    assert checked == {"build"}, "the README's tour starts with a plain `kg build`"
    for command, shown in sessions:
        args = shlex.split(command, comments=True)
        if args[:3] == ["kg", "query", "--example"]:
            result = run(*args[1:], "-g", str(out), env=env)
            assert result.exit_code == 0, result.output
            actual = result.stdout.splitlines() + result.stderr.splitlines()
            assert _as_shown(actual, shown) == shown, f"README: $ {command}"
            checked.add(command)
        elif args[:2] == ["kg", "view"] and shown:
            args = [a for a in args if a != "--screenshot" and not a.endswith(".png")]
            if "-o" not in args:
                args += ["-o", str(tmp_path / "view.html")]
            args[args.index("-o") + 1] = str(tmp_path / "view.html")
            result = run(*args[1:], "-g", str(out), env=env)
            assert result.exit_code == 0, result.output
            note = result.stderr.splitlines()[0].split(": ", 1)[1]
            assert note == shown[-1].split(": ", 1)[1], f"README: $ {command}"
            checked.add(command)
    assert len(checked) >= 6, checked
