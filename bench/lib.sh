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

# start_etcd BIN_DIR WORK_DIR: sets ETCD_PID, ENDPOINT (what the tools are timed against),
# LOAD_ENDPOINT (plain, for the loader) and CONN (the connection flags, the same for etcdctl and
# Lifeboat). With BENCH_TLS=1, ENDPOINT is https with client certificates (kubeadm's setup), made
# with openssl into WORK_DIR/tls.
start_etcd() {
  local bin="$1" work="$2" cport pport lport listen
  cport="$(free_port)"; pport="$(free_port)"; lport="$(free_port)"
  local tls_flags=()
  if [ "${BENCH_TLS:-0}" = 1 ]; then
    make_certs "$work/tls"
    ENDPOINT="https://127.0.0.1:$cport"
    CONN=(--endpoints "$ENDPOINT" --cacert "$work/tls/ca.pem" --cert "$work/tls/client.pem" --key "$work/tls/client-key.pem")
    tls_flags=(--cert-file "$work/tls/server.pem" --key-file "$work/tls/server-key.pem" --client-cert-auth
      --trusted-ca-file "$work/tls/ca.pem")
  else
    ENDPOINT="http://127.0.0.1:$cport"
    CONN=(--endpoints "$ENDPOINT")
  fi
  LOAD_ENDPOINT="http://127.0.0.1:$lport"
  listen="$ENDPOINT,$LOAD_ENDPOINT"
  "$bin/etcd" --name bench --data-dir "$work/etcd-data" --quota-backend-bytes $((8 * 1024 * 1024 * 1024)) \
    --listen-client-urls "$listen" --advertise-client-urls "$ENDPOINT" "${tls_flags[@]}" \
    --listen-peer-urls "http://127.0.0.1:$pport" --initial-advertise-peer-urls "http://127.0.0.1:$pport" \
    --initial-cluster "bench=http://127.0.0.1:$pport" >"$work/etcd.log" 2>&1 &
  ETCD_PID=$!
  for _ in $(seq 1 100); do
    ETCDCTL_API=3 "$bin/etcdctl" "${CONN[@]}" endpoint health >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "etcd did not start; see $work/etcd.log" >&2
  return 1
}

# make_certs DIR: a CA, a server certificate for 127.0.0.1 and a client certificate, 2 days each.
make_certs() {
  local dir="$1"
  mkdir -p "$dir"
  (
    cd "$dir"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca-key.pem -out ca.pem -days 2 -subj /CN=bench-ca 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >server.ext
    openssl req -newkey rsa:2048 -nodes -keyout server-key.pem -out server.csr -subj /CN=etcd 2>/dev/null
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out server.pem -days 2 \
      -extfile server.ext 2>/dev/null
    printf 'extendedKeyUsage=clientAuth\n' >client.ext
    openssl req -newkey rsa:2048 -nodes -keyout client-key.pem -out client.csr -subj /CN=root 2>/dev/null
    openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out client.pem -days 2 \
      -extfile client.ext 2>/dev/null
  )
}

stop_etcd() {
  [ -n "${ETCD_PID:-}" ] && kill "$ETCD_PID" 2>/dev/null && wait "$ETCD_PID" 2>/dev/null || true
  ETCD_PID=""
}

load_bytes() {
  java -cp "$LOADER_CP" io.lifeboat.testkit.LoadMain --endpoints "$LOAD_ENDPOINT" --bytes "$1"
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
