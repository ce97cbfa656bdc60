"""`diplokg` with the prototypes of bench/prototypes.py applied (for the "patched" benchmark rows).

    python bench/diplokg_patched.py [--proto same_events,parallel] ingest corpus.jsonl --store DIR -q
"""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "src"))
sys.path.insert(0, str(BENCH))

if __name__ == "__main__":
    argv = sys.argv[1:]
    chosen = {"same_events"}
    if argv[:1] == ["--proto"]:
        chosen = set(argv[1].split(",")) - {""}
        argv = argv[2:]
    import prototypes

    prototypes.patch(same_events="same_events" in chosen, parallel="parallel" in chosen)
    from diplokg.cli import main

    raise SystemExit(main(argv))
