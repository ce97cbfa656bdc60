"""In-memory store: the same Oxigraph engine as on disk (identical query semantics), nothing
written anywhere. For tests, one-off runs and `--store memory:`."""

from __future__ import annotations

import pyoxigraph as ox

from .oxigraph import PyoxigraphStore


class MemoryStore(PyoxigraphStore):
    name = "memory"
    persistent = False

    def __init__(self) -> None:
        super().__init__(ox.Store(), "memory:")
