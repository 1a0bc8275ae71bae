#!/usr/bin/env bash
# Builds raftx-benchmark (and what it needs) and runs it: scripts/benchmark.sh --mode=put --inflight=256 ...
# Every option is listed by scripts/benchmark.sh --help. Node processes run with the JVM's default flags.
# The failover timer: scripts/benchmark.sh failover --nodes=3,5 --faults=50 ... (options: failover --help).
set -euo pipefail
cd "$(dirname "$0")/.."
cp_file=raftx-benchmark/target/classpath.txt
if [[ "${RAFTX_BENCH_NO_BUILD:-}" != "1" || ! -f "$cp_file" ]]; then
  mvn -q -B -ntp -DskipTests -pl raftx-benchmark -am package dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >&2
fi
jar=$(ls raftx-benchmark/target/raftx-benchmark-*.jar | head -1)
exec java ${RAFTX_BENCH_JAVA_OPTS:-} -cp "$jar:$(cat "$cp_file")" io.raftx.benchmark.BenchmarkMain "$@"
