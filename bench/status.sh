#!/usr/bin/env bash
# Benchmark: `etcdctl snapshot status` against `bin/lifeboat snapshot status` on the same ~1 GB
# snapshot, in one run, warm (file in the page cache) and cold (page cache dropped before each run;
# needs root). Wall time and peak RSS from /usr/bin/time; median of RUNS runs.
#
# Usage: bench/status.sh [SIZE (default 1G)] [RUNS (default 5)]
# Env:   ETCD_BIN_DIR (default /usr/bin: etcd 3.4), KEEP_SNAPSHOT=path to reuse a snapshot.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

size="${1:-1G}"
runs="${2:-5}"
bin="${ETCD_BIN_DIR:-/usr/bin}"
work="$(mktemp -d -t lifeboat-bench.XXXXXX)"
trap 'stop_etcd; rm -rf "$work"' EXIT

bench_build
snapshot="${KEEP_SNAPSHOT:-}"
if [ -z "$snapshot" ] || [ ! -f "$snapshot" ]; then
  start_etcd "$bin" "$work"
  echo "loading $size of Kubernetes-like data into etcd $("$bin/etcd" --version | awk 'NR == 1 {print $3}')" >&2
  load_bytes "$size" >&2
  snapshot="${KEEP_SNAPSHOT:-$work/snapshot.db}"
  ETCDCTL_API=3 "$bin/etcdctl" --endpoints "$ENDPOINT" snapshot save "$snapshot" >/dev/null
  stop_etcd
fi
etcdctl_status=("$bin/etcdctl" snapshot status -w json "$snapshot")
[ -x "$bin/etcdutl" ] && etcdctl_status=("$bin/etcdutl" snapshot status -w json "$snapshot")
export ETCDCTL_API=3

lifeboat="$BENCH_ROOT/bin/lifeboat"

echo "snapshot: $snapshot ($(du -h "$snapshot" | cut -f1)), cpu: $(nproc) cores"
echo "etcdctl:  $("${etcdctl_status[@]}")"
# Also the first two status runs of this build, which make and name its class-data archive (bin/lifeboat).
"$lifeboat" snapshot status -w json "$snapshot" >/dev/null
echo "lifeboat: $("$lifeboat" snapshot status -w json "$snapshot")"

results=()
run_set() {
  local cold="$1"
  results+=("$(measure "etcdctl-status" "$runs" "$cold" "${etcdctl_status[@]}")")
  results+=("$(measure "lifeboat-status-skip-hash-check" "$runs" "$cold" "$lifeboat" snapshot status --skip-hash-check -w json "$snapshot")")
  results+=("$(measure "etcdctl-status+sha256sum" "$runs" "$cold" bash -c '"$@" && sha256sum "${@: -1}"' _ "${etcdctl_status[@]}")")
  results+=("$(measure "lifeboat-status" "$runs" "$cold" "$lifeboat" snapshot status -w json "$snapshot")")
  results+=("$(measure "sha256sum-alone" "$runs" "$cold" sha256sum "$snapshot")")
}

printf '\n| cache | command | wall s (median of %s) | peak RSS MB |\n|---|---|---|---|\n' "$runs"
"${etcdctl_status[@]}" >/dev/null; cat "$snapshot" >/dev/null
run_set 0
for r in "${results[@]}"; do set -- $r; printf '| warm | %s | %s | %s |\n' "$1" "$2" "$3"; done
warm=("${results[@]}")
results=()
if can_drop_caches; then
  run_set 1
  for r in "${results[@]}"; do set -- $r; printf '| cold | %s | %s | %s |\n' "$1" "$2" "$3"; done
else
  echo "| cold | (skipped: /proc/sys/vm/drop_caches is not writable; run as root) | | |"
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
summarise() {
  local tag="$1"; shift
  local -A w
  for r in "$@"; do set -- $r; w[$1]=$2; done
  [ -n "${w[etcdctl-status]:-}" ] || return 0
  echo "$tag: lifeboat --skip-hash-check / etcdctl status = $(ratio "${w[lifeboat-status-skip-hash-check]}" "${w[etcdctl-status]}")x;" \
       "lifeboat (with sha256 check) / (etcdctl status + sha256sum) = $(ratio "${w[lifeboat-status]}" "${w[etcdctl-status+sha256sum]}")x;" \
       "lifeboat (with sha256 check) / etcdctl status = $(ratio "${w[lifeboat-status]}" "${w[etcdctl-status]}")x"
}
echo
summarise warm "${warm[@]}"
[ "${#results[@]}" -gt 0 ] && summarise cold "${results[@]}"
