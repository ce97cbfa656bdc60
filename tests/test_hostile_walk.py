"""Walking input folders (issue 15, defect 10).

Unreadable and symlinked subfolders used to be skipped without a word ("0 article(s)",
exit 0). Now an unreadable folder or file is one error line naming it (exit 2, the rest is
still stored); a symlinked folder is followed, and a folder reached twice (a second link to
it, or a link back to a folder being read: a cycle) is read once, so a walk never loops.

Permissions are real (chmod 000). Root reads through them by two capabilities
(CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), so as root the command runs in a subprocess that has
dropped both (it stays root, the owner of the files, whose mode 000 then denies it); the
test is skipped only where a process may not drop them.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from cli_run import run_cli as _cli
from cli_run import write_file
from diplokg.read import iter_input_files, read_articles

BODY = "El canciller de Chile, Tomás Pérez, se reunió en Lima con el presidente del Perú.\n"
SCRIPT = Path(sys.executable).with_name("diplokg")
NOBODY = 65534


def _write(path: Path, text: str = BODY) -> Path:
    return write_file(path, text)


def _ids(out: str) -> list[str]:
    return [line.split()[1] for line in out.splitlines() if line.split()[0] in ("added", "replaced", "unchanged")]


def test_symlinked_folders_are_followed_once_and_cycles_end(tmp_path):
    root, elsewhere = tmp_path / "IN", tmp_path / "fuera"
    _write(root / "a.txt")
    _write(elsewhere / "b.txt")
    _write(root / "sub" / "c.txt")
    (root / "enlace").symlink_to(elsewhere, target_is_directory=True)
    (root / "otro-enlace").symlink_to(elsewhere, target_is_directory=True)  # the same folder again
    (root / "sub" / "bucle").symlink_to(root, target_is_directory=True)  # a cycle back to the top
    (root / "sub" / "arriba").symlink_to("..", target_is_directory=True)  # and a relative one

    files = list(iter_input_files([root]))
    assert [p.relative_to(root).as_posix() for p in files] == ["a.txt", "enlace/b.txt", "sub/c.txt"]
    r = _cli("ingest", root, "--store", "memory:")
    assert (r.code, r.err) == (0, "")
    assert _ids(r.out) == ["a", "enlace/b", "sub/c"]


def test_a_symlink_to_nothing_is_reported(tmp_path):
    root = tmp_path / "IN"
    _write(root / "a.txt")
    (root / "roto.txt").symlink_to(tmp_path / "no-existe.txt")
    (root / "carpeta-rota").symlink_to(tmp_path / "no-existe", target_is_directory=True)
    errors = []
    assert [a.id for a in read_articles([root], on_error=errors.append)] == ["a"]
    assert [str(e) for e in errors] == [f"{root / 'carpeta-rota'}: symbolic link to nothing ({tmp_path / 'no-existe'})",
                                        f"{root / 'roto.txt'}: symbolic link to nothing ({tmp_path / 'no-existe.txt'})"]


def _without_dac_capabilities() -> None:
    """In the child, before exec: drop CAP_DAC_OVERRIDE (1) and CAP_DAC_READ_SEARCH (2) from
    the bounding set (prctl PR_CAPBSET_DROP = 24), so the new program never has them."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):
        if libc.prctl(24, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def _run_unprivileged(argv: list[str]) -> SimpleNamespace:
    """The real command as a process that permissions bind (root's chmod 000 means nothing)."""
    if os.geteuid() != 0:
        return _cli(*argv)
    try:
        done = subprocess.run([str(SCRIPT), *argv], capture_output=True, text=True, timeout=300,
                              preexec_fn=_without_dac_capabilities)
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"cannot drop root's file-permission capabilities here ({exc})")
    return SimpleNamespace(code=done.returncode, out=done.stdout, err=done.stderr)


def test_unreadable_folder_and_file_are_errors_and_the_rest_is_stored(tmp_path):
    root = tmp_path / "IN"
    try:
        _write(root / "a.txt")
        _write(root / "cerrada" / "x.txt")
        _write(root / "secreto.txt")
        _write(root / "z" / "z.txt")
        os.chmod(root / "secreto.txt", 0o000)
        os.chmod(root / "cerrada", 0o000)

        r = _run_unprivileged(["ingest", str(root), "--store", "memory:"])

        assert r.err.splitlines() == [f"diplokg: {root / 'cerrada'}: cannot read folder (Permission denied)",
                                      f"diplokg: {root / 'secreto.txt'}: cannot read (Permission denied)"]
        assert r.code == 2
        assert _ids(r.out) == ["a", "z/z"]
    finally:
        os.chmod(root / "cerrada", 0o755)
        os.chmod(root / "secreto.txt", 0o644)
