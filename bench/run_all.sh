#!/usr/bin/env bash
# Every benchmark, one after the other (they must not share the CPU), each rewriting its
# sections of bench/results.md. `--quick`: small sizes, a few minutes in all; without it the
# full sizes of the issue (1,000/10,000-article corpora, 1M quads, 10k/50k-article stores).
# Extra arguments go to both scripts (e.g. --repeat 5). Intermediate files: bench/.work/.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
[ -x "$PY" ] || PY=python3
start=$(date +%s)
"$PY" bench/bench_ingest.py "$@"
"$PY" bench/bench_store.py "$@"
echo "run_all: $(( $(date +%s) - start )) s; results in bench/results.md"
