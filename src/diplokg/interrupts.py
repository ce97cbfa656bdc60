"""Ctrl-C and SIGTERM stop a command the same way: between writes, never in the middle of
one's bookkeeping.

A store write is one transaction, which a signal cannot split (Python runs its handlers
between bytecodes, not inside the engine's call). But around a write there is Python work
that must not be cut short: a batch handed to the writer thread, the articles it stored
reported. Inside `deferred()` a signal is held and raised when the block ends; elsewhere it
raises `Interrupted` (a KeyboardInterrupt) at once.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    """A stop signal arrived; `exit_code` is the shell's 128 + the signal's number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signal_name = signal.Signals(signum).name
        self.exit_code = 128 + signum


_held: list[int] = []
_depth = 0


def _handler(signum: int, _frame) -> None:
    if _depth:
        _held.append(signum)
        return
    raise Interrupted(signum)


@contextmanager
def handled() -> Iterator[None]:
    """SIGINT and SIGTERM raise Interrupted within this block (in the main thread; elsewhere,
    where Python cannot set handlers, nothing changes). A signal the process was started
    ignoring (a background job's SIGINT) stays ignored."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, _handler) for s in STOP_SIGNALS if signal.getsignal(s) is not signal.SIG_IGN}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, signal.SIG_DFL if handler is None else handler)


@contextmanager
def deferred() -> Iterator[None]:
    """Hold stop signals until the block ends, then raise the first one."""
    global _depth
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if not _depth and _held:
            signum = _held[0]
            _held.clear()
            raise Interrupted(signum)
