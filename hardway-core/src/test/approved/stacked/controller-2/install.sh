#!/usr/bin/env bash
# Installs hardway node controller-2 (controller) of cluster stacked, Kubernetes 1.34.2.
#
#   sudo ./install.sh            install on this host and (re)start what changed
#   ./install.sh --root DIR      install the files into DIR only; touches nothing on the running host
#   ./install.sh --dry-run       print what would change (a diff per file, secrets redacted); change nothing
#   ./install.sh --binaries DIR  also install the executables from DIR (an offline mirror), each checksummed
#   ./install.sh --list-binaries print the executables this node needs and where upstream publishes them
#
# Running it again with the same bundle rewrites no file and restarts no service.
set -euo pipefail
umask 022

BUNDLE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly BUNDLE_DIR
# Temporary files sit beside their target (same file system, so the rename is atomic) under a name no
# generated file has; one left behind by a killed run is removed by the next.
readonly TMP_INFIX=.hardway-tmp.
# Services whose files changed, recorded before the first file is replaced and cleared once they restarted:
# a run interrupted in between leaves them here, and the next run restarts them.
readonly PENDING_FILE=/var/lib/hardway/pending-restarts
ROOT=""
ROOT_GIVEN=0
DRY_RUN=0
BINARIES_DIR=""
LIST_BINARIES=0

usage() {
  sed -n '2,11s/^# \{0,1\}//p' "$0"
}

fail() {
  echo "install.sh: $*" >&2
  exit 1
}

while [ $# -gt 0 ]; do
  case "$1" in
    --root)
      [ $# -ge 2 ] || { echo "install.sh: --root needs a directory" >&2; exit 2; }
      ROOT="$2"; ROOT_GIVEN=1; shift 2 ;;
    --root=*) ROOT="${1#--root=}"; ROOT_GIVEN=1; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    --binaries)
      if [ $# -lt 2 ] || [ -z "$2" ]; then echo "install.sh: --binaries needs a directory" >&2; exit 2; fi
      BINARIES_DIR="$2"; shift 2 ;;
    --binaries=*) BINARIES_DIR="${1#--binaries=}"; [ -n "$BINARIES_DIR" ] || { echo "install.sh: --binaries needs a directory" >&2; exit 2; }; shift ;;
    --list-binaries) LIST_BINARIES=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

if [ "$ROOT_GIVEN" -eq 1 ]; then
  # an empty --root would silently mean this host; leaving --root out says that
  [ -n "$ROOT" ] || { echo "install.sh: --root needs a directory; to install on this host, leave --root out" >&2; exit 2; }
  [ -d "$ROOT" ] || { echo "install.sh: --root $ROOT is not a directory" >&2; exit 2; }
  ROOT="$(cd -P -- "$ROOT" && pwd -P)"
  [ "$ROOT" != "/" ] || ROOT=""
fi
ON_HOST=1
[ -z "$ROOT" ] || ON_HOST=0
if [ -n "$BINARIES_DIR" ]; then
  [ -d "$BINARIES_DIR" ] || { echo "install.sh: --binaries $BINARIES_DIR is not a directory" >&2; exit 2; }
  BINARIES_DIR="$(cd -P -- "$BINARIES_DIR" && pwd -P)"
fi

# The executables from upstream releases, for linux/amd64: target, file name (in --binaries DIR), version, where
# upstream publishes it, the member of that archive ("-": the download is the executable), the checksum
# binaries.sha256 in cluster.yaml pins ("-": none; then DIR/<file>.sha256, as dl.k8s.io publishes it, is used),
# and the services restarted when it changes. Nothing is ever downloaded.
B_TARGET=()
B_FILE=()
B_VERSION=()
B_URL=()
B_INSIDE=()
B_SHA=()
B_SERVICES=()
declare -A B_URL_OF=()
add_binary() {
  B_TARGET+=("$1"); B_FILE+=("$2"); B_VERSION+=("$3"); B_URL+=("$4"); B_INSIDE+=("$5"); B_SHA+=("$6")
  B_URL_OF[$1]="$4"; [ "$5" = - ] || B_URL_OF[$1]="$4 ($5)"
  shift 6; B_SERVICES+=("$*")
}
add_binary /usr/local/bin/etcd etcd 3.6.4 https://github.com/etcd-io/etcd/releases/download/v3.6.4/etcd-v3.6.4-linux-amd64.tar.gz etcd-v3.6.4-linux-amd64/etcd - etcd
add_binary /usr/local/bin/etcdctl etcdctl 3.6.4 https://github.com/etcd-io/etcd/releases/download/v3.6.4/etcd-v3.6.4-linux-amd64.tar.gz etcd-v3.6.4-linux-amd64/etcdctl -
add_binary /usr/local/bin/kube-apiserver kube-apiserver 1.34.2 https://dl.k8s.io/release/v1.34.2/bin/linux/amd64/kube-apiserver - - kube-apiserver
add_binary /usr/local/bin/kube-controller-manager kube-controller-manager 1.34.2 https://dl.k8s.io/release/v1.34.2/bin/linux/amd64/kube-controller-manager - - kube-controller-manager
add_binary /usr/local/bin/kube-scheduler kube-scheduler 1.34.2 https://dl.k8s.io/release/v1.34.2/bin/linux/amd64/kube-scheduler - - kube-scheduler
add_binary /usr/local/bin/containerd containerd 2.1.4 https://github.com/containerd/containerd/releases/download/v2.1.4/containerd-2.1.4-linux-amd64.tar.gz bin/containerd - containerd
add_binary /usr/local/bin/containerd-shim-runc-v2 containerd-shim-runc-v2 2.1.4 https://github.com/containerd/containerd/releases/download/v2.1.4/containerd-2.1.4-linux-amd64.tar.gz bin/containerd-shim-runc-v2 - containerd
add_binary /usr/local/sbin/runc runc 1.3.0 https://github.com/opencontainers/runc/releases/download/v1.3.0/runc.amd64 - - containerd
add_binary /usr/local/bin/kubelet kubelet 1.34.2 https://dl.k8s.io/release/v1.34.2/bin/linux/amd64/kubelet - - kubelet
add_binary /usr/local/bin/kube-proxy kube-proxy 1.34.2 https://dl.k8s.io/release/v1.34.2/bin/linux/amd64/kube-proxy - - kube-proxy
add_binary /opt/cni/bin/bridge bridge 1.7.1 https://github.com/containernetworking/plugins/releases/download/v1.7.1/cni-plugins-linux-amd64-v1.7.1.tgz ./bridge -
add_binary /opt/cni/bin/host-local host-local 1.7.1 https://github.com/containernetworking/plugins/releases/download/v1.7.1/cni-plugins-linux-amd64-v1.7.1.tgz ./host-local -
add_binary /opt/cni/bin/portmap portmap 1.7.1 https://github.com/containernetworking/plugins/releases/download/v1.7.1/cni-plugins-linux-amd64-v1.7.1.tgz ./portmap -
add_binary /opt/cni/bin/loopback loopback 1.7.1 https://github.com/containernetworking/plugins/releases/download/v1.7.1/cni-plugins-linux-amd64-v1.7.1.tgz ./loopback -
add_binary /usr/local/bin/kubectl kubectl 1.34.2 https://dl.k8s.io/release/v1.34.2/bin/linux/amd64/kubectl - -
if [ "$LIST_BINARIES" -eq 1 ]; then
  for i in "${!B_TARGET[@]}"; do
    printf '%s %s linux/amd64 %s%s sha256:%s\n' "${B_TARGET[$i]}" "${B_VERSION[$i]}" "${B_URL[$i]}" \
      "$([ "${B_INSIDE[$i]}" = - ] || echo " (${B_INSIDE[$i]})")" "${B_SHA[$i]}"
  done
  exit 0
fi

if [ "$ON_HOST" -eq 1 ] && [ "$DRY_RUN" -eq 0 ] && [ "$(id -u)" -ne 0 ]; then
  fail "run as root (sudo ./install.sh), or use --root DIR or --dry-run"
fi

changed=0
unchanged=0
units_changed=0
declare -A restart=()

say() { echo "$*"; }
would() { if [ "$DRY_RUN" -eq 1 ]; then echo "would $*"; else echo "$*"; fi; }


# What this node installs, in order: directories (outermost first), then files with the services they restart.
D_PATH=()
D_MODE=()
D_ENFORCE=()
add_dir() { D_PATH+=("$1"); D_MODE+=("$2"); D_ENFORCE+=("$3"); }
F_SRC=()
F_TARGET=()
F_MODE=()
F_KIND=()
F_SERVICES=()
add_file() { F_SRC+=("$1"); F_TARGET+=("$2"); F_MODE+=("$3"); F_KIND+=("$4"); shift 4; F_SERVICES+=("$*"); }
add_dir /etc 0755 no
add_dir /etc/cni 0755 no
add_dir /etc/cni/net.d 0755 no
add_dir /etc/containerd 0755 no
add_dir /etc/hardway 0755 no
add_dir /etc/kubernetes 0755 no
add_dir /etc/kubernetes/pki 0755 no
add_dir /etc/kubernetes/pki/etcd 0755 no
add_dir /etc/modules-load.d 0755 no
add_dir /etc/sysctl.d 0755 no
add_dir /etc/systemd 0755 no
add_dir /etc/systemd/system 0755 no
add_dir /opt 0755 no
add_dir /opt/cni 0755 no
add_dir /opt/cni/bin 0755 no
add_dir /usr 0755 no
add_dir /usr/local 0755 no
add_dir /usr/local/bin 0755 no
add_dir /usr/local/lib 0755 no
add_dir /usr/local/lib/hardway 0755 no
add_dir /usr/local/sbin 0755 no
add_dir /var 0755 no
add_dir /var/lib 0755 no
add_dir /var/lib/etcd 0700 yes
add_dir /var/lib/hardway 0700 yes
add_dir /var/lib/kube-proxy 0755 no
add_dir /var/lib/kubelet 0700 yes
add_dir /var/log 0755 no
add_dir /var/log/kubernetes 0700 yes
add_file files/etc/cni/net.d/10-hardway.conflist /etc/cni/net.d/10-hardway.conflist 0644 text
add_file files/etc/containerd/config.toml /etc/containerd/config.toml 0644 text containerd
add_file files/etc/hardway/etcd-members /etc/hardway/etcd-members 0644 text hardway-etcd-members
add_file files/etc/hardway/pod-routes /etc/hardway/pod-routes 0644 text hardway-pod-routes
add_file files/etc/kubernetes/admin.kubeconfig /etc/kubernetes/admin.kubeconfig 0600 kubeconfig hardway-node-role
add_file files/etc/kubernetes/audit-policy.yaml /etc/kubernetes/audit-policy.yaml 0644 text kube-apiserver
add_file files/etc/kubernetes/encryption-config.yaml /etc/kubernetes/encryption-config.yaml 0600 secret kube-apiserver
add_file files/etc/kubernetes/kube-controller-manager.kubeconfig /etc/kubernetes/kube-controller-manager.kubeconfig 0600 kubeconfig kube-controller-manager
add_file files/etc/kubernetes/kube-scheduler.kubeconfig /etc/kubernetes/kube-scheduler.kubeconfig 0600 kubeconfig kube-scheduler
add_file files/etc/kubernetes/kube-scheduler.yaml /etc/kubernetes/kube-scheduler.yaml 0644 text kube-scheduler
add_file files/etc/kubernetes/pki/apiserver-etcd-client.crt /etc/kubernetes/pki/apiserver-etcd-client.crt 0644 text kube-apiserver
add_file files/etc/kubernetes/pki/apiserver-etcd-client.key /etc/kubernetes/pki/apiserver-etcd-client.key 0600 secret kube-apiserver
add_file files/etc/kubernetes/pki/apiserver-kubelet-client.crt /etc/kubernetes/pki/apiserver-kubelet-client.crt 0644 text kube-apiserver
add_file files/etc/kubernetes/pki/apiserver-kubelet-client.key /etc/kubernetes/pki/apiserver-kubelet-client.key 0600 secret kube-apiserver
add_file files/etc/kubernetes/pki/apiserver.crt /etc/kubernetes/pki/apiserver.crt 0644 text
add_file files/etc/kubernetes/pki/apiserver.key /etc/kubernetes/pki/apiserver.key 0600 secret
add_file files/etc/kubernetes/pki/ca.crt /etc/kubernetes/pki/ca.crt 0644 text kube-apiserver kube-controller-manager
add_file files/etc/kubernetes/pki/ca.key /etc/kubernetes/pki/ca.key 0600 secret kube-controller-manager
add_file files/etc/kubernetes/pki/etcd/ca.crt /etc/kubernetes/pki/etcd/ca.crt 0644 text etcd kube-apiserver
add_file files/etc/kubernetes/pki/etcd/peer.crt /etc/kubernetes/pki/etcd/peer.crt 0644 text etcd
add_file files/etc/kubernetes/pki/etcd/peer.key /etc/kubernetes/pki/etcd/peer.key 0600 secret etcd
add_file files/etc/kubernetes/pki/etcd/server.crt /etc/kubernetes/pki/etcd/server.crt 0644 text etcd
add_file files/etc/kubernetes/pki/etcd/server.key /etc/kubernetes/pki/etcd/server.key 0600 secret etcd
add_file files/etc/kubernetes/pki/front-proxy-ca.crt /etc/kubernetes/pki/front-proxy-ca.crt 0644 text kube-apiserver kube-controller-manager
add_file files/etc/kubernetes/pki/front-proxy-client.crt /etc/kubernetes/pki/front-proxy-client.crt 0644 text kube-apiserver
add_file files/etc/kubernetes/pki/front-proxy-client.key /etc/kubernetes/pki/front-proxy-client.key 0600 secret kube-apiserver
add_file files/etc/kubernetes/pki/sa.key /etc/kubernetes/pki/sa.key 0600 secret kube-apiserver kube-controller-manager
add_file files/etc/kubernetes/pki/sa.pub /etc/kubernetes/pki/sa.pub 0644 text kube-apiserver
add_file files/etc/modules-load.d/kubernetes.conf /etc/modules-load.d/kubernetes.conf 0644 text
add_file files/etc/sysctl.d/99-kubernetes.conf /etc/sysctl.d/99-kubernetes.conf 0644 text
add_file files/etc/systemd/system/containerd.service /etc/systemd/system/containerd.service 0644 text containerd
add_file files/etc/systemd/system/etcd.service /etc/systemd/system/etcd.service 0644 text etcd
add_file files/etc/systemd/system/hardway-etcd-members.service /etc/systemd/system/hardway-etcd-members.service 0644 text hardway-etcd-members
add_file files/etc/systemd/system/hardway-node-role.service /etc/systemd/system/hardway-node-role.service 0644 text hardway-node-role
add_file files/etc/systemd/system/hardway-pod-masquerade.service /etc/systemd/system/hardway-pod-masquerade.service 0644 text hardway-pod-masquerade
add_file files/etc/systemd/system/hardway-pod-routes.service /etc/systemd/system/hardway-pod-routes.service 0644 text hardway-pod-routes
add_file files/etc/systemd/system/kube-apiserver.service /etc/systemd/system/kube-apiserver.service 0644 text kube-apiserver
add_file files/etc/systemd/system/kube-controller-manager.service /etc/systemd/system/kube-controller-manager.service 0644 text kube-controller-manager
add_file files/etc/systemd/system/kube-proxy.service /etc/systemd/system/kube-proxy.service 0644 text kube-proxy
add_file files/etc/systemd/system/kube-scheduler.service /etc/systemd/system/kube-scheduler.service 0644 text kube-scheduler
add_file files/etc/systemd/system/kubelet.service /etc/systemd/system/kubelet.service 0644 text kubelet
add_file files/usr/local/lib/hardway/apply-pod-routes.sh /usr/local/lib/hardway/apply-pod-routes.sh 0755 text hardway-pod-routes
add_file files/usr/local/lib/hardway/etcd-membership.sh /usr/local/lib/hardway/etcd-membership.sh 0755 text hardway-etcd-members
add_file files/usr/local/lib/hardway/kubelet-version-check.sh /usr/local/lib/hardway/kubelet-version-check.sh 0755 text
add_file files/var/lib/kube-proxy/kube-proxy-config.yaml /var/lib/kube-proxy/kube-proxy-config.yaml 0644 text kube-proxy
add_file files/var/lib/kube-proxy/kubeconfig /var/lib/kube-proxy/kubeconfig 0600 kubeconfig kube-proxy
add_file files/var/lib/kubelet/ca.crt /var/lib/kubelet/ca.crt 0644 text kubelet
add_file files/var/lib/kubelet/kubeconfig /var/lib/kubelet/kubeconfig 0600 kubeconfig kubelet
add_file files/var/lib/kubelet/kubelet-config.yaml /var/lib/kubelet/kubelet-config.yaml 0644 text kubelet
add_file files/var/lib/kubelet/kubelet.crt /var/lib/kubelet/kubelet.crt 0644 text kubelet
add_file files/var/lib/kubelet/kubelet.key /var/lib/kubelet/kubelet.key 0600 secret kubelet

# The services of this node in start order, the executables their units run, the commands the components
# call, and the kernel modules they need.
SERVICES=(hardway-pod-routes etcd hardway-etcd-members kube-apiserver kube-controller-manager kube-scheduler hardway-pod-masquerade containerd kubelet kube-proxy hardway-node-role)
BINARIES=(/usr/local/bin/etcd /usr/local/bin/etcdctl /usr/local/bin/kube-apiserver /usr/local/bin/kube-controller-manager /usr/local/bin/kube-scheduler /sbin/ip /usr/local/bin/containerd /usr/local/bin/containerd-shim-runc-v2 /usr/local/sbin/runc /usr/local/bin/kubelet /usr/local/bin/kube-proxy /opt/cni/bin/bridge /opt/cni/bin/host-local /opt/cni/bin/portmap /opt/cni/bin/loopback /usr/sbin/iptables /usr/local/bin/kubectl)
HOST_TOOLS=(iptables curl nft)
MODULES=(overlay br_netfilter nf_conntrack)

# The bundle itself, before anything else happens: SHA256SUMS must list every file this script installs, and
# every file must have the checksum listed (sha256sum -c, with the names of all that fail at once).
verify_bundle() {
  local manifest="$BUNDLE_DIR/SHA256SUMS" sum name actual src
  local -a bad=()
  local -A listed=()
  [ -f "$manifest" ] || fail "the bundle has no SHA256SUMS; unpack the whole $(basename "$BUNDLE_DIR").tar.gz again. Nothing was written."
  while read -r sum name; do
    listed[$name]=1
    if [ -L "$BUNDLE_DIR/$name" ] || [ ! -f "$BUNDLE_DIR/$name" ]; then
      bad+=("$name: missing")
    else
      actual="$(sha256sum < "$BUNDLE_DIR/$name")"
      [ "${actual%% *}" = "$sum" ] || bad+=("$name: content differs from SHA256SUMS")
    fi
  done < "$manifest"
  for src in "${F_SRC[@]}"; do
    [ -n "${listed[$src]:-}" ] || bad+=("$src: not listed in SHA256SUMS")
  done
  if [ "${#bad[@]}" -gt 0 ]; then
    echo "install.sh: the bundle is damaged, so nothing was written; unpack $(basename "$BUNDLE_DIR").tar.gz again:" >&2
    printf '  %s\n' "${bad[@]}" >&2
    exit 1
  fi
}
verify_bundle

# Preflight: the executables the units start, the tools the components call, what this version needs of the
# host. Every problem is named at once, and nothing has been written yet.
problems=()
notes=()
# --binaries DIR: every upstream executable must be in DIR with the checksum binaries.sha256 pins, or that
# DIR/<file>.sha256 gives; a missing file, a missing checksum or a mismatch refuses the whole run.
if [ -n "$BINARIES_DIR" ]; then
  bad=()
  for i in "${!B_TARGET[@]}"; do
    src="$BINARIES_DIR/${B_FILE[$i]}"
    if [ ! -f "$src" ]; then
      bad+=("${B_FILE[$i]}: missing in $BINARIES_DIR (fetch ${B_URL_OF[${B_TARGET[$i]}]})")
      continue
    fi
    want="${B_SHA[$i]}"
    if [ "$want" = - ] && [ -f "$src.sha256" ]; then
      read -r want _ < "$src.sha256" || true
    fi
    if [ "$want" = - ] || [ -z "$want" ]; then
      bad+=("${B_FILE[$i]}: no checksum (pin binaries.sha256.${B_FILE[$i]} in cluster.yaml, or put ${B_FILE[$i]}.sha256 beside it)")
      continue
    fi
    actual="$(sha256sum < "$src")"
    [ "${actual%% *}" = "$want" ] || bad+=("${B_FILE[$i]}: sha256 ${actual%% *}, expected $want")
  done
  if [ "${#bad[@]}" -gt 0 ]; then
    echo "install.sh: the executables in $BINARIES_DIR do not check out, so nothing was written:" >&2
    printf '  %s\n' "${bad[@]}" >&2
    exit 1
  fi
fi

for bin in "${BINARIES[@]}"; do
  if [ -n "$BINARIES_DIR" ] && [ -n "${B_URL_OF[$bin]:-}" ]; then
    continue
  fi
  if [ ! -x "$ROOT$bin" ]; then
    if [ -n "${B_URL_OF[$bin]:-}" ]; then
      problems+=("$bin is missing (not executable): fetch ${B_URL_OF[$bin]}")
    else
      problems+=("$bin is missing (not executable)")
    fi
  fi
done
if [ "$ON_HOST" -eq 1 ]; then
  case "$(uname -m)" in
    x86_64) host_arch=amd64 ;;
    aarch64) host_arch=arm64 ;;
    *) host_arch="$(uname -m)" ;;
  esac
  [ "$host_arch" = amd64 ] || problems+=("this host is $host_arch; the bundle lists linux/amd64 executables (binaries.arch in cluster.yaml)")
fi
for tool in "${HOST_TOOLS[@]}"; do
  if [ "$ON_HOST" -eq 1 ]; then
    command -v "$tool" >/dev/null 2>&1 || problems+=("$tool is missing on PATH")
  fi
done

# version_is BINARY WANT WHY: the first x.y.z the binary's --version prints must be WANT or start with "WANT.".
version_is() {
  local bin="$ROOT$1" want="$2" why="$3" out version
  # executables --binaries installs are the versions the bundle lists
  [ -z "$BINARIES_DIR" ] || [ -z "${B_URL_OF[$1]:-}" ] || return 0
  [ -x "$bin" ] || return 0
  if ! out="$(timeout 10 "$bin" --version 2>&1 < /dev/null)"; then
    notes+=("could not run $1 --version")
    return 0
  fi
  version="$(grep -oE '[0-9]+\.[0-9]+\.[0-9]+' <<< "$out" | head -n 1 || true)"
  if [ -z "$version" ]; then
    notes+=("$1 --version printed no version")
  elif [ "$version" != "$want" ] && [ "${version#"$want".}" = "$version" ]; then
    problems+=("$1 is version $version; this bundle needs $want ($why)")
  fi
}
version_is /usr/local/bin/etcd 3.6 'the etcd flags of Kubernetes 1.34, etcd 3.6.4'
version_is /usr/local/bin/kube-apiserver 1.34.2 'kubernetesVersion 1.34.2'
version_is /usr/local/bin/kube-controller-manager 1.34.2 'kubernetesVersion 1.34.2'
version_is /usr/local/bin/kube-scheduler 1.34.2 'kubernetesVersion 1.34.2'
version_is /usr/local/bin/containerd 2 'config.toml is written in version 3, for containerd 2'
version_is /usr/local/bin/kubelet 1.34.2 'kubernetesVersion 1.34.2'
version_is /usr/local/bin/kube-proxy 1.34.2 'kubernetesVersion 1.34.2'

# cgroup v2: kubelet 1.34 still starts on cgroup v1, which is deprecated; 1.35 refuses it.
if [ "$ON_HOST" -eq 1 ]; then
  cgroup_fs="$(stat -fc %T /sys/fs/cgroup 2>/dev/null || echo unknown)"
  if [ "$cgroup_fs" != cgroup2fs ]; then
    notes+=("/sys/fs/cgroup is $cgroup_fs, not cgroup2fs: cgroup v1 is deprecated, and kubelet 1.35 refuses it")
  fi
fi

# The API endpoint must resolve here: the kubelet and kube-proxy reach the cluster through it.
if [ "$ON_HOST" -eq 1 ]; then
  getent hosts api.stacked.example.internal >/dev/null 2>&1 || problems+=("the API server endpoint's host api.stacked.example.internal does not resolve on this host (getent hosts api.stacked.example.internal): add it to DNS or /etc/hosts, or set apiServer.address in cluster.yaml so that install.sh keeps an /etc/hosts entry")
fi

# Paths: every directory on the way to a target and every target must be what it seems. A symbolic link would
# take writes elsewhere (out of --root), and a directory where a file belongs never converges.
for d in "${D_PATH[@]}"; do
  if [ -L "$ROOT$d" ]; then
    problems+=("$d is a symbolic link; install.sh does not follow links (it would write outside $d)")
  elif [ -e "$ROOT$d" ] && [ ! -d "$ROOT$d" ]; then
    problems+=("$d exists and is not a directory")
  fi
done
check_target() {
  if [ -L "$ROOT$1" ]; then
    problems+=("$1 is a symbolic link; install.sh replaces only regular files")
  elif [ -d "$ROOT$1" ]; then
    problems+=("$1 is a directory; a file belongs there")
  elif [ -e "$ROOT$1" ] && [ ! -f "$ROOT$1" ]; then
    problems+=("$1 exists and is not a regular file")
  fi
}
for t in "${F_TARGET[@]}"; do
  check_target "$t"
done
check_target "$PENDING_FILE"
if [ -n "$BINARIES_DIR" ]; then
  for t in "${B_TARGET[@]}"; do
    check_target "$t"
  done
fi

[ "${#notes[@]}" -eq 0 ] || printf 'note: %s\n' "${notes[@]}"
if [ "${#problems[@]}" -gt 0 ]; then
  if [ "$ON_HOST" -eq 1 ] && [ "$DRY_RUN" -eq 0 ]; then
    echo "install.sh: this host is not ready, so nothing was written:" >&2
    printf '  %s\n' "${problems[@]}" >&2
    exit 1
  fi
  # a --root or a dry run reports them and goes on, except where writing would go wrong
  for p in "${problems[@]}"; do
    case "$p" in
      *"symbolic link"*|*"is a directory"*|*"not a directory"*|*"not a regular file"*)
        echo "install.sh: refusing to write, nothing was written: $p" >&2
        printf '  %s\n' "${problems[@]}" >&2
        exit 1 ;;
    esac
  done
  printf 'note: not ready (yet): %s\n' "${problems[@]}"
fi

# The kubelet's resolvConf, per host as kubeadm chooses it: systemd-resolved's list of real upstream servers
# where systemd-resolved runs (/etc/resolv.conf there names the 127.0.0.53 stub, which inside a pod is the pod
# itself), /etc/resolv.conf everywhere else. kubelet.resolvConf in cluster.yaml fixes it instead.
RESOLV_CONF=/etc/resolv.conf
if [ "$ON_HOST" -eq 1 ]; then
  if systemctl is-active --quiet systemd-resolved 2>/dev/null; then
    RESOLV_CONF=/run/systemd/resolve/resolv.conf
  fi
elif compgen -G "$ROOT/etc/systemd/system/*.wants/systemd-resolved.service" >/dev/null; then
  RESOLV_CONF=/run/systemd/resolve/resolv.conf
fi
say "kubelet resolvConf: $RESOLV_CONF"

# content INDEX: the bytes file INDEX has on this host.
content() {
  local src="$BUNDLE_DIR/${F_SRC[$1]}"
  case "${F_TARGET[$1]}" in
    /var/lib/kubelet/kubelet-config.yaml) sed "s|^resolvConf: .*|resolvConf: \"$RESOLV_CONF\"|" -- "$src" ;;
    *) cat -- "$src" ;;
  esac
}

# A dry run shows every change as a unified diff against the host; secrets never appear.
redact_kubeconfig() {
  sed -E 's/^([[:space:]]*client-key-data)[[:space:]]*:.*/\1: (redacted)/'
}
# show_diff LABEL KIND OLD COMMAND...: COMMAND prints the new content.
show_diff() {
  local label="$1" kind="$2" old="$3"
  shift 3
  if [ "$kind" = secret ]; then
    say "  (secret: the content is not shown)"
    return 0
  fi
  local filter=cat
  [ "$kind" != kubeconfig ] || filter=redact_kubeconfig
  if [ -e "$old" ]; then
    if diff -q <("$filter" < "$old") <("$@" | "$filter") >/dev/null; then
      say "  (only the key data differs: not shown)"
      return 0
    fi
    diff -u --label "$label" --label "$label" <("$filter" < "$old") <("$@" | "$filter") || [ $? -eq 1 ]
  else
    diff -u --label /dev/null --label "$label" /dev/null <("$@" | "$filter") || [ $? -eq 1 ]
  fi
}

current_tmp=""
cleanup() {
  [ -z "$current_tmp" ] || rm -f -- "$current_tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# write_atomic TARGET MODE COMMAND...: COMMAND's output becomes TARGET. The mode is set before the content lands,
# so a key is never readable by others; a reader sees the old file or the new one, never half of it. It runs in
# this shell (never in a pipeline's subshell), so a failing COMMAND stops the script and the EXIT trap removes the
# temporary file.
write_atomic() {
  local target="$1" mode="$2"
  shift 2
  current_tmp="$(mktemp -p "$(dirname -- "$target")" ".$(basename -- "$target")${TMP_INFIX}XXXXXX")"
  chmod "$mode" "$current_tmp"
  "$@" > "$current_tmp"
  mv -fT -- "$current_tmp" "$target"
  current_tmp=""
}

# Plan: what differs, before anything is written.
F_STATE=()
for i in "${!F_TARGET[@]}"; do
  target="$ROOT${F_TARGET[$i]}"
  if [ -f "$target" ] && content "$i" | cmp -s - "$target"; then
    if [ "$(stat -c '%a' "$target")" = "${F_MODE[$i]#0}" ]; then
      F_STATE+=(same)
    else
      F_STATE+=(mode)
    fi
  else
    F_STATE+=(content)
  fi
  if [ "${F_STATE[$i]}" != same ]; then
    for service in ${F_SERVICES[$i]}; do
      restart[$service]=1
    done
  fi
done
B_STATE=()
if [ -n "$BINARIES_DIR" ]; then
  for i in "${!B_TARGET[@]}"; do
    target="$ROOT${B_TARGET[$i]}"
    if [ -f "$target" ] && cmp -s "$BINARIES_DIR/${B_FILE[$i]}" "$target" && [ "$(stat -c '%a' "$target")" = 755 ]; then
      B_STATE+=(same)
    else
      B_STATE+=(changed)
      for service in ${B_SERVICES[$i]}; do
        restart[$service]=1
      done
    fi
  done
fi
owed=()
if [ -f "$ROOT$PENDING_FILE" ]; then
  while read -r service; do
    [ -z "$service" ] || { owed+=("$service"); restart[$service]=1; }
  done < "$ROOT$PENDING_FILE"
  say "restarts owed by an interrupted run: ${owed[*]:-none}"
fi

# Leftovers of a killed run.
for d in "${D_PATH[@]}"; do
  [ -d "$ROOT$d" ] || continue
  while IFS= read -r -d '' leftover; do
    would "remove leftover temporary file ${leftover#"$ROOT"}"
    [ "$DRY_RUN" -eq 1 ] || rm -f -- "$leftover"
  done < <(find "$ROOT$d" -maxdepth 1 -type f -name ".*${TMP_INFIX}*" -print0)
done

for i in "${!D_PATH[@]}"; do
  d="$ROOT${D_PATH[$i]}" mode="${D_MODE[$i]}"
  if [ ! -d "$d" ]; then
    would "create directory ${D_PATH[$i]} ($mode)"
    if [ "$DRY_RUN" -eq 0 ]; then
      mkdir "$d"
      chmod "$mode" "$d"
    fi
    changed=$((changed + 1))
  elif [ "${D_ENFORCE[$i]}" = yes ] && [ "$(stat -c '%a' "$d")" != "${mode#0}" ]; then
    would "set mode $mode on ${D_PATH[$i]} (now $(stat -c '%a' "$d"))"
    [ "$DRY_RUN" -eq 1 ] || chmod "$mode" "$d"
    changed=$((changed + 1))
  else
    unchanged=$((unchanged + 1))
  fi
done

# Remember the restarts this run owes before the first file changes.
if [ "$DRY_RUN" -eq 0 ] && [ "${#restart[@]}" -gt 0 ]; then
  pending_list() { printf '%s\n' "${!restart[@]}" | sort; }
  write_atomic "$ROOT$PENDING_FILE" 0600 pending_list
fi

for i in "${!F_TARGET[@]}"; do
  path="${F_TARGET[$i]}" target="$ROOT${F_TARGET[$i]}" mode="${F_MODE[$i]}"
  case "${F_STATE[$i]}" in
    same)
      unchanged=$((unchanged + 1))
      continue ;;
    mode)
      would "set mode $mode on $path (now $(stat -c '%a' "$target"))"
      [ "$DRY_RUN" -eq 1 ] || chmod "$mode" "$target" ;;
    content)
      would "write $path ($mode)"
      if [ "$DRY_RUN" -eq 1 ]; then
        show_diff "$path" "${F_KIND[$i]}" "$target" content "$i"
        if [ -f "$target" ] && [ "$(stat -c '%a' "$target")" != "${mode#0}" ]; then
          say "  mode $(stat -c '%a' "$target") -> $mode"
        fi
      else
        write_atomic "$target" "$mode" content "$i"
      fi
      case "$path" in
        /etc/systemd/system/*) units_changed=1 ;;
      esac ;;
  esac
  changed=$((changed + 1))
done
if [ -n "$BINARIES_DIR" ]; then
  for i in "${!B_TARGET[@]}"; do
    [ "${B_STATE[$i]}" = changed ] || { unchanged=$((unchanged + 1)); continue; }
    would "install ${B_TARGET[$i]} ${B_VERSION[$i]} from $BINARIES_DIR/${B_FILE[$i]}"
    [ "$DRY_RUN" -eq 1 ] || write_atomic "$ROOT${B_TARGET[$i]}" 0755 cat -- "$BINARIES_DIR/${B_FILE[$i]}"
    changed=$((changed + 1))
  done
fi

# Files earlier hardway versions installed that would now be wrong: containerd loads only the first CNI
# configuration in name order, so an old one would shadow the bundle's.
retire() {
  [ -e "$ROOT$1" ] || [ -L "$ROOT$1" ] || return 0
  would "remove $1 (no longer part of the bundle)"
  [ "$DRY_RUN" -eq 1 ] || rm -f -- "$ROOT$1"
  changed=$((changed + 1))
}
retire /etc/cni/net.d/10-bridge.conf
retire /etc/cni/net.d/99-loopback.conf

clear_pending() {
  if [ "$DRY_RUN" -eq 0 ] && [ -e "$ROOT$PENDING_FILE" ]; then
    rm -f -- "$ROOT$PENDING_FILE"
  fi
}

if [ "$ON_HOST" -eq 0 ]; then
  say "--root: skipped host actions (kernel modules, sysctl, swap, systemd services)"
  for service in "${SERVICES[@]}"; do
    [ -z "${restart[$service]:-}" ] || say "--root: on a host this run would restart $service"
  done
  # reported is all a --root run does for a restart
  clear_pending
else
  # Kernel modules and sysctls now; the files above keep them across reboots.
  for module in "${MODULES[@]}"; do
    if ! grep -q "^$module " /proc/modules 2>/dev/null && [ ! -d "/sys/module/$module" ]; then
      would "load kernel module $module"
      [ "$DRY_RUN" -eq 1 ] || modprobe "$module"
    fi
  done
  if [ "$DRY_RUN" -eq 1 ]; then
    say "would apply /etc/sysctl.d/99-kubernetes.conf"
  else
    sysctl -q -p /etc/sysctl.d/99-kubernetes.conf
  fi

  # The kubelet refuses to start with swap on; keep it off across reboots too.
  if [ -n "$(swapon --noheadings --show=NAME 2>/dev/null)" ]; then
    while read -r swap; do
      [ -n "$swap" ] || continue
      unit="$(systemd-escape --path --suffix=swap "$swap")"
      would "turn off swap $swap and mask $unit"
      if [ "$DRY_RUN" -eq 0 ]; then
        swapoff "$swap"
        systemctl mask --quiet "$unit"
      fi
    done < <(swapon --noheadings --show=NAME)
  fi
  if grep -Eq '^[^#[:space:]]+[[:space:]]+[^[:space:]]+[[:space:]]+swap[[:space:]]' /etc/fstab 2>/dev/null; then
    would "comment out the swap entries of /etc/fstab"
    [ "$DRY_RUN" -eq 1 ] || sed -i.hardway-backup -E 's|^([^#[:space:]]+[[:space:]]+[^[:space:]]+[[:space:]]+swap[[:space:]])|# disabled by hardway: \1|' /etc/fstab
  fi

  # an interrupted run may have replaced units without reloading them
  if [ "$units_changed" -eq 1 ] || [ "${#owed[@]}" -gt 0 ]; then
    would "reload systemd units"
    [ "$DRY_RUN" -eq 1 ] || systemctl daemon-reload
  fi
  for service in "${SERVICES[@]}"; do
    if ! systemctl is-enabled --quiet "$service" 2>/dev/null; then
      would "enable $service"
      [ "$DRY_RUN" -eq 1 ] || systemctl enable --quiet "$service"
    fi
    if [ -n "${restart[$service]:-}" ]; then
      would "restart $service"
      [ "$DRY_RUN" -eq 1 ] || systemctl restart "$service"
    elif ! systemctl is-active --quiet "$service"; then
      would "start $service"
      [ "$DRY_RUN" -eq 1 ] || systemctl start "$service"
    fi
  done
  clear_pending
fi

# The last line is always exactly "N changed, M unchanged", so that tools can read it.
[ "$DRY_RUN" -eq 0 ] || echo "dry run: nothing was written; the summary counts what would change"
echo "$changed changed, $unchanged unchanged"
