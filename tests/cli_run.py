"""The CLI in this process, for tests: `run_cli(*argv)` gives (code, out, err), and
`write_file` puts a UTF-8 text on disk, making its folders."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from types import SimpleNamespace

from diplokg.cli import main


def run_cli(*argv) -> SimpleNamespace:
    """`diplokg ARGV` in this process: code, out and err."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return SimpleNamespace(code=code, out=out.getvalue(), err=err.getvalue())


def write_file(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
