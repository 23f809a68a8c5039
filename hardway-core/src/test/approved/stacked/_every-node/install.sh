#!/usr/bin/env bash
# Installs the hardway node that install.manifest, beside this script, describes.
#
#   sudo ./install.sh            install on this host; (re)start what changed: files, or executables since the last run
#   ./install.sh --root DIR      install the files into DIR only; touches nothing on the running host
#   ./install.sh --dry-run       print what would change (a diff per file, secrets redacted); change nothing
#   ./install.sh --binaries DIR  also install the executables from DIR (an offline mirror), each checksummed
#   ./install.sh --list-binaries print the executables this node needs and where upstream publishes them
#
# Running it again with the same bundle and executables rewrites no file and restarts no service.
set -euo pipefail
umask 022

BUNDLE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly BUNDLE_DIR
# Temporary files sit beside their target (same file system, so the rename is atomic) under a name no
# generated file has; one left behind by a killed run is removed by the next.
readonly TMP_INFIX=.hardway-tmp.
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
  [ -d "$ROOT" ] || { echo "install.sh: --root $ROOT is not a directory; create it first (mkdir -p $ROOT)" >&2; exit 2; }
  # --root promises to leave the running host alone: a DIR that is this host's / (as /tmp/.., // or a link) is
  # refused, not taken for an install here; -ef compares the directories, whatever path names them
  if [ "$ROOT" -ef / ]; then
    echo "install.sh: --root $ROOT is this host's /, and --root never touches the running host; to install on this host, leave --root out" >&2
    exit 2
  fi
  ROOT="$(cd -P -- "$ROOT" && pwd -P)"
fi
ON_HOST=1
[ -z "$ROOT" ] || ON_HOST=0
if [ -n "$BINARIES_DIR" ]; then
  [ -d "$BINARIES_DIR" ] || { echo "install.sh: --binaries $BINARIES_DIR is not a directory" >&2; exit 2; }
  BINARIES_DIR="$(cd -P -- "$BINARIES_DIR" && pwd -P)"
fi

# What this node is, installs and checks comes from install.manifest, one setting or add_* line each; these are
# the settings' defaults.
MANIFEST_NAME=install.manifest
ARCH=""
KUBERNETES_MINOR=""
# Services whose files changed, recorded before the first file is replaced and cleared once they restarted:
# a run interrupted in between leaves them here, and the next run restarts them.
PENDING_FILE=/var/lib/hardway/pending-restarts
# The sha256 of each upstream executable as the last run left it (sha256sum's format; one that was absent has no
# line), so that an executable replaced since then, by --binaries or by hand, restarts its services.
BINARIES_RECORD=/var/lib/hardway/binaries.sha256
SERVICES=()
BINARIES=()
HOST_TOOLS=()
MODULES=()
SYSCTL_FILE=""
# none, advisory (kubelet starts on cgroup v1, deprecated) or required (kubelet refuses cgroup v1)
CGROUP_V2=none
# the API endpoint's /etc/hosts block (apiServer.address), or a name that must resolve
HOSTS_NAME=""
HOSTS_BEGIN=""
HOSTS_END=""
HOSTS_LINE=""
RESOLVE_ENDPOINT=""
# the kubelet configuration whose resolvConf is chosen per host, and systemd-resolved's file for it
RESOLV_CONF_AUTO=0
KUBELET_CONFIG=""
RESOLVED_RESOLV_CONF=""
# files earlier hardway versions installed that would now be wrong
RETIRED=()
# cluster add-ons applied from this node once its API server answers
ADDONS=0
ADDONS_KUBECTL=""
ADDONS_KUBECONFIG=""
ADDONS_MANIFESTS=()
ADDONS_ATTEMPTS=0
ADDONS_INTERVAL_SECONDS=0

# The executables from upstream releases: target, file name (in --binaries DIR), version, where upstream
# publishes it, the member of that archive ("-": the download is the executable), the checksum binaries.checksums
# in cluster.yaml pins ("-": none; then DIR/<file>.sha256, as dl.k8s.io publishes it, is used), the service whose
# main process runs it ("-": none), and the services restarted when it changes. Nothing is ever downloaded.
B_TARGET=()
B_FILE=()
B_VERSION=()
B_URL=()
B_INSIDE=()
B_SHA=()
B_MAIN_OF=()
B_SERVICES=()
declare -A B_URL_OF=()
add_binary() {
  B_TARGET+=("$1"); B_FILE+=("$2"); B_VERSION+=("$3"); B_URL+=("$4"); B_INSIDE+=("$5"); B_SHA+=("$6")
  B_MAIN_OF+=("$7")
  B_URL_OF[$1]="$4"; [ "$5" = - ] || B_URL_OF[$1]="$4 ($5)"
  shift 7; B_SERVICES+=("$*")
}
# Directories (outermost first), then files with the services they restart.
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
# check_version BINARY WANT WHY: the binary's --version must be WANT (checked in the preflight, by version_is)
V_BINARY=()
V_WANT=()
V_WHY=()
check_version() { V_BINARY+=("$1"); V_WANT+=("$2"); V_WHY+=("$3"); }

# damaged NAME...: refuses a damaged bundle, naming what is wrong; nothing has been written yet.
damaged() {
  echo "install.sh: the bundle is damaged, so nothing was written; unpack $(basename "$BUNDLE_DIR").tar.gz again:" >&2
  printf '  %s\n' "$@" >&2
  exit 1
}
# The manifest is read as shell, so it is checked against SHA256SUMS before it is read at all.
read_manifest() {
  local sums="$BUNDLE_DIR/SHA256SUMS" sum name actual want=""
  [ -f "$sums" ] || fail "the bundle has no SHA256SUMS; unpack the whole $(basename "$BUNDLE_DIR").tar.gz again. Nothing was written."
  while read -r sum name; do
    [ "$name" != "$MANIFEST_NAME" ] || want="$sum"
  done < "$sums"
  [ -n "$want" ] || damaged "$MANIFEST_NAME: not listed in SHA256SUMS"
  if [ -L "$BUNDLE_DIR/$MANIFEST_NAME" ] || [ ! -f "$BUNDLE_DIR/$MANIFEST_NAME" ]; then
    damaged "$MANIFEST_NAME: missing"
  fi
  actual="$(sha256sum < "$BUNDLE_DIR/$MANIFEST_NAME")"
  [ "${actual%% *}" = "$want" ] || damaged "$MANIFEST_NAME: content differs from SHA256SUMS"
  # generated per node; its lines are the settings and add_* calls above
  # shellcheck source=/dev/null
  . "$BUNDLE_DIR/$MANIFEST_NAME"
}
read_manifest
readonly PENDING_FILE BINARIES_RECORD

if [ "$LIST_BINARIES" -eq 1 ]; then
  for i in "${!B_TARGET[@]}"; do
    printf '%s %s linux/%s %s%s sha256:%s\n' "${B_TARGET[$i]}" "${B_VERSION[$i]}" "$ARCH" "${B_URL[$i]}" \
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
  [ "${#bad[@]}" -eq 0 ] || damaged "${bad[@]}"
}
verify_bundle

# Preflight: the executables the units start, the tools the components call, what this version needs of the
# host. Every problem is named at once, and nothing has been written yet.
problems=()
notes=()
# --binaries DIR: every upstream executable must be in DIR with the checksum binaries.checksums pins, or that
# DIR/<file>.sha256 gives; a missing file, a missing checksum or a mismatch refuses the whole run.
B_MIRROR_SHA=()
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
      bad+=("${B_FILE[$i]}: no checksum (pin it in cluster.yaml as binaries.checksums: [{name: ${B_FILE[$i]}, sha256: ...}], or put ${B_FILE[$i]}.sha256 beside it)")
      continue
    fi
    actual="$(sha256sum < "$src")"
    B_MIRROR_SHA[i]="${actual%% *}"
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
  [ "$host_arch" = "$ARCH" ] || problems+=("this host is $host_arch; the bundle lists linux/$ARCH executables (binaries.arch in cluster.yaml)")
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
for i in "${!V_BINARY[@]}"; do
  version_is "${V_BINARY[$i]}" "${V_WANT[$i]}" "${V_WHY[$i]}"
done

# cgroup v2: kubelet 1.35+ refuses to start on cgroup v1 (failCgroupV1 defaults to true since 1.35); earlier ones
# still start on it, which is deprecated.
if [ "$CGROUP_V2" != none ] && [ "$ON_HOST" -eq 1 ]; then
  cgroup_fs="$(stat -fc %T /sys/fs/cgroup 2>/dev/null || echo unknown)"
  if [ "$cgroup_fs" != cgroup2fs ]; then
    if [ "$CGROUP_V2" = required ]; then
      problems+=("/sys/fs/cgroup is $cgroup_fs, not cgroup2fs: kubelet $KUBERNETES_MINOR needs cgroup v2 (boot with systemd.unified_cgroup_hierarchy=1)")
    else
      notes+=("/sys/fs/cgroup is $cgroup_fs, not cgroup2fs: cgroup v1 is deprecated, and kubelet 1.35 refuses it")
    fi
  fi
fi

# The API endpoint's name is kept in a marked block of /etc/hosts (apiServer.address in cluster.yaml), or must
# resolve here: the kubelet and kube-proxy reach the cluster through it.
if [ -z "$HOSTS_NAME" ] && [ -n "$RESOLVE_ENDPOINT" ] && [ "$ON_HOST" -eq 1 ]; then
  getent hosts "$RESOLVE_ENDPOINT" >/dev/null 2>&1 || problems+=("the API server endpoint's host $RESOLVE_ENDPOINT does not resolve on this host (getent hosts $RESOLVE_ENDPOINT): add it to DNS or /etc/hosts, or set apiServer.address in cluster.yaml so that install.sh keeps an /etc/hosts entry")
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
check_target "$BINARIES_RECORD"
if [ -n "$BINARIES_DIR" ]; then
  for t in "${B_TARGET[@]}"; do
    check_target "$t"
  done
fi
[ -z "$HOSTS_NAME" ] || check_target /etc/hosts

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
if [ "$RESOLV_CONF_AUTO" -eq 1 ]; then
  if [ "$ON_HOST" -eq 1 ]; then
    if systemctl is-active --quiet systemd-resolved 2>/dev/null; then
      RESOLV_CONF="$RESOLVED_RESOLV_CONF"
    fi
  elif compgen -G "$ROOT/etc/systemd/system/*.wants/systemd-resolved.service" >/dev/null; then
    RESOLV_CONF="$RESOLVED_RESOLV_CONF"
  fi
  say "kubelet resolvConf: $RESOLV_CONF"
fi

# content INDEX: the bytes file INDEX has on this host.
content() {
  local src="$BUNDLE_DIR/${F_SRC[$1]}"
  if [ "$RESOLV_CONF_AUTO" -eq 1 ] && [ "${F_TARGET[$1]}" = "$KUBELET_CONFIG" ]; then
    sed "s|^resolvConf: .*|resolvConf: \"$RESOLV_CONF\"|" -- "$src"
  else
    cat -- "$src"
  fi
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
# Executables replaced since the last run, by --binaries or by hand (a patch upgrade changes no unit of
# kube-apiserver's, so only its executable says it must restart): B_NOW is the sha256 each one has once this run
# is done ("" where it is absent). One that differs from the record restarts its services.
B_NOW=()
for i in "${!B_TARGET[@]}"; do
  target="$ROOT${B_TARGET[$i]}"
  if [ -n "$BINARIES_DIR" ]; then
    B_NOW+=("${B_MIRROR_SHA[$i]}")
  elif [ -f "$target" ]; then
    actual="$(sha256sum < "$target")"
    B_NOW+=("${actual%% *}")
  else
    B_NOW+=("")
  fi
done
declare -A B_RECORDED=()
if [ -f "$ROOT$BINARIES_RECORD" ]; then
  while read -r sum path; do
    [ -z "$path" ] || B_RECORDED[$path]="$sum"
  done < "$ROOT$BINARIES_RECORD"
fi
# main_process_differs SERVICE FILE: whether SERVICE's main process runs an executable other than FILE (another
# device and inode: FILE was replaced, by mv, install or a new link, since it started); one not running does not.
# WHAT_RUNS says what it runs, as readlink shows it ("... (deleted)" for a file replaced since).
main_process_differs() {
  local pid running
  WHAT_RUNS=""
  pid="$(systemctl show -p MainPID --value "$1" 2>/dev/null || true)"
  [ -n "$pid" ] && [ "$pid" != 0 ] || return 1
  if ! running="$(stat -L -c '%d:%i' "/proc/$pid/exe" 2>/dev/null)"; then
    say "note: could not read what $1 runs (/proc/$pid/exe: run as root to compare); if you replaced $2 by hand, restart $1 yourself"
    return 1
  fi
  WHAT_RUNS="process $pid runs $(readlink "/proc/$pid/exe" || echo "?")"
  [ "$running" != "$(stat -L -c '%d:%i' "$2")" ]
}
# An executable without a line in the record (a host set up by an earlier hardway, or the record deleted):
# - a service's own (the kubelet's, etcd's, ...) is compared with what that service's main process runs: a service
#   still running a file replaced by hand restarts; one running this very file, or not running, does not;
# - runc or the shim, no service's main process, restarts its services where there is a record (it was absent
#   when the record was made) and nothing where there is none: a first install starts every service anyway;
# - a --root run compares nothing: it never looks at the running host.
unrecorded=()
for i in "${!B_TARGET[@]}"; do
  [ -n "${B_NOW[$i]}" ] || continue
  recorded="${B_RECORDED[${B_TARGET[$i]}]:-}"
  [ "$recorded" != "${B_NOW[$i]}" ] || continue
  # one this run installs from --binaries restarts its services and says so where it is installed
  [ "${B_STATE[$i]:-same}" = same ] || continue
  if [ -z "$recorded" ] && [ "${B_MAIN_OF[$i]}" != - ] && [ "$ON_HOST" -eq 1 ]; then
    main_process_differs "${B_MAIN_OF[$i]}" "${B_TARGET[$i]}" || continue
    say "${B_TARGET[$i]} is not what ${B_MAIN_OF[$i]} runs ($WHAT_RUNS): restarts ${B_SERVICES[$i]}"
  elif [ -z "$recorded" ] && [ ! -f "$ROOT$BINARIES_RECORD" ]; then
    [ -z "${B_SERVICES[$i]}" ] || unrecorded+=("${B_TARGET[$i]}")
    continue
  else
    say "${B_TARGET[$i]} changed since install.sh last ran${B_SERVICES[$i]:+ (restarts ${B_SERVICES[$i]})}"
  fi
  for service in ${B_SERVICES[$i]}; do
    restart[$service]=1
  done
done
# said only where a service may run an old executable: not on a first install
if [ "${#unrecorded[@]}" -gt 0 ] && [[ " ${F_STATE[*]} " == *" same "* ]]; then
  [ "$ON_HOST" -eq 1 ] || say "--root: skipped comparing each running service with its executable (a run on the host does, while there is no record)"
  say "note: no record of ${unrecorded[*]} yet ($BINARIES_RECORD), so one replaced by hand since the last install restarts nothing this time$([ "$DRY_RUN" -eq 1 ] || echo '; they are recorded now'). If you replaced one, restart its services yourself."
fi
binaries_record() {
  for i in "${!B_TARGET[@]}"; do
    [ -z "${B_NOW[$i]}" ] || printf '%s  %s\n' "${B_NOW[$i]}" "${B_TARGET[$i]}"
  done
}
# Written only once the restarts it implies are done (or owed in PENDING_FILE, written before anything changed),
# and only when it changes: a run killed before it leaves the old record, so the next run sees the same change.
record_binaries() {
  [ "$DRY_RUN" -eq 0 ] || return 0
  if [ -f "$ROOT$BINARIES_RECORD" ] && binaries_record | cmp -s - "$ROOT$BINARIES_RECORD"; then
    return 0
  fi
  write_atomic "$ROOT$BINARIES_RECORD" 0600 binaries_record
}
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
# configuration in name order, so an old one would shadow the bundle's; a unit's .wants symlink (from its former
# [Install] section) would still start it at boot.
for retired in "${RETIRED[@]}"; do
  [ -e "$ROOT$retired" ] || [ -L "$ROOT$retired" ] || continue
  would "remove $retired (no longer part of the bundle)"
  [ "$DRY_RUN" -eq 1 ] || rm -f -- "$ROOT$retired"
  case "$retired" in
    /etc/systemd/system/*) units_changed=1 ;;
  esac
  changed=$((changed + 1))
done

# The managed block of /etc/hosts: replaced as a whole, everything else in the file kept as it is.
hosts="$ROOT/etc/hosts"
hosts_new() {
  if [ -f "$hosts" ]; then
    awk -v b="$HOSTS_BEGIN" -v e="$HOSTS_END" '$0 == b {skip = 1; next} $0 == e {skip = 0; next} !skip' "$hosts"
  fi
  printf '%s\n%s\n%s\n' "$HOSTS_BEGIN" "$HOSTS_LINE" "$HOSTS_END"
}
if [ -n "$HOSTS_NAME" ]; then
  if [ -f "$hosts" ] && hosts_new | cmp -s - "$hosts"; then
    unchanged=$((unchanged + 1))
  else
    would "write /etc/hosts (the block for $HOSTS_NAME)"
    if [ "$DRY_RUN" -eq 1 ]; then
      show_diff /etc/hosts text "$hosts" hosts_new
    else
      hosts_mode=0644
      [ ! -f "$hosts" ] || hosts_mode="$(stat -c '%a' "$hosts")"
      write_atomic "$hosts" "$hosts_mode" hosts_new
    fi
    changed=$((changed + 1))
  fi
fi

clear_pending() {
  if [ "$DRY_RUN" -eq 0 ] && [ -e "$ROOT$PENDING_FILE" ]; then
    rm -f -- "$ROOT$PENDING_FILE"
  fi
}

# the services that did not start (or restart), named at the end
failed_services=()
if [ "$ON_HOST" -eq 0 ]; then
  say "--root: skipped host actions (kernel modules, sysctl, swap, systemd services)"
  for service in "${SERVICES[@]}"; do
    [ -z "${restart[$service]:-}" ] || say "--root: on a host this run would restart $service"
  done
  # reported is all a --root run does for a restart
  record_binaries
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
    say "would apply $SYSCTL_FILE"
  else
    sysctl -q -p "$SYSCTL_FILE"
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
  # Every service is started even when one before it fails, as "systemctl start a b c" does (and a host set up
  # by hand or by kubeadm would have): a pod route the kernel refuses (a peer off this node's link) must not keep
  # containerd and the kubelet down. systemd still holds back what Requires= a failed unit. The failures are
  # named at the end and make the run fail.
  for service in "${SERVICES[@]}"; do
    if ! systemctl is-enabled --quiet "$service" 2>/dev/null; then
      would "enable $service"
      [ "$DRY_RUN" -eq 1 ] || systemctl enable --quiet "$service"
    fi
    if [ -n "${restart[$service]:-}" ]; then
      would "restart $service"
      [ "$DRY_RUN" -eq 1 ] || systemctl restart "$service" || failed_services+=("$service")
    elif ! systemctl is-active --quiet "$service"; then
      would "start $service"
      [ "$DRY_RUN" -eq 1 ] || systemctl start "$service" || failed_services+=("$service")
    fi
  done
  # a restart that failed is owed in PENDING_FILE below, so the record moves on either way
  record_binaries
  if [ "${#failed_services[@]}" -eq 0 ]; then
    clear_pending
  else
    # a restart that failed stays owed to the next run; the others are done
    still_owed() {
      for service in "${failed_services[@]}"; do
        [ -z "${restart[$service]:-}" ] || echo "$service"
      done | sort
    }
    if [ -n "$(still_owed)" ]; then
      write_atomic "$ROOT$PENDING_FILE" 0600 still_owed
    else
      clear_pending
    fi
  fi
fi

# Cluster add-ons (RBAC, CoreDNS), applied once the local API server answers, with the break-glass
# super-admin kubeconfig: the RBAC that makes the everyday admin credential work is among them. kubectl apply
# is idempotent, so every run applies them again. An API server that does not answer in time is not an error:
# with several controllers etcd has no quorum until the others are installed, and failing here would stop a
# loop that installs them in turn. Run this script again afterwards, or apply the manifests by hand.
if [ "$ADDONS" -eq 1 ]; then
  if [ "$ON_HOST" -eq 0 ]; then
    say "--root: skipped applying the cluster add-ons (the host applies them once its API server answers)"
  elif [ "$DRY_RUN" -eq 1 ]; then
    say "would apply the cluster add-ons ${ADDONS_MANIFESTS[*]} once the API server answers"
  else
    addon_files=()
    for m in "${ADDONS_MANIFESTS[@]}"; do
      addon_files+=(-f "$m")
    done
    api_ready=0
    for _ in $(seq 1 "$ADDONS_ATTEMPTS"); do
      if "$ADDONS_KUBECTL" --kubeconfig "$ADDONS_KUBECONFIG" --request-timeout=5s get --raw /readyz >/dev/null 2>&1; then
        api_ready=1
        break
      fi
      sleep "$ADDONS_INTERVAL_SECONDS"
    done
    if [ "$api_ready" -eq 1 ]; then
      say "applying the cluster add-ons"
      "$ADDONS_KUBECTL" --kubeconfig "$ADDONS_KUBECONFIG" apply "${addon_files[@]}"
    else
      echo "install.sh: the API server did not become ready within $((ADDONS_ATTEMPTS * ADDONS_INTERVAL_SECONDS)) s, so the cluster add-ons" \
        "are not applied yet. Once every controller is installed, run this script again, or:" >&2
      echo "  $ADDONS_KUBECTL --kubeconfig $ADDONS_KUBECONFIG apply ${addon_files[*]}" >&2
    fi
  fi
fi

if [ "${#failed_services[@]}" -gt 0 ]; then
  echo "install.sh: every file is installed, but these services failed to start: ${failed_services[*]}." \
    "See why with: systemctl status ${failed_services[*]}; journalctl -u ${failed_services[0]}." \
    "The other services were started. Run this script again once it is fixed." >&2
fi

# The last line is always exactly "N changed, M unchanged", so that tools can read it.
[ "$DRY_RUN" -eq 0 ] || echo "dry run: nothing was written; the summary counts what would change"
echo "$changed changed, $unchanged unchanged"
# a service that failed fails the run, for whoever runs it in a loop or from automation
[ "${#failed_services[@]}" -eq 0 ] || exit 1
