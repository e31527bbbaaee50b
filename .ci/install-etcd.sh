#!/usr/bin/env bash
# Installs what the tests need on Debian 12 (bookworm): a JDK 17 and Maven when missing, and the
# etcd versions the tests run against:
#  - etcd 3.4 from bookworm, installed system-wide (etcd-server, etcd-client);
#  - etcd 3.5 from trixie, fetched with `apt-get download` through a private sources list and
#    apt state directory, unpacked with `dpkg -x` into a cache folder, never installed.
# Prints the etcd 3.5 bin directory on its last line.
set -euo pipefail

cache="${LIFEBOAT_CACHE:-$HOME/.cache/lifeboat}"
etcd35_root="$cache/etcd-3.5"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

need=()
command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
command -v /usr/bin/time >/dev/null 2>&1 || need+=(time)
if [ "${#need[@]}" -gt 0 ]; then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

if ! command -v etcd >/dev/null 2>&1 || ! command -v etcdctl >/dev/null 2>&1; then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq etcd-server etcd-client >/dev/null
  # Debian starts the packaged etcd service on 2379; tests use their own ports, but a stray
  # daemon would confuse the quickstart's defaults.
  $sudo systemctl disable --now etcd >/dev/null 2>&1 || true
fi

if [ ! -x "$etcd35_root/usr/bin/etcd" ] || [ ! -x "$etcd35_root/usr/bin/etcdutl" ]; then
  # Reuse the mirror this machine already uses for bookworm, asking it for trixie instead.
  mirror=""
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    mirror=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' "$f")
    [ -n "$mirror" ] && break
  done
  if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
    mirror=$(awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; exit}}' /etc/apt/sources.list)
  fi
  [ -n "$mirror" ] || { echo "install-etcd: no Debian mirror found in /etc/apt sources" >&2; exit 1; }

  apt_dir="$cache/apt-trixie"
  mkdir -p "$apt_dir/state/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/debs"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main" > "$apt_dir/sources.list"
  apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
            -o "Dir::State=$apt_dir/state" -o "Dir::Cache=$apt_dir/cache"
            -o "Dir::State::status=$apt_dir/state/status" -o "APT::Sandbox::User=root")
  touch "$apt_dir/state/status"
  apt-get "${apt_opts[@]}" update -qq
  (cd "$apt_dir/debs" && rm -f ./*.deb && apt-get "${apt_opts[@]}" download etcd-server etcd-client)
  rm -rf "$etcd35_root.tmp" && mkdir -p "$etcd35_root.tmp"
  for deb in "$apt_dir"/debs/*.deb; do dpkg -x "$deb" "$etcd35_root.tmp"; done
  rm -rf "$etcd35_root" && mv "$etcd35_root.tmp" "$etcd35_root"
fi

# sed reads to the end: `head -1` would exit early, and under pipefail etcd's SIGPIPE (exit 141)
# would fail the script when etcd is slower to print its other lines than head is to exit.
"$etcd35_root/usr/bin/etcd" --version | sed -n 1p >&2
etcd --version | sed -n 1p >&2
echo "$etcd35_root/usr/bin"
