#!/usr/bin/env bash
# The benchmark table of src-docs/benchmarks.md in one command: every mode, RaftX and etcd side by side (one node per
# process, the same etcd v3 client), rounds alternating which system goes first. Output: benchmark-results.txt.
# Needs etcd on the PATH for the comparison (apt-get install etcd-server); without it only RaftX runs. Every round
# warms up until the JIT compilers are quiet (--warmup-max-seconds, default 300): about an hour in all on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-3}
out=${OUT:-benchmark-results.txt}
scripts/benchmark.sh --help >/dev/null 2>&1 || true   # builds once
run() { echo "## $*" | tee -a "$out"; RAFTX_BENCH_NO_BUILD=1 scripts/benchmark.sh --rounds="$rounds" "$@" 2>&1 \
          | grep -E '^(#|raftx|etcd|round|median)' | tee -a "$out"; }
: > "$out"
run --mode=put --inflight=256 --ops=50000 --warmup=20000
run --mode=put --inflight=1 --ops=2000 --warmup=10000
run --mode=get --inflight=256 --ops=100000 --warmup=20000
run --mode=sget --inflight=256 --ops=100000 --warmup=20000
run --mode=cas --inflight=256 --ops=50000 --warmup=20000
run --mode=idle --idle-seconds=${IDLE_SECONDS:-60} --ops=20000 --warmup=20000
# In-process, load on the leader only: never compared with etcd or with the rows above.
RAFTX_BENCH_JAVA_OPTS=-Dbench.leaderOnly=true run --topology=inprocess --mode=put --inflight=256 --ops=200000 \
  --warmup=50000 --system=raftx
