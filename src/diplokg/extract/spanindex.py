"""Spans by where they are in the text, for the stages' "which mentions are here" questions.

A scan over every mention of the article for each token, title or event made the stages
grow with the square of the text (a 2 MB article took minutes). The index answers
from the few buckets of 64 characters around a place instead, and returns the spans in
the order they were added, so a first match is the same as the scan's.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

BUCKET = 64


class Range(NamedTuple):
    """A bare (start, end) pair, to index ranges that are not spans."""

    start: int
    end: int


class SpanIndex:
    """Objects with `start` and `end` character offsets (which must not change once added)."""

    def __init__(self, spans: Iterable[Any] = ()) -> None:
        self._buckets: dict[int, list[tuple[int, Any]]] = {}
        self._count = 0
        self._longest = 0
        for span in spans:
            self.add(span)

    def add(self, span: Any) -> None:
        self._buckets.setdefault(span.start // BUCKET, []).append((self._count, span))
        self._count += 1
        self._longest = max(self._longest, span.end - span.start)

    def __len__(self) -> int:
        return self._count

    def starting(self, lo: int, hi: int) -> list:
        """Spans with lo <= start <= hi, in the order added."""
        if hi < lo:
            return []
        found = [(n, s) for b in range(lo // BUCKET, hi // BUCKET + 1) for n, s in self._buckets.get(b, ())
                 if lo <= s.start <= hi]
        found.sort(key=lambda item: item[0])
        return [s for _, s in found]

    def overlapping(self, start: int, end: int) -> list:
        """Spans that share a character with [start, end): s.start < end and start < s.end."""
        return [s for s in self.starting(start - self._longest, end - 1) if s.start < end and start < s.end]

    def covering(self, pos: int) -> list:
        """Spans with s.start <= pos < s.end."""
        return self.overlapping(pos, pos + 1)

    def inside(self, start: int, end: int) -> list:
        """Spans with start <= s.start and s.end <= end."""
        return [s for s in self.starting(start, end) if s.end <= end]

    def containing(self, start: int, end: int) -> list:
        """Spans with s.start <= start and end <= s.end."""
        return [s for s in self.starting(start - self._longest, start) if end <= s.end]
