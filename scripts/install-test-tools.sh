#!/usr/bin/env bash
# Installs the real programs hardway's tests run against the generated bundles. Idempotent: it installs only
# what is missing, so a second run does nothing and needs no network.
#
#   Debian 12 packages: openssl shellcheck containernetworking-plugins iproute2 iptables systemd curl python3
#     (iptables: the CNI portmap plugin and the pod masquerade unit; python3: a TCP listener and client inside
#     the CNI test's network namespaces), systemd-container mmdebstrap util-linux
#     (the real-host tests: systemd-nspawn, the nodes' root filesystem, nsenter/mount/flock)
#   The real-host tests' Debian 12 root filesystem, built once by scripts/realhost-rootfs.sh into
#     /var/cache/hardway-realhost/<recipe hash>/ (about 30 s and 500 MB; rebuilt only when the recipe changes)
#   Debian 13 packages, unpacked into <repo>/.tools (gitignored): kubectl etcd-server etcd-client containerd
#
# Tests look in <repo>/.tools/usr/bin first, then on PATH.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$repo/.tools"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# --- Debian 12 packages -------------------------------------------------------------------------------
packages=(openssl shellcheck containernetworking-plugins iproute2 iptables systemd curl python3 systemd-container
  mmdebstrap util-linux)
missing=()
for pkg in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)"
  [ "$status" = installed ] || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-test-tools: installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-test-tools: Debian packages present: ${packages[*]}"
fi

# --- Debian 13 tools into .tools ----------------------------------------------------------------------
# package -> a file it provides; a package is unpacked only when its file is absent
declare -A provides=(
  [kubectl]=usr/bin/kubectl
  [etcd-server]=usr/bin/etcd
  [etcd-client]=usr/bin/etcdctl
  [containerd]=usr/bin/containerd
)
wanted=()
for pkg in kubectl etcd-server etcd-client containerd; do
  [ -x "$tools/${provides[$pkg]}" ] || wanted+=("$pkg")
done
if [ "${#wanted[@]}" -gt 0 ]; then
  unpack="$repo/scripts/debian-unpack"
  echo "install-test-tools: unpacking Debian 13 ${wanted[*]} into $tools"
  "$unpack" "$tools" "${wanted[@]}"
  for pkg in "${wanted[@]}"; do
    [ -x "$tools/${provides[$pkg]}" ] || { echo "install-test-tools: $pkg did not provide ${provides[$pkg]}" >&2; exit 1; }
  done
else
  echo "install-test-tools: Debian 13 tools present in $tools"
fi
"$tools/usr/bin/kubectl" version --client 2>/dev/null | sed -n 1p  # sed reads to the end: no SIGPIPE under pipefail
"$tools/usr/bin/containerd" --version

# --- the real-host tests' root filesystem ---------------------------------------------------------------
# built here rather than inside the first test, so that a test's time is the test's; cached by recipe hash
echo "install-test-tools: real-host root filesystem $(as_root "$repo/scripts/realhost-rootfs.sh")"

# --- room for the booted nodes ---------------------------------------------------------------------------
# Every booted node's systemd, journald and udev take inotify instances, all counted against root, and the real-
# host classes run up to 15 nodes side by side (the shared fixture's 7 stay up for the whole run): the kernel's
# default of 128 instances per user runs out, and a node then never finishes booting. Raised for this boot only.
want=1024
have="$(cat /proc/sys/fs/inotify/max_user_instances)"
if [ "$have" -lt "$want" ]; then
  as_root sysctl -q -w fs.inotify.max_user_instances="$want"
  echo "install-test-tools: fs.inotify.max_user_instances $have -> $want"
fi
