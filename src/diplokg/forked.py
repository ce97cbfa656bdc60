"""Run one operation in a forked child process that can be stopped: killed at a timeout,
capped in memory, and lost without harm when it crashes.

Why a process and not a thread: Python cannot stop a thread, so a query past its timeout
used to run on (CPU and memory growing) after its client had been told 503; and a query
that overflows the engine's stack kills whatever process runs it. A forked child sees a
copy-on-write snapshot of the parent's memory (the open store included), so it needs no
set-up; it sends its pickled value (or exception) back through a pipe and leaves with
`os._exit`, running no finalizer (an open on-disk store is never flushed or closed by it).

`run_forked(operation, timeout=..., memory=...)` returns the value or raises what the
operation raised; the child's end is one of these exceptions:

- ChildTimeout: it had not finished after `timeout` seconds; it was killed (SIGKILL).
- ChildOutOfMemory: it needed more than `memory` bytes beyond what the parent used
  (RLIMIT_AS in the child: Python's MemoryError, or the Rust allocator's abort).
- ChildCrashed: it died of a signal (a segfault from a stack overflow, say) or exited
  without an answer.

The child is always reaped before `run_forked` returns or raises: no zombies. Backstops
for when the parent dies first: the child gets SIGKILL with its parent (PR_SET_PDEATHSIG)
and an alarm a little after the timeout.

The caller must not fork while another of its threads is inside a call that holds a lock
the child needs (a store call, say): the child would wait for it forever (until the
timeout). The SPARQL server guarantees that for the store with its readers-writer lock;
forks themselves are serialised here, so no child inherits another child's pipe.
"""

from __future__ import annotations

import ctypes
import math
import os
import pickle
import resource
import select
import signal
import sys
import threading
import time
import warnings
from collections.abc import Callable
from typing import Any

from .errors import DiplokgError

__all__ = ["ChildCrashed", "ChildOutOfMemory", "ChildStuck", "ChildTimeout", "run_forked"]

_FORK_LOCK = threading.Lock()
_PR_SET_PDEATHSIG = 1
_STDERR_KEPT = 4096  # bytes of the child's stderr kept to tell why it died
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
PROBE_SECONDS = 0.5  # a probe takes milliseconds; past this the child is stuck


class ChildTimeout(DiplokgError):
    """The child ran past its timeout and was killed."""


class ChildOutOfMemory(DiplokgError):
    """The child needed more memory than its budget."""


class ChildCrashed(DiplokgError):
    """The child died without an answer (a signal, or an exit without a value)."""


class ChildStuck(ChildCrashed):
    """The child did not get through its probe in time: a lock it needs came over held by a
    thread of the parent that does not exist in the child (RocksDB's, after a write)."""


def run_forked(operation: Callable[[], Any], *, timeout: float | None, memory: int | None,
               probe: Callable[[], Any] | None = None, probe_timeout: float = PROBE_SECONDS) -> Any:
    """The value of `operation()` computed in a forked child (see the module docstring).
    `timeout` in seconds and `memory` in bytes; None for no limit. `probe`, when given, runs
    first in the child and must be done within `probe_timeout` s, else ChildStuck: it touches
    what may have come over locked (the caller can then settle and fork again)."""
    deadline = None if timeout is None else time.monotonic() + timeout
    pid, result_fd, stderr_fd = _fork(operation, timeout, memory, probe, probe_timeout)
    reaped = killed = False
    try:
        answer, stderr = _read_answer(result_fd, stderr_fd, deadline)
        if answer is None and deadline is not None and time.monotonic() >= deadline:
            os.kill(pid, signal.SIGKILL)
            killed = True
        _, status = os.waitpid(pid, 0)
        reaped = True
    finally:
        os.close(result_fd)
        os.close(stderr_fd)
        if not reaped:  # the parent failed while reading: the child must not outlive the call
            _kill_and_reap(pid)
    if killed:
        raise ChildTimeout(f"timed out after {timeout:g} s")
    return _outcome(answer, status, stderr, memory)


def _fork(operation: Callable[[], Any], timeout: float | None, memory: int | None,
          probe: Callable[[], Any] | None = None, probe_timeout: float = 0.0) -> tuple[int, int, int]:
    """(child pid, read end of its result pipe, read end of its stderr pipe)."""
    with _FORK_LOCK:
        result_r, result_w = os.pipe()
        stderr_r, stderr_w = os.pipe()
        with warnings.catch_warnings():
            # Python 3.12+ warns that forking a multi-threaded process may deadlock the child
            # on a lock another thread held. Safe here: the child only runs `operation`, which
            # the caller guarantees needs no lock held elsewhere (see the module docstring),
            # and the child is killed at the timeout if that ever fails.
            warnings.filterwarnings("ignore", message=r".*fork\(\) may lead to deadlocks", category=DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # pragma: no cover - the child; it never returns
            os.close(result_r)
            os.close(stderr_r)
            _child(operation, result_w, stderr_w, timeout, memory, probe, probe_timeout)
        os.close(result_w)
        os.close(stderr_w)
    return pid, result_r, stderr_r


def _child(operation: Callable[[], Any], result_w: int, stderr_w: int, timeout: float | None,
           memory: int | None, probe: Callable[[], Any] | None = None,
           probe_timeout: float = 0.0) -> None:  # pragma: no cover - runs in the child
    status = 0
    try:
        os.dup2(stderr_w, 2)
        sys.stderr = open(2, "w", encoding="utf-8", errors="replace", closefd=False)  # not the parent's locked one
        _die_with_parent()
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the parent, which takes the child along
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if probe is not None:  # SIGALRM ends a child stuck on a lock that came over held
            signal.setitimer(signal.ITIMER_REAL, probe_timeout)
            probe()
            signal.setitimer(signal.ITIMER_REAL, 0)
        if timeout is not None:
            signal.alarm(math.ceil(timeout) + 2)  # SIGALRM ends the child if the parent cannot
        if memory is not None:
            _limit_memory(memory)
        try:
            payload = pickle.dumps(("value", operation()), protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            payload = pickle.dumps(("memory", None))
        except BaseException as exc:  # handed to the parent, which raises it
            payload = _pickled_error(exc)
        _write_all(result_w, payload)
    except BaseException:  # nothing may escape into the parent's code, which this process shares
        status = 70
    finally:
        os._exit(status)


def _pickled_error(exc: BaseException) -> bytes:
    try:
        return pickle.dumps(("error", exc))
    except Exception:  # an exception that cannot travel becomes a plain one with its message
        return pickle.dumps(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the alarm still ends the child
        pass


def _limit_memory(budget: int) -> None:  # pragma: no cover - runs in the child
    """Let the child's address space grow by `budget` bytes beyond what it inherited."""
    with open("/proc/self/statm", "rb") as statm:
        current = int(statm.read().split()[0]) * _PAGE_SIZE
    limit = current + budget
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _write_all(fd: int, data: bytes) -> None:  # pragma: no cover - runs in the child
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _read_answer(result_fd: int, stderr_fd: int, deadline: float | None) -> tuple[tuple | None, bytes]:
    """Read both pipes until the child closes them or the deadline passes:
    ((kind, value) or None, the start of the child's stderr)."""
    chunks: list[bytes] = []
    stderr = b""
    open_fds = {result_fd, stderr_fd}
    while open_fds:
        wait = None if deadline is None else deadline - time.monotonic()
        if wait is not None and wait <= 0:
            return None, stderr
        ready, _, _ = select.select(list(open_fds), [], [], wait)
        for fd in ready:
            data = os.read(fd, 1 << 16)
            if not data:
                open_fds.discard(fd)
            elif fd == result_fd:
                chunks.append(data)
            elif len(stderr) < _STDERR_KEPT:
                stderr += data
    if not chunks:
        return None, stderr
    try:
        return pickle.loads(b"".join(chunks)), stderr
    except Exception:  # a child cut short mid-write
        return None, stderr


def _kill_and_reap(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def _outcome(answer: tuple | None, status: int, stderr: bytes, memory: int | None) -> Any:
    """The value, or the exception that says how the child ended."""
    if answer is not None:
        kind, value = answer
        if kind == "value":
            return value
        if kind == "error":
            raise value
        raise ChildOutOfMemory(_memory_message(memory))
    text = stderr.decode("utf-8", "replace")
    signum = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    if signum == signal.SIGALRM:  # the backstop fires after the parent's own kill: the probe's
        raise ChildStuck("it did not get through its probe in time")
    if signum == signal.SIGXCPU:
        raise ChildTimeout("timed out (stopped by its own alarm)")
    if "memory allocation of" in text or "MemoryError" in text or signum == signal.SIGKILL:  # SIGKILL: the OOM killer
        raise ChildOutOfMemory(_memory_message(memory))
    if signum is not None:
        raise ChildCrashed(f"it died of {signal.Signals(signum).name}")
    reason = next((line.strip() for line in reversed(text.splitlines()) if line.strip()), "")
    raise ChildCrashed(f"it exited with status {os.WEXITSTATUS(status)} and no answer" + (f" ({reason})" if reason else ""))


def _memory_message(memory: int | None) -> str:
    return f"needed more than {(memory or 0) // (1 << 20)} MB"
