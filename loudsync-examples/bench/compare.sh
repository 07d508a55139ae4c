#!/usr/bin/env bash
# Measures the LoudSync example host and the ws baseline host (bench/ws-host) with the same load
# generator on this machine, a fresh host process per run, everything on 127.0.0.0/8.
#
#   loudsync-examples/bench/compare.sh [scenario ...]     (default: all scenarios)
#
# Scenarios: join1000 join5000 join5000-batching idle10000 defaults1000 defaults5000. The defaults
# scenarios run the host as the README starts it (its launcher, no extra JVM flags, latency probes
# on) beside the ws host, each driven once by LoudSync's load generator and once by the Node
# driver (bench/node-driver). Needs the three jars
# (./mvnw -q -B -pl loudsync-examples -am package -DskipTests), Node 18+ and npm. Summary lines go
# to standard output and rows to loudsync-examples/target/bench/results.csv. Linux only (/proc).
set -euo pipefail
cd "$(dirname "$0")/../.."

OUT=loudsync-examples/target/bench
CSV="$OUT/results.csv"
HOST_JVM_FLAGS=${HOST_JVM_FLAGS:-"-Xmx1g -XX:+UseSerialGC"}
# The idle scenario bounds the young generation, so that RSS per member counts the members rather
# than the first touch of a large eden (see docs/BENCHMARKS.md).
IDLE_JVM_FLAGS=${IDLE_JVM_FLAGS:-"-Xmn32m"}
LOAD_JVM_FLAGS=${LOAD_JVM_FLAGS:-"-Xmx2g"}
LOUDSYNC_PORT=18080
WS_PORT=18081
mkdir -p "$OUT"

for dir in ws-host node-driver; do
  if [ ! -d "loudsync-examples/bench/$dir/node_modules" ]; then
    (cd "loudsync-examples/bench/$dir" && npm ci --no-audit --no-fund --silent)
  fi
done

wait_for_port() {
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "nothing listens on port $1" >&2
  return 1
}

HOST_PID=
start_loudsync() { # extra host options...
  java -Dloudsync.log=WARN $HOST_JVM_FLAGS ${EXTRA_JVM_FLAGS:-} -jar loudsync-examples/target/loudsync-host.jar \
    --bind 127.0.0.1 --port $LOUDSYNC_PORT --session-id ABC123 --max-members 10001 \
    --no-lan-discovery --no-qr "$@" > "$OUT/loudsync-host.log" 2>&1 < /dev/null &
  HOST_PID=$!
  wait_for_port $LOUDSYNC_PORT
}

# The host as the README starts it: the launcher the build puts beside the jar, its JVM settings
# only, latency probes on. LAN discovery stays off: its beacons would leave the loopback network.
start_readme_host() {
  loudsync-examples/target/loudsync-host --bind 127.0.0.1 --port $LOUDSYNC_PORT --session-id ABC123 \
    --max-members 10001 --no-lan-discovery --no-qr > "$OUT/loudsync-host.log" 2>&1 < /dev/null &
  HOST_PID=$!
  wait_for_port $LOUDSYNC_PORT
}

start_ws() {
  node loudsync-examples/bench/ws-host/host.js --port $WS_PORT --session-id ABC123 --max-members 10001 \
    > "$OUT/ws-host.log" 2>&1 < /dev/null &
  HOST_PID=$!
  wait_for_port $WS_PORT
}

stop_host() {
  kill "$HOST_PID" 2>/dev/null || true
  wait "$HOST_PID" 2>/dev/null || true
}

load() { # label port generator options...
  local label=$1 port=$2
  shift 2
  java $LOAD_JVM_FLAGS -jar loudsync-examples/target/loudsync-load.jar --url "ws://127.0.0.1:$port/" \
    --session ABC123 --host-pid "$HOST_PID" --label "$label" --csv "$CSV" "$@" || true
}

node_load() { # label port driver options...
  local label=$1 port=$2
  shift 2
  node loudsync-examples/bench/node-driver/driver.js --url "ws://127.0.0.1:$port/" --session ABC123 \
    --host-pid "$HOST_PID" --label "$label" --csv "$OUT/node-results.csv" "$@" || true
}

defaults() { # guests broadcasts: both hosts, both drivers, no warm-up
  local guests=$1 rounds=$2 scenario="defaults$1"
  start_readme_host
  load "loudsync $scenario" $LOUDSYNC_PORT --guests "$guests" --idle 60s --broadcasts "$rounds" --leave-fraction 0 --timeout 600s
  stop_host
  start_ws
  load "ws $scenario" $WS_PORT --guests "$guests" --idle 60s --broadcasts "$rounds" --leave-fraction 0 --timeout 900s
  stop_host
  start_readme_host
  node_load "loudsync $scenario node" $LOUDSYNC_PORT --guests "$guests" --idle 60 --broadcasts "$rounds"
  stop_host
  start_ws
  node_load "ws $scenario node" $WS_PORT --guests "$guests" --idle 60 --broadcasts "$rounds"
  stop_host
}

run() { # scenario: both hosts unless told otherwise
  local scenario=$1
  case $scenario in
    join1000)
      # LoudSync without its latency probes: the original design has none (see docs/BENCHMARKS.md).
      start_loudsync --no-latency-probes
      load "loudsync $scenario" $LOUDSYNC_PORT --guests 1000 --warmup 200 --idle 30s --broadcasts 200 --leave-fraction 0.5
      stop_host
      start_ws
      load "ws $scenario" $WS_PORT --guests 1000 --warmup 200 --idle 30s --broadcasts 200 --leave-fraction 0.5
      stop_host ;;
    join5000)
      start_loudsync --no-latency-probes
      load "loudsync $scenario" $LOUDSYNC_PORT --guests 5000 --warmup 1000 --broadcasts 50 --leave-fraction 0.5 --timeout 300s
      stop_host
      start_ws
      load "ws $scenario" $WS_PORT --guests 5000 --warmup 1000 --broadcasts 50 --leave-fraction 0.5 --timeout 900s
      stop_host ;;
    join5000-batching)
      start_loudsync --no-latency-probes
      load "loudsync $scenario" $LOUDSYNC_PORT --guests 5000 --warmup 1000 --batching --broadcasts 0 --leave-fraction 0.5
      stop_host ;;
    idle10000)
      # The example host's defaults, latency probes included.
      EXTRA_JVM_FLAGS=$IDLE_JVM_FLAGS start_loudsync
      load "loudsync $scenario" $LOUDSYNC_PORT --guests 10000 --batching --join-waves 500 --warmup 1000 --idle 60s \
        --broadcasts 0 --leave-fraction 0 --timeout 600s
      stop_host ;;
    defaults1000)
      defaults 1000 200 ;;
    defaults5000)
      defaults 5000 50 ;;
    *)
      echo "unknown scenario: $scenario (join1000 join5000 join5000-batching idle10000 defaults1000 defaults5000)" >&2
      exit 2 ;;
  esac
}

trap stop_host EXIT
for scenario in "${@:-join1000 join5000 join5000-batching idle10000 defaults1000 defaults5000}"; do
  for s in $scenario; do
    run "$s"
  done
done
