#!/usr/bin/env bash
# Installs hardway node worker-2 (worker) of cluster ha, Kubernetes 1.34.2.
#
#   sudo ./install.sh            install on this host and (re)start what changed
#   ./install.sh --root DIR      install the files into DIR only; touches nothing on the running host
#   ./install.sh --dry-run       print what would change; change nothing
#
# Running it again with the same bundle rewrites no file and restarts no service.
set -euo pipefail
umask 022

BUNDLE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly BUNDLE_DIR
ROOT=""
DRY_RUN=0

usage() {
  sed -n '2,9s/^# \{0,1\}//p' "$0"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --root)
      [ $# -ge 2 ] || { echo "install.sh: --root needs a directory" >&2; exit 2; }
      ROOT="$2"; shift 2 ;;
    --root=*) ROOT="${1#--root=}"; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

if [ -n "$ROOT" ]; then
  [ -d "$ROOT" ] || { echo "install.sh: --root $ROOT is not a directory" >&2; exit 2; }
  ROOT="$(cd "$ROOT" && pwd)"
  [ "$ROOT" != "/" ] || ROOT=""
fi
ON_HOST=1
[ -z "$ROOT" ] || ON_HOST=0

if [ "$ON_HOST" -eq 1 ] && [ "$DRY_RUN" -eq 0 ] && [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: run as root (sudo ./install.sh), or use --root DIR or --dry-run" >&2
  exit 1
fi

changed=0
unchanged=0
units_changed=0
declare -A restart=()

say() { echo "$*"; }
would() { if [ "$DRY_RUN" -eq 1 ]; then echo "would $*"; else echo "$*"; fi; }

# Preflight: the executables the units start and the tools the components call.
missing=()
for bin in /usr/local/bin/containerd /usr/local/bin/containerd-shim-runc-v2 /usr/local/sbin/runc /usr/local/bin/kubelet /usr/local/bin/kube-proxy /opt/cni/bin/bridge /opt/cni/bin/host-local /opt/cni/bin/loopback /sbin/ip; do
  [ -x "$ROOT$bin" ] || missing+=("$bin")
done
for tool in iptables ip6tables conntrack ipset socat; do
  if [ "$ON_HOST" -eq 1 ]; then
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool (on PATH)")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$ON_HOST" -eq 1 ] && [ "$DRY_RUN" -eq 0 ]; then
    echo "install.sh: missing on this host, install them first:" >&2
    printf '  %s\n' "${missing[@]}" >&2
    exit 1
  fi
  say "note: not present (yet): ${missing[*]}"
fi

ensure_dir() {
  local dir="$ROOT$1" mode="$2" enforce="$3"
  if [ ! -d "$dir" ]; then
    would "create directory $1 ($mode)"
    if [ "$DRY_RUN" -eq 0 ]; then
      mkdir -p "$dir"
      chmod "$mode" "$dir"
    fi
    changed=$((changed + 1))
  elif [ "$enforce" = yes ] && [ "$(stat -c '%a' "$dir")" != "${mode#0}" ]; then
    would "set mode $mode on $1"
    [ "$DRY_RUN" -eq 1 ] || chmod "$mode" "$dir"
    changed=$((changed + 1))
  else
    unchanged=$((unchanged + 1))
  fi
}

# install_file SOURCE TARGET MODE SERVICE...: replace TARGET only when its content or mode differs.
install_file() {
  local src="$BUNDLE_DIR/$1" target="$ROOT$2" mode="$3"
  shift 3
  if [ -f "$target" ] && cmp -s "$src" "$target"; then
    if [ "$(stat -c '%a' "$target")" = "${mode#0}" ]; then
      unchanged=$((unchanged + 1))
      return 0
    fi
    would "set mode $mode on ${target#"$ROOT"}"
    [ "$DRY_RUN" -eq 1 ] || chmod "$mode" "$target"
  else
    would "write ${target#"$ROOT"} ($mode)"
    if [ "$DRY_RUN" -eq 0 ]; then
      local tmp
      tmp="$(mktemp -p "$(dirname -- "$target")")"
      # the mode is set before the content lands, so a key is never readable by others
      chmod "$mode" "$tmp"
      cat "$src" > "$tmp"
      mv -f "$tmp" "$target"
    fi
    case "$target" in
      "$ROOT"/etc/systemd/system/*) units_changed=1 ;;
    esac
  fi
  changed=$((changed + 1))
  local service
  for service in "$@"; do
    restart[$service]=1
  done
}

ensure_dir /etc 0755 no
ensure_dir /etc/cni 0755 no
ensure_dir /etc/cni/net.d 0755 no
ensure_dir /etc/containerd 0755 no
ensure_dir /etc/hardway 0755 no
ensure_dir /etc/modules-load.d 0755 no
ensure_dir /etc/sysctl.d 0755 no
ensure_dir /etc/systemd 0755 no
ensure_dir /etc/systemd/system 0755 no
ensure_dir /usr 0755 no
ensure_dir /usr/local 0755 no
ensure_dir /usr/local/lib 0755 no
ensure_dir /usr/local/lib/hardway 0755 no
ensure_dir /var 0755 no
ensure_dir /var/lib 0755 no
ensure_dir /var/lib/kube-proxy 0755 no
ensure_dir /var/lib/kubelet 0700 yes

install_file files/etc/cni/net.d/10-bridge.conf /etc/cni/net.d/10-bridge.conf 0644
install_file files/etc/cni/net.d/99-loopback.conf /etc/cni/net.d/99-loopback.conf 0644
install_file files/etc/containerd/config.toml /etc/containerd/config.toml 0644 containerd
install_file files/etc/hardway/pod-routes /etc/hardway/pod-routes 0644 hardway-pod-routes
install_file files/etc/modules-load.d/kubernetes.conf /etc/modules-load.d/kubernetes.conf 0644
install_file files/etc/sysctl.d/99-kubernetes.conf /etc/sysctl.d/99-kubernetes.conf 0644
install_file files/etc/systemd/system/containerd.service /etc/systemd/system/containerd.service 0644 containerd
install_file files/etc/systemd/system/hardway-pod-routes.service /etc/systemd/system/hardway-pod-routes.service 0644 hardway-pod-routes
install_file files/etc/systemd/system/kube-proxy.service /etc/systemd/system/kube-proxy.service 0644 kube-proxy
install_file files/etc/systemd/system/kubelet.service /etc/systemd/system/kubelet.service 0644 kubelet
install_file files/usr/local/lib/hardway/apply-pod-routes.sh /usr/local/lib/hardway/apply-pod-routes.sh 0755 hardway-pod-routes
install_file files/var/lib/kube-proxy/kube-proxy-config.yaml /var/lib/kube-proxy/kube-proxy-config.yaml 0644 kube-proxy
install_file files/var/lib/kube-proxy/kubeconfig /var/lib/kube-proxy/kubeconfig 0600 kube-proxy
install_file files/var/lib/kubelet/ca.crt /var/lib/kubelet/ca.crt 0644 kubelet
install_file files/var/lib/kubelet/kubeconfig /var/lib/kubelet/kubeconfig 0600 kubelet
install_file files/var/lib/kubelet/kubelet-config.yaml /var/lib/kubelet/kubelet-config.yaml 0644 kubelet
install_file files/var/lib/kubelet/kubelet.crt /var/lib/kubelet/kubelet.crt 0644 kubelet
install_file files/var/lib/kubelet/kubelet.key /var/lib/kubelet/kubelet.key 0600 kubelet

if [ "$ON_HOST" -eq 0 ]; then
  say "--root: skipped host actions (kernel modules, sysctl, swap, systemd services)"
  for service in hardway-pod-routes containerd kubelet kube-proxy; do
    [ -z "${restart[$service]:-}" ] || say "--root: on a host this run would restart $service"
  done
else
  # Kernel modules and sysctls now; the files above keep them across reboots.
  for module in overlay br_netfilter; do
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

  if [ "$units_changed" -eq 1 ]; then
    would "reload systemd units"
    [ "$DRY_RUN" -eq 1 ] || systemctl daemon-reload
  fi
  for service in hardway-pod-routes containerd kubelet kube-proxy; do
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
fi

# The last line is always exactly "N changed, M unchanged", so that tools can read it.
[ "$DRY_RUN" -eq 0 ] || echo "dry run: nothing was written; the summary counts what would change"
echo "$changed changed, $unchanged unchanged"
