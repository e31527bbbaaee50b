#!/usr/bin/env bash
# Benchmark: `etcdctl snapshot save` against `bin/lifeboat snapshot save` from the same ~1 GB etcd,
# in one run, alternating, RUNS times each; then the compressed forms (etcdctl + zstd -3 against a
# named save). Wall time and peak RSS from /usr/bin/time; medians. Needs zstd.
#
# Usage: bench/save.sh [SIZE (default 1G)] [RUNS (default 3)]
# Env:   ETCD_BIN_DIR (default /usr/bin: etcd 3.4), BENCH_NO_BUILD=1 to reuse built jars,
#        BENCH_TLS=1 for https with client certificates (needs openssl).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

size="${1:-1G}"
runs="${2:-3}"
bin="${ETCD_BIN_DIR:-/usr/bin}"
work="$(mktemp -d -t lifeboat-bench-save.XXXXXX)"
trap 'stop_etcd; rm -rf "$work"' EXIT
export ETCDCTL_API=3

bench_build
start_etcd "$bin" "$work"
echo "loading $size into etcd $("$bin/etcd" --version | awk 'NR == 1 {print $3}')" >&2
load_bytes "$size" >&2
lifeboat="$BENCH_ROOT/bin/lifeboat"
# The first save of a build makes its class-data archive and the second names it (bin/lifeboat):
# not runs to time.
for _ in 1 2; do "$lifeboat" "${CONN[@]}" snapshot save "$work/warm-up.db" >/dev/null; rm -f "$work/warm-up.db"; done

etcdctl_walls=(); etcdctl_rss=(); lifeboat_walls=(); lifeboat_rss=()
for i in $(seq 1 "$runs"); do
  rm -f "$work"/e.db "$work"/l.db; sync
  r=($(measure etcdctl 1 0 "$bin/etcdctl" "${CONN[@]}" snapshot save "$work/e.db"))
  etcdctl_walls+=("${r[1]}"); etcdctl_rss+=("${r[2]}")
  sync
  r=($(measure lifeboat 1 0 "$lifeboat" "${CONN[@]}" snapshot save "$work/l.db"))
  lifeboat_walls+=("${r[1]}"); lifeboat_rss+=("${r[2]}")
done
size_bytes=$(stat -c %s "$work/l.db")
ew=$(median "${etcdctl_walls[@]}"); lw=$(median "${lifeboat_walls[@]}")
er=$(median "${etcdctl_rss[@]}"); lr=$(median "${lifeboat_rss[@]}")
printf '\nsnapshot size: %s bytes; runs: %s each, alternating\n\n' "$size_bytes" "$runs"
printf '| tool | wall s (median) | MB/s | peak RSS MB |\n|---|---|---|---|\n'
awk -v s="$size_bytes" -v w="$ew" -v r="$er" 'BEGIN { printf "| etcdctl snapshot save | %s | %.0f | %s |\n", w, s / 1e6 / w, r }'
awk -v s="$size_bytes" -v w="$lw" -v r="$lr" 'BEGIN { printf "| lifeboat snapshot save | %s | %.0f | %s |\n", w, s / 1e6 / w, r }'
awk -v e="$ew" -v l="$lw" 'BEGIN { printf "\nthroughput ratio lifeboat/etcdctl: %.2fx (>= 0.95 is the target)\n", e / l }'
echo "all walls: etcdctl ${etcdctl_walls[*]}; lifeboat ${lifeboat_walls[*]}"

# Compressed, as operators keep snapshots: a named save (zstd by default, compressed while it
# streams, the file forced) against etcdctl followed by `zstd -3` (what RKE and k3s do after a save)
# and an fsync of the compressed file.
"$lifeboat" "${CONN[@]}" snapshot save --dir "$work/named" --name warm-up >/dev/null
rm -rf "$work/named"
pipeline_walls=(); pipeline_rss=(); named_walls=(); named_rss=()
for i in $(seq 1 "$runs"); do
  rm -f "$work"/e.db "$work"/e.db.zst; rm -rf "$work/named"; sync
  r=($(measure pipeline 1 0 bash -c "$(printf '%q ' "$bin/etcdctl" "${CONN[@]}") snapshot save '$work/e.db' && zstd -3 -q --rm '$work/e.db' && sync '$work/e.db.zst'"))
  pipeline_walls+=("${r[1]}"); pipeline_rss+=("${r[2]}")
  sync
  r=($(measure named 1 0 "$lifeboat" "${CONN[@]}" snapshot save --dir "$work/named" --name "n$i"))
  named_walls+=("${r[1]}"); named_rss+=("${r[2]}")
done
pw=$(median "${pipeline_walls[@]}"); nw=$(median "${named_walls[@]}")
pr=$(median "${pipeline_rss[@]}"); nr=$(median "${named_rss[@]}")
printf '\ncompressed: %s bytes (etcdctl + zstd -3), %s bytes (lifeboat)\n\n' \
  "$(stat -c %s "$work/e.db.zst")" "$(stat -c %s "$work/named/n$runs.db.zst")"
printf '| tool | wall s (median) | peak RSS MB |\n|---|---|---|\n'
echo "| etcdctl snapshot save + zstd -3 + sync | $pw | $pr |"
echo "| lifeboat snapshot save --dir --name (zstd) | $nw | $nr |"
awk -v e="$pw" -v l="$nw" 'BEGIN { printf "\nratio lifeboat/pipeline: %.2fx\n", e / l }'
echo "all walls: pipeline ${pipeline_walls[*]}; lifeboat ${named_walls[*]}"
