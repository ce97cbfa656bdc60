"""Input paths -> the files to read, each with the id its article gets by default.

A file named on the command line has the id of its stem. A file found in a folder has the id
of its path relative to that folder, without the suffix (`IN/2024-01/nota.txt` is
`2024-01/nota`, `IN/nota.txt` stays `nota`), so one file name in two subfolders is two
articles, never one lost. Folders are walked in sorted order (a folder's README, LICENSE ...
and `*.gold.json` are no articles); symlinked folders are followed, and a folder reached
twice (two links to it, or a link back up: a cycle) is read once. An unreadable folder, a
symbolic link to nothing or a special file with an article's suffix is a one-line
InputError passed to `on_error` (raised without one), and the walk goes on.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl",)
_NOT_ARTICLES = {"README", "LICENSE", "CHANGELOG", "NOTES"}

OnError = Callable[[InputError], None]


@dataclass(frozen=True)
class InputFile:
    """A file to read and the default id of its article (of a JSONL file: the ids' stem)."""

    path: Path
    id: str


def _raise(err: InputError) -> None:
    raise err


def readable_suffix(path: Path) -> bool:
    return path.suffix.lower() in TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES


def check_inputs(inputs: Iterable[str | Path]) -> None:
    """Raise the InputError of the first path named on the command line that cannot be an
    input (missing, of another file type, neither file nor folder), before anything is read."""
    for item in inputs:
        if not isinstance(item, InputFile):
            _argument(Path(item), _raise)


def input_files(inputs: Iterable[str | Path | InputFile], *, on_error: OnError | None = None) -> Iterator[InputFile]:
    """Every file of `inputs` (files and folders, in the order given) to read as articles."""
    report = on_error or _raise
    seen: set[tuple[int, int]] = set()  # (device, inode) of every folder read
    for item in inputs:
        if isinstance(item, InputFile):
            yield item
            continue
        path = Path(item)
        kind = _argument(path, report)
        if kind == "dir":
            yield from _walk(path, path, report, seen)
        elif kind == "file":
            yield InputFile(path, path.stem)


def _argument(path: Path, report: OnError) -> str | None:
    if path.is_dir():
        return "dir"
    if path.is_file():
        if readable_suffix(path):
            return "file"
        report(InputError(f"{path}: unsupported file type {path.suffix!r} (use .txt, .md, .html or .jsonl)"))
    elif path.exists() or path.is_symlink():
        report(InputError(f"{path}: not a regular file or directory"))
    else:
        report(InputError(f"{path}: no such file or directory"))
    return None


def _walk(folder: Path, top: Path, report: OnError, seen: set[tuple[int, int]]) -> Iterator[InputFile]:
    try:
        st = folder.stat()
        if (st.st_dev, st.st_ino) in seen:
            return  # already read (or being read: a link back up), under another path
        seen.add((st.st_dev, st.st_ino))
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        report(InputError(f"{folder}: cannot read folder ({exc.strerror or exc})"))
        return
    for entry in entries:
        path = folder / entry.name
        try:
            is_dir, is_file = entry.is_dir(), entry.is_file()  # through symbolic links
        except OSError as exc:
            report(InputError(f"{path}: cannot read ({exc.strerror or exc})"))
            continue
        if is_dir:
            yield from _walk(path, top, report, seen)
        elif is_file:
            if readable_suffix(path) and path.stem.upper() not in _NOT_ARTICLES and not path.name.endswith(".gold.json"):
                yield InputFile(path, _relative_id(path, top))
        elif entry.name.startswith("."):
            continue  # hidden: an editor's lock file is a link to nothing
        elif entry.is_symlink() and not os.path.exists(path):
            if readable_suffix(path) or not path.suffix:  # an article's file or a folder
                report(InputError(f"{path}: symbolic link to nothing ({os.readlink(path)})"))
        elif readable_suffix(path):
            report(InputError(f"{path}: not a regular file or directory"))


def _relative_id(path: Path, top: Path) -> str:
    """`TOP/2024-01/nota.txt` -> `2024-01/nota`; `TOP/nota.txt` -> `nota`."""
    parts = path.relative_to(top).parts
    return "/".join((*parts[:-1], Path(parts[-1]).stem))
