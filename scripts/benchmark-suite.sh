#!/usr/bin/env bash
# The benchmark table of src-docs/benchmarks.md in one command: every mode, RaftX and etcd side by side (one node per
# process, the same etcd v3 client), rounds alternating which system goes first. Output: benchmark-results.txt.
# Needs etcd on the PATH for the comparison (apt-get install etcd-server); without it only RaftX runs.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-3}
out=${OUT:-benchmark-results.txt}
scripts/benchmark.sh --help >/dev/null 2>&1 || true   # builds once
run() { echo "## $*" | tee -a "$out"; RAFTX_BENCH_NO_BUILD=1 scripts/benchmark.sh --rounds="$rounds" "$@" 2>&1 \
          | grep -E '^(#|raftx|etcd|round|median)' | tee -a "$out"; }
: > "$out"
run --mode=put --inflight=256 --ops=20000 --warmup=20000
run --mode=put --inflight=1 --ops=1000 --warmup=10000
run --mode=get --inflight=256 --ops=30000 --warmup=20000
run --mode=sget --inflight=256 --ops=30000 --warmup=20000
run --mode=cas --inflight=256 --ops=20000 --warmup=20000
run --mode=idle --idle-seconds=${IDLE_SECONDS:-30} --ops=20000 --warmup=20000
