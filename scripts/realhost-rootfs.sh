#!/usr/bin/env bash
# scripts/realhost-rootfs.sh [CACHE_DIR]
#
# Builds (once) the Debian 12 root filesystem the real-host tests boot with systemd-nspawn, one booted system per
# node, and prints its path. It is cached under CACHE_DIR (default /var/cache/hardway-realhost) in a directory
# named after the SHA-256 of this recipe (this script, debian-unpack and scripts/realhost/*.sh), so it is rebuilt only
# when the recipe changes; older builds are removed.
#
# What is in it, and where it comes from:
#   Debian 12 (mmdebstrap --variant=minbase): systemd, dbus, iproute2, kmod, procps, iptables, conntrack, ipset,
#     curl (the kubelet unit's version check asks the API server with it),
#     socat, runc 1.1.5 (/usr/local/sbin/runc -> /usr/sbin/runc), containernetworking-plugins
#     (/opt/cni/bin/* -> /usr/lib/cni/*), busybox-static, python3-grpcio (the tests' CRI client)
#   Debian 13, unpacked: etcd 3.5 + etcdctl (/usr/local/bin), kubectl 1.32 (/usr/local/bin),
#     containerd 1.7 (/opt/hardway-realhost/containerd-1.7/bin), the CRI API's api.proto
#   Debian sid, unpacked: containerd 2.1 (/opt/hardway-realhost/containerd-2.1/bin)
#   Built here: the pause image registry.k8s.io/pause:3.10 as an OCI layout tar holding Debian's static busybox
#     (/opt/hardway-realhost/pause-oci.tar), the CRI client's Python stubs compiled from api.proto
#     (/opt/hardway-realhost/cri/; the client itself is test code, bound into each node by the test)
#   STAND-INS (not the real programs; nothing reachable packages them): /usr/local/bin/kubelet, kube-proxy,
#     kube-apiserver, kube-controller-manager, kube-scheduler log their arguments and stay running;
#     /usr/local/sbin/modprobe reports a module present only when the kernel already has it built in (a
#     container cannot load modules). The test selects a node's containerd by linking
#     /usr/local/bin/containerd* to one of the two versions, as an operator installs a binary.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${1:-/var/cache/hardway-realhost}"
recipe_files=("$repo/scripts/realhost-rootfs.sh" "$repo/scripts/debian-unpack" "$repo/scripts/realhost/standin.sh"
  "$repo/scripts/realhost/modprobe-standin.sh" "$repo/scripts/realhost/pause-image.sh")
hash="$(cat "${recipe_files[@]}" | sha256sum | cut -c1-16)"
target="$cache/$hash"

if [ -f "$target/complete" ]; then
  echo "$target/rootfs"
  exit 0
fi

log() { echo "realhost-rootfs: $*" >&2; }
mkdir -p "$cache"
# one builder at a time; a second caller waits and then finds the finished build
exec 9>"$cache/.lock"
flock -w 900 9 || { log "timed out waiting for $cache/.lock"; exit 1; }
if [ -f "$target/complete" ]; then
  echo "$target/rootfs"
  exit 0
fi
shopt -s nullglob
# an outdated build goes, unless a running test still has it mounted as a node's lower layer
for old in "$cache"/*/; do
  old="${old%/}"
  [ "$old" != "$target" ] || continue
  if grep -qF "$old/" /proc/mounts; then
    log "keeping the outdated build $old: it is in use"
  else
    log "removing the outdated build $old"
    rm -rf --one-file-system "$old"
  fi
done
rm -rf --one-file-system "$target"
mkdir -p "$target"
root="$target/rootfs"
stage="$target/stage"
started=$SECONDS

log "mmdebstrap Debian 12 minbase into $root"
mmdebstrap --quiet --variant=minbase \
  --include=systemd,systemd-sysv,dbus,iproute2,kmod,procps,iptables,conntrack,curl,ipset,socat,runc,containernetworking-plugins,busybox-static,python3-grpcio,python3-protobuf,python3-grpc-tools,python3-pkg-resources,util-linux \
  bookworm "$root" >&2

log "unpacking Debian 13 etcd, kubectl, containerd 1.7, cri-api and sid containerd 2.1"
"$repo/scripts/debian-unpack" "$stage/trixie" etcd-server etcd-client kubectl containerd \
  golang-github-kubernetes-cri-api-dev >&2
DEBIAN_SUITE=sid "$repo/scripts/debian-unpack" "$stage/sid" containerd >&2

install -d "$root/usr/local/bin" "$root/usr/local/sbin" "$root/opt/cni/bin" "$root/opt/hardway-realhost"
install -m 0755 "$stage/trixie/usr/bin/etcd" "$stage/trixie/usr/bin/etcdctl" "$stage/trixie/usr/bin/kubectl" \
  "$root/usr/local/bin/"
for variant in trixie:1.7 sid:2.1; do
  suite="${variant%%:*}" version="${variant#*:}"
  dir="$root/opt/hardway-realhost/containerd-$version/bin"
  install -d "$dir"
  for bin in containerd containerd-shim-runc-v2 ctr; do
    install -m 0755 "$stage/$suite/usr/bin/$bin" "$dir/$bin"
  done
done
ln -sfn /usr/sbin/runc "$root/usr/local/sbin/runc"
for plugin in "$root"/usr/lib/cni/*; do
  ln -sfn "/usr/lib/cni/$(basename "$plugin")" "$root/opt/cni/bin/$(basename "$plugin")"
done

log "stand-ins for the Kubernetes binaries and modprobe"
for name in kubelet kube-proxy kube-apiserver kube-controller-manager kube-scheduler; do
  install -m 0755 "$repo/scripts/realhost/standin.sh" "$root/usr/local/bin/$name"
done
install -m 0755 "$repo/scripts/realhost/modprobe-standin.sh" "$root/usr/local/sbin/modprobe"
# the Kubernetes release the real-host test clusters are generated for: what the stand-ins print for --version
install -d "$root/usr/local/lib/hardway-standin"
echo 1.32.3 > "$root/usr/local/lib/hardway-standin/version"

log "CRI client stubs from the CRI API's api.proto"
proto="$(find "$stage/trixie" -path '*cri-api/pkg/apis/runtime/v1/api.proto' | head -1)"
[ -n "$proto" ] || { log "api.proto not found in golang-github-kubernetes-cri-api-dev"; exit 1; }
install -d "$root/opt/hardway-realhost/cri"
# gogoproto is a Go code-generation extension; the wire format does not depend on it
grep -v -e 'gogo' "$proto" > "$root/opt/hardway-realhost/cri/api.proto"
chroot "$root" python3 -m grpc_tools.protoc -I/opt/hardway-realhost/cri --python_out=/opt/hardway-realhost/cri \
  --grpc_python_out=/opt/hardway-realhost/cri /opt/hardway-realhost/cri/api.proto

log "pause image registry.k8s.io/pause:3.10 from Debian's static busybox"
"$repo/scripts/realhost/pause-image.sh" "$root/bin/busybox" "$root/opt/hardway-realhost/pause-oci.tar"

# a node's hostname and machine id are its own; systemd-nspawn sets the first, systemd writes the second
: > "$root/etc/machine-id"
rm -f "$root/etc/hostname"
# nothing in the image is enabled that the bundles do not install themselves
rm -rf "$stage"
echo "$hash" > "$target/complete"
log "built $root in $((SECONDS - started)) s ($(du -sh "$root" | cut -f1))"
echo "$root"
