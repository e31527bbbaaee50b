#!/usr/bin/env bash
# Benchmark: whole recovery of a 3-member etcd 3.5 cluster from one ~1 GB snapshot on this machine:
# restore every member's data dir, start the three members, wait until all are healthy and a read
# returns the expected value. Once with `etcdutl snapshot restore`, once with `bin/lifeboat
# snapshot restore`, alternating, RUNS times; wall time of the whole flow.
#
# Usage: bench/recovery.sh [SIZE (default 1G)] [RUNS (default 3)]
# Env:   KEEP_SNAPSHOT=path of an existing snapshot (must contain key /bench/probe=ok); BENCH_NO_BUILD=1.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

size="${1:-1G}"
runs="${2:-3}"
bin="${LIFEBOAT_ETCD_3_5_BIN:-$HOME/.cache/lifeboat/etcd-3.5/usr/bin}"
work="$(mktemp -d -t lifeboat-bench-recovery.XXXXXX)"
pids=()
stop_members() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; pids=(); }
trap 'stop_members; stop_etcd; rm -rf "$work"' EXIT
export ETCDCTL_API=3

bench_build
snapshot="${KEEP_SNAPSHOT:-}"
if [ -z "$snapshot" ] || [ ! -f "$snapshot" ]; then
  start_etcd "$bin" "$work"
  load_bytes "$size" >&2
  "$bin/etcdctl" --endpoints "$ENDPOINT" put /bench/probe ok >/dev/null
  snapshot="$work/snapshot.db"
  "$bin/etcdctl" --endpoints "$ENDPOINT" snapshot save "$snapshot" >/dev/null
  stop_etcd
fi
lifeboat="$BENCH_ROOT/bin/lifeboat"
# The first restore of a build makes its class-data archive and the second names it (bin/lifeboat):
# not runs to time.
for _ in 1 2; do "$lifeboat" snapshot restore "$snapshot" --data-dir "$work/warm-up.etcd" >/dev/null; rm -rf "$work/warm-up.etcd"; done

recover() {
  local tool="$1" start end cluster="" i
  local cports=() pports=()
  for i in 1 2 3; do cports+=("$(free_port)"); pports+=("$(free_port)"); done
  for i in 1 2 3; do cluster+="${cluster:+,}m$i=http://127.0.0.1:${pports[$((i-1))]}"; done
  rm -rf "$work"/m?.etcd; sync
  start=$(date +%s.%N)
  for i in 1 2 3; do
    local args=(snapshot restore "$snapshot" --name "m$i" --initial-cluster "$cluster" --initial-cluster-token bench
                --initial-advertise-peer-urls "http://127.0.0.1:${pports[$((i-1))]}" --data-dir "$work/m$i.etcd")
    if [ "$tool" = etcdutl ]; then "$bin/etcdutl" "${args[@]}" >/dev/null 2>&1; else "$lifeboat" "${args[@]}" >/dev/null 2>&1; fi
  done
  for i in 1 2 3; do
    "$bin/etcd" --name "m$i" --data-dir "$work/m$i.etcd" \
      --listen-client-urls "http://127.0.0.1:${cports[$((i-1))]}" --advertise-client-urls "http://127.0.0.1:${cports[$((i-1))]}" \
      --listen-peer-urls "http://127.0.0.1:${pports[$((i-1))]}" --initial-advertise-peer-urls "http://127.0.0.1:${pports[$((i-1))]}" \
      >"$work/m$i.log" 2>&1 &
    pids+=($!)
  done
  local endpoints="http://127.0.0.1:${cports[0]},http://127.0.0.1:${cports[1]},http://127.0.0.1:${cports[2]}"
  until "$bin/etcdctl" --endpoints "$endpoints" endpoint health >/dev/null 2>&1 \
      && [ "$("$bin/etcdctl" --endpoints "$endpoints" get /bench/probe --print-value-only 2>/dev/null)" = ok ]; do
    sleep 0.05
  done
  end=$(date +%s.%N)
  stop_members
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }'
}

declare -A times
for r in $(seq 1 "$runs"); do
  times[etcdutl]+="$(recover etcdutl) "
  times[lifeboat]+="$(recover lifeboat) "
done
printf '\nsnapshot: %s bytes; 3 members, etcd 3.5; runs: %s each, alternating\n\n' "$(stat -c %s "$snapshot")" "$runs"
printf '| flow | wall s (median) | all |\n|---|---|---|\n'
for t in etcdutl lifeboat; do printf '| %s restore x3 + start + healthy + read | %s | %s|\n' "$t" "$(median ${times[$t]})" "${times[$t]}"; done
awk -v a="$(median ${times[lifeboat]})" -v b="$(median ${times[etcdutl]})" 'BEGIN { printf "\nlifeboat/etcdutl: %.2fx (target <= 0.5x)\n", a / b }'
