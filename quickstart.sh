#!/usr/bin/env bash
# Lifeboat end to end on this machine: install etcd if missing, build, start a throwaway etcd on
# loopback, load a few thousand Kubernetes-like keys, snapshot it with etcdctl and with Lifeboat,
# read the snapshots with Lifeboat, restore Lifeboat's snapshot into a new data directory (pure
# Java, no etcd binary), boot etcd from it on other ports and show that the keys match.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

if ! command -v etcd >/dev/null 2>&1 || ! command -v etcdctl >/dev/null 2>&1 \
    || ! command -v javac >/dev/null 2>&1 || ! command -v mvn >/dev/null 2>&1; then
  say "Installing JDK, Maven and etcd (Debian packages)"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq openjdk-17-jdk-headless maven >/dev/null
  .ci/install-etcd.sh >/dev/null
fi

say "Building (mvn -B -q -DskipTests package)"
mvn -B -q -DskipTests package
loader_cp="$(ls lifeboat-testkit/target/lifeboat-testkit-*.jar | head -1):$(cat lifeboat-testkit/target/lifeboat-testkit.classpath)"

work="$(mktemp -d -t lifeboat-quickstart.XXXXXX)"
etcd_pid=""
restored_pid=""
server_pid=""
cleanup() {
  set +e
  for pid in $server_pid $etcd_pid $restored_pid; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
  || shuf -i 20000-60000 -n 1; }
client_port="$(free_port)"; peer_port="$(free_port)"
endpoint="http://127.0.0.1:$client_port"

say "Starting a throwaway etcd $(etcd --version | awk 'NR == 1 {print $3}') on $endpoint"
etcd --name quickstart --data-dir "$work/etcd" \
  --listen-client-urls "$endpoint" --advertise-client-urls "$endpoint" \
  --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
  --initial-cluster "quickstart=http://127.0.0.1:$peer_port" >"$work/etcd.log" 2>&1 &
etcd_pid=$!
for _ in $(seq 1 100); do
  ETCDCTL_API=3 etcdctl --endpoints "$endpoint" endpoint health >/dev/null 2>&1 && break
  sleep 0.1
done
ETCDCTL_API=3 etcdctl --endpoints "$endpoint" endpoint health

say "Loading 3000 Kubernetes-like keys (with overwrites, deletes, leases and a compaction)"
java -cp "$loader_cp" io.lifeboat.testkit.LoadMain --endpoints "$endpoint" --keys 3000

say "Taking a snapshot with etcdctl"
ETCDCTL_API=3 etcdctl --endpoints "$endpoint" snapshot save "$work/snapshot.db"

say "etcdctl snapshot status"
ETCDCTL_API=3 etcdctl snapshot status -w table "$work/snapshot.db"

say "bin/lifeboat snapshot status (pure Java; also checks the sha256 trailer)"
bin/lifeboat snapshot status -w table "$work/snapshot.db"
bin/lifeboat snapshot status -w json "$work/snapshot.db"

say "Taking a snapshot with Lifeboat (leader chosen, streamed, sha256 and pages checked, atomic, 0600)"
bin/lifeboat --endpoints "$endpoint" snapshot save --dir "$work/snapshots" --name quickstart
ls -l "$work/snapshots"

say "Restoring it with Lifeboat into a new data directory (pure Java)"
r_client="$(free_port)"; r_peer="$(free_port)"
bin/lifeboat snapshot restore quickstart --dir "$work/snapshots" --data-dir "$work/restored.etcd" \
  --name restored --initial-cluster "restored=http://127.0.0.1:$r_peer" \
  --initial-advertise-peer-urls "http://127.0.0.1:$r_peer" --bump-revision 1000 --mark-compacted

say "Booting etcd from the restored data directory on http://127.0.0.1:$r_client"
etcd --name restored --data-dir "$work/restored.etcd" \
  --listen-client-urls "http://127.0.0.1:$r_client" --advertise-client-urls "http://127.0.0.1:$r_client" \
  --listen-peer-urls "http://127.0.0.1:$r_peer" --initial-advertise-peer-urls "http://127.0.0.1:$r_peer" \
  >"$work/restored.log" 2>&1 &
restored_pid=$!
for _ in $(seq 1 100); do
  ETCDCTL_API=3 etcdctl --endpoints "http://127.0.0.1:$r_client" endpoint health >/dev/null 2>&1 && break
  sleep 0.1
done
ETCDCTL_API=3 etcdctl --endpoints "http://127.0.0.1:$r_client" endpoint health
ETCDCTL_API=3 etcdctl --endpoints "$endpoint" get "" --prefix > "$work/source.txt"
ETCDCTL_API=3 etcdctl --endpoints "http://127.0.0.1:$r_client" get "" --prefix > "$work/restored.txt"
if cmp -s "$work/source.txt" "$work/restored.txt"; then
  echo "Every key and value matches: $(ETCDCTL_API=3 etcdctl --endpoints "$endpoint" get "" --prefix --keys-only | grep -c .) keys"
else
  echo "MISMATCH between the source and the restored cluster" >&2
  exit 1
fi
echo "Revision after restore (bumped by 1000): $(ETCDCTL_API=3 etcdctl --endpoints "http://127.0.0.1:$r_client" \
  put quickstart-after-restore yes -w json | sed -n 's/.*"revision":\([0-9]*\).*/\1/p')"

say "Running lifeboat server: a snapshot every 2s, keeping 2 (logs below; metrics on /metrics)"
http_port="$(free_port)"
LIFEBOAT_ENDPOINTS="$endpoint" LIFEBOAT_SCHEDULE=2s LIFEBOAT_RETENTION=2 LIFEBOAT_ELECTION=false \
  LIFEBOAT_SNAPSHOT_DIR="$work/recurring" LIFEBOAT_LISTEN="127.0.0.1:$http_port" \
  bin/lifeboat server --no-auth-on-loopback > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 150); do
  [ "$(grep -c 'Removed expired backup' "$work/server.log" 2>/dev/null)" -ge 1 ] && break
  sleep 0.1
done
cat "$work/server.log"
exec 3<>"/dev/tcp/127.0.0.1/$http_port"; printf 'GET /metrics HTTP/1.0\r\n\r\n' >&3
grep -E '^lifeboat_(snapshots_taken_total|retention_deletions_total|leader)[{ ]' <&3; exec 3<&-
kill -TERM "$server_pid"; wait "$server_pid"; echo "server exit code after SIGTERM: $?"; server_pid=""
echo "Snapshots kept: $(ls "$work/recurring" | grep -c '\.json$')"

say "A damaged copy (one byte flipped) is caught"
cp "$work/snapshot.db" "$work/damaged.db"
printf '\xff' | dd of="$work/damaged.db" bs=1 seek=20000 conv=notrunc status=none
set +e
bin/lifeboat snapshot status "$work/damaged.db"
echo "exit code: $?"
set -e
