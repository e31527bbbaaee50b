#!/usr/bin/env bash
# Shared by the bench scripts: a throwaway etcd on loopback, loaded with the test kit's loader.
set -euo pipefail

BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

bench_build() {
  # BENCH_NO_BUILD=1 reuses the jars already built.
  [ "${BENCH_NO_BUILD:-0}" = 1 ] || (cd "$BENCH_ROOT" && mvn -B -q -DskipTests package)
  LOADER_CP="$(ls "$BENCH_ROOT"/lifeboat-testkit/target/lifeboat-testkit-*.jar | head -1):$(cat "$BENCH_ROOT/lifeboat-testkit/target/lifeboat-testkit.classpath")"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_etcd BIN_DIR WORK_DIR: sets ETCD_PID and ENDPOINT.
start_etcd() {
  local bin="$1" work="$2" cport pport
  cport="$(free_port)"; pport="$(free_port)"
  ENDPOINT="http://127.0.0.1:$cport"
  "$bin/etcd" --name bench --data-dir "$work/etcd-data" --quota-backend-bytes $((8 * 1024 * 1024 * 1024)) \
    --listen-client-urls "$ENDPOINT" --advertise-client-urls "$ENDPOINT" \
    --listen-peer-urls "http://127.0.0.1:$pport" --initial-advertise-peer-urls "http://127.0.0.1:$pport" \
    --initial-cluster "bench=http://127.0.0.1:$pport" >"$work/etcd.log" 2>&1 &
  ETCD_PID=$!
  for _ in $(seq 1 100); do
    ETCDCTL_API=3 "$bin/etcdctl" --endpoints "$ENDPOINT" endpoint health >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "etcd did not start; see $work/etcd.log" >&2
  return 1
}

stop_etcd() {
  [ -n "${ETCD_PID:-}" ] && kill "$ETCD_PID" 2>/dev/null && wait "$ETCD_PID" 2>/dev/null || true
  ETCD_PID=""
}

load_bytes() {
  java -cp "$LOADER_CP" io.lifeboat.testkit.LoadMain --endpoints "$ENDPOINT" --bytes "$1"
}

can_drop_caches() {
  [ -w /proc/sys/vm/drop_caches ] && sync && echo 3 > /proc/sys/vm/drop_caches 2>/dev/null
}

drop_caches() {
  sync
  echo 3 > /proc/sys/vm/drop_caches
}

# measure LABEL RUNS COLD(0|1) CMD...: runs CMD RUNS times with /usr/bin/time, prints
# "LABEL <median wall s> <median maxRSS MB>"; exits non-zero if CMD ever fails.
measure() {
  local label="$1" runs="$2" cold="$3"; shift 3
  local walls=() rsss=() out timing
  timing="$(mktemp)"
  for _ in $(seq 1 "$runs"); do
    [ "$cold" = 1 ] && drop_caches
    /usr/bin/time -o "$timing" -f '%e %M' "$@" >/dev/null 2>&1 || { echo "measure: $label failed" >&2; rm -f "$timing"; return 1; }
    out="$(tail -1 "$timing")"
    walls+=("$(echo "$out" | awk '{print $1}')")
    rsss+=("$(echo "$out" | awk '{print $2}')")
  done
  rm -f "$timing"
  local wall rss
  wall=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  rss=$(printf '%s\n' "${rsss[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.0f", a[int((NR+1)/2)]/1024}')
  echo "$label $wall $rss"
}

# median VALUES...: the middle value; for an even count, the mean of the two middle ones.
median() {
  printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {
    if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
