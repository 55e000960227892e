#!/usr/bin/env bash
# One core detection query run by muster's engine (DataFusion, as the detections run it) and by
# DuckDB over the same Parquet files, alternating, on this machine; prints median seconds and
# the ratio per query.
#
#   bash bench/duckdb.sh PARQUET_DIR [RUNS]     default RUNS=5
#
# PARQUET_DIR is a folder of staged contract tables (<table>/part-*.parquet), e.g. one made by
# bench/scale.sh. DuckDB comes from PyPI into a venv (DUCKDB_VENV, default
# ~/.cache/muster-duckdb-venv). The muster side is the `sql` example of muster-detect, built
# in release (CARGO_TARGET_DIR is honoured).
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${1:?usage: bash bench/duckdb.sh PARQUET_DIR [RUNS]}"
RUNS="${2:-5}"
VENV="${DUCKDB_VENV:-$HOME/.cache/muster-duckdb-venv}"
[ -x "$VENV/bin/python" ] || { python3 -m venv "$VENV"; "$VENV/bin/pip" install -q duckdb==2.0.1; }
# --workspace: the same features as the release binary (-p muster-detect alone would rebuild DataFusion)
cargo build --release -q --workspace --example sql
SQLBIN="${CARGO_TARGET_DIR:-target}/release/examples/sql"
"$VENV/bin/python" bench/duckdb_compare.py "$DIR" "$RUNS" "$SQLBIN"
