#!/usr/bin/env bash
# Benchmark: restore of the same ~1 GB snapshot by upstream (`etcdctl snapshot restore` 3.4 and
# `etcdutl snapshot restore` 3.5) and by `bin/lifeboat snapshot restore`, in one run, alternating.
# Wall time and peak RSS from /usr/bin/time; medians. Each restore writes a fresh data dir, and the
# page cache is flushed (sync) between runs so one tool's writes do not slow the next.
#
# Usage: bench/restore.sh [SIZE (default 1G)] [RUNS (default 3)]
# Env:   KEEP_SNAPSHOT=path of an existing snapshot to use; BENCH_NO_BUILD=1.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

size="${1:-1G}"
runs="${2:-3}"
etcd34=/usr/bin
etcd35="${LIFEBOAT_ETCD_3_5_BIN:-$HOME/.cache/lifeboat/etcd-3.5/usr/bin}"
work="$(mktemp -d -t lifeboat-bench-restore.XXXXXX)"
trap 'stop_etcd; rm -rf "$work"' EXIT
export ETCDCTL_API=3

bench_build
snapshot="${KEEP_SNAPSHOT:-}"
if [ -z "$snapshot" ] || [ ! -f "$snapshot" ]; then
  start_etcd "$etcd34" "$work"
  load_bytes "$size" >&2
  snapshot="$work/snapshot.db"
  "$etcd34/etcdctl" --endpoints "$ENDPOINT" snapshot save "$snapshot" >/dev/null
  stop_etcd
fi
lifeboat="$BENCH_ROOT/bin/lifeboat"
flags=(--name m1 --initial-cluster m1=http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380)
# The first restore of a build makes its class-data archive and the second names it (bin/lifeboat):
# not runs to time.
for _ in 1 2; do
  "$lifeboat" snapshot restore "$snapshot" "${flags[@]}" --data-dir "$work/warm-up.etcd" >/dev/null
  rm -rf "$work/warm-up.etcd"
done

declare -A walls rss
run() {
  local label="$1"; shift
  rm -rf "$work/out.etcd"; sync
  local r
  r=($(measure "$label" 1 0 "$@" --data-dir "$work/out.etcd"))
  walls[$label]+="${r[1]} "; rss[$label]+="${r[2]} "
}
for i in $(seq 1 "$runs"); do
  run etcdctl-3.4 "$etcd34/etcdctl" snapshot restore "$snapshot" "${flags[@]}"
  run etcdutl-3.5 "$etcd35/etcdutl" snapshot restore "$snapshot" "${flags[@]}"
  run lifeboat-3.4 "$lifeboat" snapshot restore "$snapshot" "${flags[@]}" --etcd-version 3.4
  run lifeboat-3.5 "$lifeboat" snapshot restore "$snapshot" "${flags[@]}" --etcd-version 3.5
done
rm -rf "$work/out.etcd"
printf '\nsnapshot: %s bytes; runs: %s each, alternating\n\n' "$(stat -c %s "$snapshot")" "$runs"
printf '| tool | wall s (median) | peak RSS MB | all walls |\n|---|---|---|---|\n'
for t in etcdctl-3.4 etcdutl-3.5 lifeboat-3.4 lifeboat-3.5; do
  printf '| %s | %s | %s | %s|\n' "$t" "$(median ${walls[$t]})" "$(median ${rss[$t]})" "${walls[$t]}"
done
awk -v a="$(median ${walls[lifeboat-3.4]})" -v b="$(median ${walls[etcdctl-3.4]})" \
  'BEGIN { printf "\nlifeboat/etcdctl (3.4): %.2fx\n", a / b }'
awk -v a="$(median ${walls[lifeboat-3.5]})" -v b="$(median ${walls[etcdutl-3.5]})" \
  'BEGIN { printf "lifeboat/etcdutl (3.5): %.2fx (target <= 0.5x)\n", a / b }'
