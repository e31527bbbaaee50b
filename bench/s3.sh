#!/usr/bin/env bash
# Benchmark: upload and download of the same ~1 GB snapshot to a loopback S3 server (S3Proxy,
# filesystem backend) by `aws s3 cp` and by Lifeboat's S3 store (the code `snapshot save --s3` and
# `restore --s3` run, driven by bench/java/S3Transfer.java), and zstd compression by the `zstd -3`
# command and by Lifeboat's codec (the code of `save --compress zstd`); alternating, RUNS times.
#
# Usage: bench/s3.sh [RUNS (default 3)]      Needs: awscli, zstd (apt-get install awscli zstd)
# Env:   KEEP_SNAPSHOT=path of the snapshot to move (default: a fresh 1G one); BENCH_NO_BUILD=1.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

runs="${1:-3}"
command -v aws >/dev/null && command -v zstd >/dev/null || { echo "needs awscli and zstd: apt-get install awscli zstd" >&2; exit 2; }
work="$(mktemp -d -t lifeboat-bench-s3.XXXXXX)"
proxy_pid=""
trap 'stop_etcd; [ -n "$proxy_pid" ] && kill "$proxy_pid" 2>/dev/null; rm -rf "$work"' EXIT

bench_build
snapshot="${KEEP_SNAPSHOT:-}"
if [ -z "$snapshot" ] || [ ! -f "$snapshot" ]; then
  start_etcd /usr/bin "$work"
  load_bytes 1G >&2
  snapshot="$work/snapshot.db"
  ETCDCTL_API=3 etcdctl --endpoints "$ENDPOINT" snapshot save "$snapshot" >/dev/null
  stop_etcd
fi

jar="$BENCH_ROOT/lifeboat-cli/target/lifeboat.jar"
mkdir -p "$work/classes"
javac -d "$work/classes" -cp "$jar" "$BENCH_ROOT/bench/java/S3Transfer.java"
# The driver runs through bin/lifeboat (LIFEBOAT_JAR), so it gets exactly the JVM options and the
# class-data archive of the command each operation stands in for: `snapshot save --s3` for put,
# `snapshot restore --s3` for get, `snapshot save` for zstd (the words before `--` choose them).
ln -s "$jar" "$work/lifeboat.jar"
printf 'Main-Class: S3Transfer\nClass-Path: lifeboat.jar\n' > "$work/manifest.txt"
jar cfm "$work/driver.jar" "$work/manifest.txt" -C "$work/classes" .
as_save_s3=(env "LIFEBOAT_JAR=$work/driver.jar" "LIFEBOAT_CDS_DIR=$work/cds" "$BENCH_ROOT/bin/lifeboat" snapshot save --s3 --)
as_restore_s3=(env "LIFEBOAT_JAR=$work/driver.jar" "LIFEBOAT_CDS_DIR=$work/cds" "$BENCH_ROOT/bin/lifeboat" snapshot restore --s3 --)
as_save=(env "LIFEBOAT_JAR=$work/driver.jar" "LIFEBOAT_CDS_DIR=$work/cds" "$BENCH_ROOT/bin/lifeboat" snapshot save --)

port="$(free_port)"
endpoint="http://127.0.0.1:$port"
export AWS_ACCESS_KEY_ID=benchaccess AWS_SECRET_ACCESS_KEY=benchsecret AWS_DEFAULT_REGION=us-east-1
mkdir -p "$work/s3data"
cat > "$work/s3proxy.properties" <<PROPS
s3proxy.endpoint=$endpoint
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$AWS_ACCESS_KEY_ID
s3proxy.credential=$AWS_SECRET_ACCESS_KEY
s3proxy.ignore-unknown-headers=true
jclouds.provider=filesystem
jclouds.filesystem.basedir=$work/s3data
PROPS
java -jar "$BENCH_ROOT/lifeboat-testkit/target/s3proxy/s3proxy.jar" --properties "$work/s3proxy.properties" >"$work/s3proxy.log" 2>&1 &
proxy_pid=$!
for _ in $(seq 1 100); do aws --endpoint-url "$endpoint" s3 ls >/dev/null 2>&1 && break; sleep 0.2; done
aws --endpoint-url "$endpoint" s3 mb s3://bench >/dev/null

declare -A walls rss
record() { local r; r=($(measure "$1" 1 0 "${@:2}")); walls[$1]+="${r[1]} "; rss[$1]+="${r[2]} "; }
# Untimed first runs: the first of each makes its class-data archive, the second names it.
for _ in 1 2; do
  rm -rf "$work/s3data/bench/"*
  "${as_save_s3[@]}" put "$endpoint" bench warm-up "$snapshot" >/dev/null
  "${as_restore_s3[@]}" get "$endpoint" bench warm-up "$work/warm-up.out" >/dev/null
  "${as_save[@]}" zstd "$snapshot" "$work/warm-up.zst" >/dev/null
  rm -f "$work/warm-up.out" "$work/warm-up.zst"
done
for i in $(seq 1 "$runs"); do
  # Each tool uploads into an empty bucket and downloads right after its own upload: a second upload
  # beside the first's 1.3 GB, still being written back, measured up to 40% slower.
  rm -rf "$work/s3data/bench/"*; sync
  record aws-put aws --endpoint-url "$endpoint" s3 cp "$snapshot" s3://bench/aws.db
  sync
  record aws-get aws --endpoint-url "$endpoint" s3 cp s3://bench/aws.db "$work/aws.out"
  rm -rf "$work/s3data/bench/"* "$work/aws.out"; sync
  record lifeboat-put "${as_save_s3[@]}" put "$endpoint" bench lb "$snapshot"
  sync
  record lifeboat-get "${as_restore_s3[@]}" get "$endpoint" bench lb "$work/lb.out"
  cmp -s "$work/lb.out" "$snapshot" || { echo "lifeboat download differs from the snapshot" >&2; exit 1; }
  rm -f "$work/lb.out"
  # Each tool writes a new file, as `snapshot save` does (a temporary file, then a rename): rewriting
  # a large file in place makes ext4 flush it on close (auto_da_alloc), which would time the disk.
  rm -f "$work/z.zst" "$work/l.zst"; sync
  record zstd-3 zstd -3 -q -f "$snapshot" -o "$work/z.zst"
  rm -f "$work/l.zst"; sync
  record lifeboat-zstd "${as_save[@]}" zstd "$snapshot" "$work/l.zst"
done
# Flat memory: the same store code moving an object twice the snapshot's size (the snapshot twice
# over; a transfer does not look inside). Peak RSS must not grow with the size.
cat "$snapshot" "$snapshot" > "$work/double.db"
rm -rf "$work/s3data/bench/"*; sync
record lifeboat-put-2x "${as_save_s3[@]}" put "$endpoint" bench double "$work/double.db"
record lifeboat-get-2x "${as_restore_s3[@]}" get "$endpoint" bench double "$work/double.out"
cmp -s "$work/double.out" "$work/double.db" || { echo "lifeboat download of the 2x object differs" >&2; exit 1; }
rm -f "$work/double.db" "$work/double.out"
size=$(stat -c %s "$snapshot")
printf '\nsnapshot: %s bytes; runs: %s each, alternating; zstd output: zstd -3 %s bytes, lifeboat %s bytes\n\n' \
  "$size" "$runs" "$(stat -c %s "$work/z.zst")" "$(stat -c %s "$work/l.zst")"
printf '| operation | wall s (median) | MB/s | peak RSS MB | all walls |\n|---|---|---|---|---|\n'
for t in aws-put lifeboat-put aws-get lifeboat-get zstd-3 lifeboat-zstd; do
  w=$(median ${walls[$t]})
  printf '| %s | %s | %.0f | %s | %s|\n' "$t" "$w" "$(awk -v s="$size" -v w="$w" 'BEGIN { print s / 1e6 / w }')" "$(median ${rss[$t]})" "${walls[$t]}"
done
ratio() { awk -v a="$(median ${walls[$1]})" -v b="$(median ${walls[$2]})" 'BEGIN { printf "%.2f", b / a }'; }
printf '\nflat memory, an object of %s bytes (the snapshot twice): upload %s s, peak RSS %s MB; download %s s, peak RSS %s MB\n' \
  "$((2 * size))" ${walls[lifeboat-put-2x]} ${rss[lifeboat-put-2x]} ${walls[lifeboat-get-2x]} ${rss[lifeboat-get-2x]}
echo
echo "upload throughput lifeboat/aws: $(ratio lifeboat-put aws-put)x; download: $(ratio lifeboat-get aws-get)x (target >= 1.0x)"
awk -v a="$(median ${walls[lifeboat-zstd]})" -v b="$(median ${walls[zstd-3]})" 'BEGIN { printf "zstd time lifeboat/zstd -3: %.2fx (target <= 1.2x)\n", a / b }'
