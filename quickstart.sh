#!/usr/bin/env bash
# Lifeboat end to end on this machine: install etcd if missing, build, start a throwaway etcd on
# loopback, load a few thousand Kubernetes-like keys, snapshot it with etcdctl, and read the
# snapshot with Lifeboat (pure Java, no etcd binary needed for that part).
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
cleanup() {
  [ -n "$etcd_pid" ] && kill "$etcd_pid" 2>/dev/null && wait "$etcd_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
  || shuf -i 20000-60000 -n 1; }
client_port="$(free_port)"; peer_port="$(free_port)"
endpoint="http://127.0.0.1:$client_port"

say "Starting a throwaway etcd $(etcd --version | head -1 | awk '{print $3}') on $endpoint"
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

say "A damaged copy (one byte flipped) is caught"
cp "$work/snapshot.db" "$work/damaged.db"
printf '\xff' | dd of="$work/damaged.db" bs=1 seek=20000 conv=notrunc status=none
set +e
bin/lifeboat snapshot status "$work/damaged.db"
echo "exit code: $?"
set -e
