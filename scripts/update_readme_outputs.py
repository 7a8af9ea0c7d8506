"""Re-run the README's `kg build`, `kg query --example` and `kg view` sessions; paste the output.

The README's tour shows what the commands print for the bundled sample;
``tests/test_cli.py::test_readme_outputs_are_current`` fails when a change to the extraction
makes that stale. This script rewrites those console blocks in place with today's output, cut
where the README cuts it (a row of nothing but "…"), so a change and its README stay together:

    python scripts/update_readme_outputs.py            # rewrite README.md
    python scripts/update_readme_outputs.py --check    # exit 1 when something is stale
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
ENV = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1"}


def _kg(*args: str) -> tuple[list[str], list[str]]:
    """Run ``kg`` with ``args``; its stdout and stderr lines."""
    done = subprocess.run(
        [str(Path(sys.executable).parent / "kg"), *args],
        capture_output=True,
        text=True,
        env=ENV,
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"kg {shlex.join(args)} failed:\n{done.stderr}")
    return done.stdout.splitlines(), done.stderr.splitlines()


def _is_cut(line: str) -> bool:
    return line.strip("│ ") == "…"


def _shown(actual: list[str], shown: list[str]) -> list[str]:
    cut = next((i for i, ln in enumerate(shown) if _is_cut(ln)), None)
    return actual if cut is None else [*actual[:cut], shown[cut]]


def _session(command: str, shown: list[str], out: Path, tmp: Path) -> list[str]:
    """Today's lines for one ``$ command`` of the README (``shown`` when not a tour command)."""
    args = shlex.split(command, comments=True)
    if args == ["kg", "build"]:
        _, err = _kg("build", "--out", str(out), "-j", "1")
        untimed = re.compile(r"; [\d.]+ s$")
        same = shown and untimed.sub("", shown[0]) == untimed.sub("", err[0])
        return [shown[0] if same else err[0], *shown[1:]]
    if args[:3] == ["kg", "query", "--example"]:
        stdout, stderr = _kg(*args[1:], "-g", str(out))
        return _shown(stdout + stderr, shown)
    if args[:2] == ["kg", "view"] and shown:
        args = [a for a in args if a != "--screenshot" and not a.endswith(".png")]
        if "-o" not in args:
            args += ["-o", str(tmp / "view.html")]
        args[args.index("-o") + 1] = str(tmp / "view.html")
        _, err = _kg(*args[1:], "-g", str(out))
        head, _, _ = shown[-1].partition(": ")
        return [*shown[:-1], f"{head}: {err[0].split(': ', 1)[1]}"]
    return shown


def update(text: str) -> str:
    """``text`` (the README) with every tour session's output re-run."""
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        out = tmp / "exports"
        blocks = re.split(r"(```console\n.*?```)", text, flags=re.S)
        # The build comes first in the tour; run it before any query whatever the block order.
        _kg("build", "--out", str(out), "-j", "1")
        for i, block in enumerate(blocks):
            if not block.startswith("```console\n"):
                continue
            lines = block[len("```console\n") : -len("```")].splitlines()
            new: list[str] = []
            j = 0
            while j < len(lines):
                line = lines[j]
                if not line.startswith("$ "):
                    new.append(line)
                    j += 1
                    continue
                k = j + 1
                while k < len(lines) and not lines[k].startswith("$ "):
                    k += 1
                new += [line, *_session(line[2:], lines[j + 1 : k], out, tmp)]
                j = k
            blocks[i] = "```console\n" + "\n".join(new) + "\n```"
        return "".join(blocks)


def main() -> int:
    """Rewrite README.md, or with ``--check`` say whether it is current."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether it is stale")
    args = parser.parse_args()
    text = README.read_text(encoding="utf-8")
    new = update(text)
    if args.check:
        print("README outputs are current" if new == text else "README outputs are stale")
        return 0 if new == text else 1
    README.write_text(new, encoding="utf-8")
    print("README outputs re-run" + (" (no change)" if new == text else ""), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
