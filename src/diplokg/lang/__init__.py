"""Language packs: the words diplokg knows, as data files (one folder per language)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from ..errors import ResourceError

LANG_DIR = Path(__file__).parent


def resource_path(name: str, lang: str = "es") -> Path:
    path = LANG_DIR / lang / name
    if not path.is_file():
        raise ResourceError(f"{path}: language resource missing")
    return path


@cache
def load_json(name: str, lang: str = "es"):
    path = resource_path(name, lang)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ResourceError(f"{path}: invalid JSON ({exc.msg}, line {exc.lineno})") from None


@cache
def load_jsonl(name: str, lang: str = "es") -> tuple[dict, ...]:
    path = resource_path(name, lang)
    rows = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise ResourceError(f"{path}:{lineno}: invalid JSON ({exc.msg})") from None
    return tuple(rows)
