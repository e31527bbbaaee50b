#!/usr/bin/env bash
# Regenerates the golden etcd snapshots used by the tests of every module.
# Each file comes from a throwaway single-member etcd on loopback; nothing else is touched.
# Usage: make-golden.sh [output-dir]   (default: ../resources/io/lifeboat/golden next to this script)
# Needs: etcd 3.4 at /usr/bin, etcd 3.5 under ~/.cache/lifeboat/etcd-3.5/usr/bin, python3, jq.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="${1:-$HERE/../resources/io/lifeboat/golden}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
V34_BIN=/usr/bin
V35_BIN="${ETCD35_BIN:-$HOME/.cache/lifeboat/etcd-3.5/usr/bin}"

WORK="$(mktemp -d)"
ETCD_PID=""
cleanup() {
  if [[ -n "$ETCD_PID" ]]; then kill "$ETCD_PID" 2>/dev/null || true; wait "$ETCD_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_etcd <bin-dir>: sets ETCD_PID, ENDPOINT, CTL (etcdctl command array).
start_etcd() {
  local bin="$1" cport pport data
  cport="$(free_port)"; pport="$(free_port)"
  while [[ "$pport" == "$cport" ]]; do pport="$(free_port)"; done
  data="$(mktemp -d "$WORK/data.XXXXXX")"
  ENDPOINT="http://127.0.0.1:$cport"
  "$bin/etcd" --name s1 --data-dir "$data" \
    --listen-client-urls "$ENDPOINT" --advertise-client-urls "$ENDPOINT" \
    --listen-peer-urls "http://127.0.0.1:$pport" --initial-advertise-peer-urls "http://127.0.0.1:$pport" \
    --initial-cluster "s1=http://127.0.0.1:$pport" --initial-cluster-state new \
    >"$WORK/etcd.log" 2>&1 &
  ETCD_PID=$!
  CTL=(env ETCDCTL_API=3 "$bin/etcdctl" --endpoints "$ENDPOINT")
  for _ in $(seq 1 100); do
    if "${CTL[@]}" endpoint health >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "etcd from $bin did not become healthy; log:" >&2; cat "$WORK/etcd.log" >&2; return 1
}

stop_etcd() {
  kill "$ETCD_PID"; wait "$ETCD_PID" 2>/dev/null || true; ETCD_PID=""
}

# finish <bin-dir> <version> <name> [auth args...]: snapshot, status and facts for the running etcd.
finish() {
  local bin="$1" version="$2" name="$3"; shift 3
  local auth=("$@") rev live compact
  rev="$("${CTL[@]}" "${auth[@]}" endpoint status -w json | jq '.[0].Status.header.revision')"
  live="$("${CTL[@]}" "${auth[@]}" get "" --prefix --keys-only --limit 1 -w json | jq '.count // 0')"
  compact="${COMPACT_REV:-0}"
  rm -f "$OUT/$name.db"
  "${CTL[@]}" "${auth[@]}" snapshot save "$OUT/$name.db" >/dev/null 2>&1
  if [[ "$version" == "3.4" ]]; then
    ETCDCTL_API=3 "$bin/etcdctl" snapshot status -w json "$OUT/$name.db" >"$OUT/$name.status.json"
  else
    "$bin/etcdutl" snapshot status -w json "$OUT/$name.db" >"$OUT/$name.status.json"
  fi
  chmod 644 "$OUT/$name.db"
  printf '{"revision":%s,"liveKeys":%s,"compactRevision":%s}\n' "$rev" "$live" "$compact" >"$OUT/$name.snapshot-facts.json"
  echo "$name: $(cat "$OUT/$name.status.json") $(cat "$OUT/$name.snapshot-facts.json") size=$(stat -c %s "$OUT/$name.db")"
}

small() {
  local bin="$1" version="$2" lease
  start_etcd "$bin"
  "${CTL[@]}" put foo bar >/dev/null
  "${CTL[@]}" put foo bar2 >/dev/null
  "${CTL[@]}" put hello world >/dev/null
  "${CTL[@]}" del hello >/dev/null
  lease="$("${CTL[@]}" lease grant 600 | awk '{print $2}')"
  "${CTL[@]}" put lk lv --lease="$lease" >/dev/null
  "${CTL[@]}" put a b >/dev/null
  "${CTL[@]}" compact 3 --physical >/dev/null
  COMPACT_REV=3 finish "$bin" "$version" "etcd-$version-small"
  stop_etcd
}

# Kubernetes-like workload, deterministic (seeded) so reruns give the same keys and value sizes.
k8s() {
  local bin="$1" version="$2" ops="$WORK/ops" vals="$WORK/vals" rev mid op key val lidx
  rm -rf "$vals"; mkdir -p "$vals"
  python3 - "$ops" "$vals" <<'PY'
import random, string, sys, os
ops_path, vals = sys.argv[1], sys.argv[2]
rnd = random.Random(20261125)
resources = ["pods", "configmaps", "secrets", "services", "deployments", "replicasets", "serviceaccounts", "events"]
namespaces = ["default", "kube-system", "kube-public", "monitoring", "app-prod", "app-staging"]
printable = string.ascii_letters + string.digits + string.punctuation + " "
n = 0
def value(size):
    global n
    n += 1
    path = os.path.join(vals, "v%05d" % n)
    with open(path, "w") as f:
        f.write("".join(rnd.choice(printable) for _ in range(size)))
    return path
def size():
    # Mostly small objects, a few large ones: keeps the snapshot under 1 MB.
    return rnd.randint(2000, 8192) if rnd.random() < 0.01 else rnd.randint(200, 260)
keys = set()
while len(keys) < 1200:
    keys.add("/registry/%s/%s/%s-%04x" % (rnd.choice(resources), rnd.choice(namespaces),
                                          rnd.choice(["web", "api", "db", "cache", "worker", "job"]), rnd.randrange(65536)))
keys = sorted(keys)
order = keys[:]
rnd.shuffle(order)
with open(ops_path, "w") as out:
    for i, k in enumerate(order):
        lease = "-" if i % 150 else str(i // 150 % 3)
        out.write("put %s %s %s\n" % (k, value(size()), lease))
    for k in rnd.sample(keys, 200):
        out.write("put %s %s -\n" % (k, value(size())))
    for k in rnd.sample(keys, 100):
        out.write("del %s - -\n" % k)
    out.write("put /registry/configmaps/kube-system/big-15k %s -\n" % value(15 * 1024))
    out.write("put /registry/secrets/default/big-100k %s -\n" % value(100 * 1024))
    out.write("COMPACT - - -\n")
    for i in range(10):
        out.write("put /registry/events/default/after-compact-%02d %s -\n" % (i, value(rnd.randint(200, 400))))
PY
  start_etcd "$bin"
  local leases=()
  for i in 0 1 2; do leases+=("$("${CTL[@]}" lease grant 3600 | awk '{print $2}')"); done
  COMPACT_REV=0
  while read -r op key val lidx; do
    case "$op" in
      put)
        if [[ "$lidx" == "-" ]]; then "${CTL[@]}" put "$key" <"$val" >/dev/null
        else "${CTL[@]}" put "$key" --lease="${leases[$lidx]}" <"$val" >/dev/null; fi ;;
      del) "${CTL[@]}" del "$key" >/dev/null ;;
      COMPACT)
        rev="$("${CTL[@]}" endpoint status -w json | jq '.[0].Status.header.revision')"
        mid=$((rev / 2))
        "${CTL[@]}" compact "$mid" --physical >/dev/null
        COMPACT_REV=$mid ;;
    esac
  done <"$ops"
  finish "$bin" "$version" "etcd-$version-k8s"
  stop_etcd
}

auth() {
  local bin="$1" version="$2"
  start_etcd "$bin"
  "${CTL[@]}" user add root:rootpass >/dev/null
  # 3.5 refuses "auth enable" unless root holds the root role.
  "${CTL[@]}" role add root >/dev/null
  "${CTL[@]}" user grant-role root root >/dev/null
  "${CTL[@]}" role add reader >/dev/null
  "${CTL[@]}" role grant-permission reader read /app --prefix=true >/dev/null
  "${CTL[@]}" user add alice:alicepass >/dev/null
  "${CTL[@]}" user grant-role alice reader >/dev/null
  "${CTL[@]}" auth enable >/dev/null
  local a=(--user root:rootpass)
  "${CTL[@]}" "${a[@]}" put /app/config v1 >/dev/null
  "${CTL[@]}" "${a[@]}" put /app/feature on >/dev/null
  "${CTL[@]}" "${a[@]}" put /other/secret s3cr3t >/dev/null
  COMPACT_REV=0 finish "$bin" "$version" "etcd-$version-auth" "${a[@]}"
  stop_etcd
}

small "$V34_BIN" 3.4
small "$V35_BIN" 3.5
k8s "$V34_BIN" 3.4
k8s "$V35_BIN" 3.5
auth "$V35_BIN" 3.5
