#!/usr/bin/env bash
# Runs a local 3-node RaftX cluster of the sample app on loopback.
#
#   scripts/cluster.sh start    build the sample app if needed, start n1..n3, wait until each is healthy
#   scripts/cluster.sh stop     stop the nodes (SIGTERM: a leader hands over before it exits)
#   scripts/cluster.sh status   show each node's process and its view of the cluster
#
# Node i serves HTTP on 808i, the etcd v3 API on 2379i (etcdctl --endpoints=127.0.0.1:23791,...) and talks to its
# peers on 710i. Data: .run/n1..n3, logs: .run/logs/n1.log... (the log of a node's previous run is kept as
# n1.log.1), pid files: .run/n1.pid... (all under the repository root).
#
# Start-up speed on small machines: the JVMs use a class-data-sharing archive made by one training run of the app
# (Spring Boot's CDS support: the jar is extracted to raftx-sample-app/target/cds/, the archive is rebuilt when the
# jar changes; RAFTX_CDS=false turns it off), the C1 compiler only and the serial GC. JAVA_OPTS replaces those JVM
# options. The start ends with how long it took and the load average (the machine's other work shows there).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN="$ROOT/.run"
NODES=(n1 n2 n3)
JAVA_OPTS="${JAVA_OPTS:--Xms64m -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC}"
RAFTX_CDS="${RAFTX_CDS:-true}"
CDS_DIR="$ROOT/raftx-sample-app/target/cds"
HEALTH_TIMEOUT_SECONDS=60

http_port() { echo "808${1#n}"; }
peer_port() { echo "710${1#n}"; }
etcd_port() { echo "2379${1#n}"; }
pid_file() { echo "$RUN/$1.pid"; }
log_file() { echo "$RUN/logs/$1.log"; }

# The node's pid if its process is alive. A killed node can linger as a zombie when nothing reaps orphans (e.g. in
# a container), and kill -0 succeeds on zombies, so the process state is checked too.
running_pid() {
  local file pid state
  file="$(pid_file "$1")"
  [[ -f "$file" ]] || return 0
  pid="$(cat "$file")"
  state="$(ps -o stat= -p "$pid" 2>/dev/null || true)"
  if [[ -n "$state" && "$state" != Z* ]]; then
    echo "$pid"
  fi
}

sample_jar() {
  ls "$ROOT"/raftx-sample-app/target/raftx-sample-app-*.jar 2>/dev/null | grep -v '\.original$' | head -n 1 || true
}

# Builds the sample app when its jar is missing or older than any source or pom in the repository (a stale jar
# would run code other than the checkout's).
build_if_missing() {
  local jar
  jar="$(sample_jar)"
  if [[ -z "$jar" || -n "$(find "$ROOT" -path "$ROOT/.run" -prune -o -path '*/target' -prune -o \
        \( -name '*.java' -o -name '*.proto' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) \
        -newer "$jar" -print -quit)" ]]; then
    echo "Building the sample app (mvn -q -B -DskipTests package -pl raftx-sample-app -am) ..."
    (cd "$ROOT" && mvn -q -B -DskipTests package -pl raftx-sample-app -am)
  fi
}

# Extracts the jar and records a CDS archive with a training run: the app starts as a single-node cluster of its own
# (ports 8090, 7100 and 23790, data in a temporary directory), answers a few requests and is stopped with SIGTERM;
# the JVM writes the archive as it exits. Unlike Spring's exit-on-refresh training, this also archives the classes
# loaded when the node, Tomcat and the gRPC servers start and serve. Prints the java arguments that run the app:
# with the archive, or the plain jar.
cds_launch_args() {
  local jar="$1" name training pid
  name="$(basename "$jar")"
  if [[ "$RAFTX_CDS" != "true" ]]; then
    echo "-jar $jar"
    return
  fi
  if [[ ! -f "$CDS_DIR/app.jsa" || "$jar" -nt "$CDS_DIR/app.jsa" ]]; then
    echo "Preparing a class-data-sharing archive (once per build) ..." >&2
    rm -rf "$CDS_DIR"
    mkdir -p "$CDS_DIR"
    java -Djarmode=tools -jar "$jar" extract --destination "$CDS_DIR/app" >/dev/null
    training="$(mktemp -d)"
    # shellcheck disable=SC2086
    java $JAVA_OPTS -XX:ArchiveClassesAtExit="$CDS_DIR/app.jsa" -jar "$CDS_DIR/app/$name" \
      --server.port=8090 --raftx.node-id=cds --raftx.address=127.0.0.1:7100 \
      --raftx.etcd.address=127.0.0.1:23790 --raftx.data-dir="$training" >"$CDS_DIR/training.log" 2>&1 &
    pid=$!
    if train "$pid"; then
      kill "$pid"
    else
      kill -9 "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
    if ! grep -q 'Started SampleApplication' "$CDS_DIR/training.log" || [[ ! -s "$CDS_DIR/app.jsa" ]]; then
      echo "CDS training run failed (see $CDS_DIR/training.log); starting without the archive" >&2
      rm -f "$CDS_DIR/app.jsa"
    fi
    rm -rf "$training"
  fi
  if [[ -f "$CDS_DIR/app.jsa" ]]; then
    echo "-XX:SharedArchiveFile=$CDS_DIR/app.jsa -Xlog:cds=off -Xlog:cds+dynamic=off -jar $CDS_DIR/app/$name"
  else
    echo "-jar $jar"
  fi
}

# Waits (up to 3 x HEALTH_TIMEOUT_SECONDS: it runs once per build, and a busy machine slows it down) for the
# training node to be healthy, then sends it the kinds of requests the cluster serves. Fails if it exits or never
# becomes healthy.
train() {
  local pid="$1" deadline=$((SECONDS + 3 * HEALTH_TIMEOUT_SECONDS))
  until curl -sf -o /dev/null localhost:8090/actuator/health; do
    if ! kill -0 "$pid" 2>/dev/null || ((SECONDS >= deadline)); then
      return 1
    fi
    sleep 0.5
  done
  curl -s -o /dev/null -X PUT localhost:8090/kv/cds.training -d 1
  curl -s -o /dev/null 'localhost:8090/kv/cds.training?consistency=linearizable'
  curl -s -o /dev/null localhost:8090/cluster
  curl -s -o /dev/null localhost:8090/actuator/prometheus
}

members_args() {
  local args=() n
  for n in "${NODES[@]}"; do
    args+=("--raftx.members.$n=127.0.0.1:$(peer_port "$n")")
  done
  echo "${args[@]}"
}

start_node() {
  local node="$1" launch="$2"
  if [[ -n "$(running_pid "$node")" ]]; then
    echo "$node already running (pid $(running_pid "$node"))"
    return
  fi
  mkdir -p "$RUN/$node" "$RUN/logs"
  if [[ -f "$(log_file "$node")" ]]; then
    mv "$(log_file "$node")" "$(log_file "$node").1"
  fi
  # shellcheck disable=SC2086,SC2046
  nohup java $JAVA_OPTS $launch \
    --server.port="$(http_port "$node")" \
    --raftx.node-id="$node" \
    --raftx.data-dir="$RUN/$node" \
    --raftx.etcd.address="127.0.0.1:$(etcd_port "$node")" \
    $(members_args) \
    >"$(log_file "$node")" 2>&1 &
  echo $! >"$(pid_file "$node")"
  echo "$node started (pid $!, http :$(http_port "$node"), peers :$(peer_port "$node"), etcd :$(etcd_port "$node"), log $(log_file "$node"))"
}

await_healthy() {
  local node="$1" url code deadline
  url="http://127.0.0.1:$(http_port "$node")/actuator/health"
  deadline=$((SECONDS + HEALTH_TIMEOUT_SECONDS))
  while ((SECONDS < deadline)); do
    if [[ -z "$(running_pid "$node")" ]]; then
      echo "$node exited; last lines of $(log_file "$node"):" >&2
      tail -n 30 "$(log_file "$node")" >&2
      return 1
    fi
    code="$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)"
    if [[ "$code" == "200" ]]; then
      echo "$node is UP ($url)"
      return 0
    fi
    sleep 0.5
  done
  echo "$node did not become healthy within ${HEALTH_TIMEOUT_SECONDS}s; see $(log_file "$node")" >&2
  return 1
}

print_examples() {
  cat <<'USAGE'

Try it:
  curl -X PUT localhost:8081/kv/ai.model.threshold -d 0.7          # write on n1 -> {"revision":N}
  curl 'localhost:8082/kv/ai.model.threshold?consistency=linearizable'   # read it on n2
  curl -X POST 'localhost:8083/kv/ai.model.threshold/cas?expected=0.7' -d 0.8   # compare-and-set
  curl 'localhost:8081/kv?prefix=ai.'                               # prefix scan
  curl localhost:8082/events                                        # what n2's @ClusterWatch("**") saw
  curl localhost:8081/cluster                                       # role, term, leader, members
  curl -X POST 'localhost:808X/cluster/leader?to=n2'                # on the leader: hand leadership to n2
  curl localhost:8081/actuator/health                               # the raftx health component
  ETCDCTL_API=3 etcdctl --endpoints=127.0.0.1:23791,127.0.0.1:23792,127.0.0.1:23793 get --prefix ai.   # etcd API
  curl -s localhost:8081/actuator/prometheus | grep '^raftx_'       # metrics
  scripts/cluster.sh status | stop
USAGE
}

start() {
  command -v java >/dev/null || { echo "java (17+) is required" >&2; exit 1; }
  command -v curl >/dev/null || { echo "curl is required" >&2; exit 1; }
  build_if_missing
  local launch node began="$SECONDS" nodes_began
  launch="$(cds_launch_args "$(sample_jar)")"
  nodes_began="$SECONDS"
  for node in "${NODES[@]}"; do
    start_node "$node" "$launch"
  done
  for node in "${NODES[@]}"; do
    await_healthy "$node"
  done
  echo "All ${#NODES[@]} nodes healthy $((SECONDS - nodes_began)) s after they were launched ($((SECONDS - began)) s in all;" \
    "load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown))"
  print_examples
}

stop() {
  local node pid waited
  for node in "${NODES[@]}"; do
    pid="$(running_pid "$node")"
    if [[ -n "$pid" ]]; then
      kill "$pid"
      waited=0
      while kill -0 "$pid" 2>/dev/null && ((waited < 30)); do
        sleep 0.5
        waited=$((waited + 1))
      done
      if kill -0 "$pid" 2>/dev/null; then
        echo "$node (pid $pid) did not stop within 15s; killing it" >&2
        kill -9 "$pid" 2>/dev/null || true
      fi
      echo "$node stopped"
    else
      echo "$node not running"
    fi
    rm -f "$(pid_file "$node")"
  done
}

status() {
  local node pid
  for node in "${NODES[@]}"; do
    pid="$(running_pid "$node")"
    if [[ -n "$pid" ]]; then
      echo "$node: running (pid $pid) $(curl -s "localhost:$(http_port "$node")/cluster" || echo '(no answer)')"
    else
      echo "$node: stopped"
    fi
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
