#!/bin/sh
# Refuses to start a kubelet newer than the API server it points at (cluster [=cluster]). The Kubernetes version
# skew policy allows a kubelet up to three minor releases older than kube-apiserver, never a newer one: during an
# upgrade every controller moves first, then the workers. The kubelet unit runs this as ExecStartPre, so a worker
# installed too early waits (the unit restarts until the API server is upgraded) instead of joining.
#   kubelet-version-check.sh [KUBELET [KUBECONFIG]]   (defaults: [=kubelet] [=kubeconfig])
# It asks the API server's /version with the kubelet's own credentials from its kubeconfig. An API server that
# does not answer is no reason to keep the kubelet down (a cold start of the whole cluster): it says so and
# lets it start.
set -eu
kubelet=${1:-[=kubelet]}
kubeconfig=${2:-[=kubeconfig]}
me="kubelet-version-check"

# the first value of a kubeconfig field, without quotes (hardway writes one field per line)
field() {
  sed -n "s/^[[:space:]]*$1:[[:space:]]*//p" "$kubeconfig" | head -n 1 | tr -d '"'
}

# 1.34.1 -> 34
minor_of() {
  printf '%s\n' "$1" | sed -n 's/^v\{0,1\}1\.\([0-9][0-9]*\)\..*/\1/p'
}

kubelet_version=$("$kubelet" --version 2>/dev/null | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n 1) || true
if [ -z "$kubelet_version" ]; then
  echo "$me: $kubelet --version printed no version, so the kubelet is not started" >&2
  exit 1
fi
if ! command -v curl >/dev/null 2>&1; then
  echo "$me: curl is missing, so kubelet $kubelet_version starts without comparing it with the API server" >&2
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
umask 077
server=$(field server)
field certificate-authority-data | base64 -d > "$work/ca.crt"
field client-certificate-data | base64 -d > "$work/client.crt"
field client-key-data | base64 -d > "$work/client.key"
if ! answer=$(curl --silent --show-error --fail --max-time [=timeoutSeconds] --cacert "$work/ca.crt" \
    --cert "$work/client.crt" --key "$work/client.key" "$server/version" 2> "$work/error"); then
  echo "$me: the API server at $server did not answer /version ($(head -n 1 "$work/error")); kubelet" \
    "$kubelet_version starts without the comparison" >&2
  exit 0
fi
api_version=$(printf '%s\n' "$answer" | sed -n 's/.*"gitVersion"[[:space:]]*:[[:space:]]*"v\{0,1\}\([0-9][0-9.]*\).*/\1/p' \
  | head -n 1)
kubelet_minor=$(minor_of "$kubelet_version")
api_minor=$(minor_of "$api_version")
if [ -z "$api_minor" ] || [ -z "$kubelet_minor" ]; then
  echo "$me: cannot compare kubelet $kubelet_version with the API server's version '$api_version' at $server;" \
    "the kubelet is not started" >&2
  exit 1
fi
if [ "$kubelet_minor" -gt "$api_minor" ]; then
  echo "$me: kubelet $kubelet_version is newer than the API server at $server ($api_version); a kubelet must" \
    "never be newer than kube-apiserver (the version skew policy). Upgrade every controller to 1.$kubelet_minor" \
    "first, or install this node's 1.$api_minor bundle again; the kubelet is not started" >&2
  exit 1
fi
if [ $((api_minor - kubelet_minor)) -gt 3 ]; then
  echo "$me: kubelet $kubelet_version is more than three minor releases older than the API server at $server" \
    "($api_version), more than the version skew policy allows; install this node's current bundle and" \
    "executables; the kubelet is not started" >&2
  exit 1
fi
echo "$me: kubelet $kubelet_version, API server $api_version at $server: within the version skew policy"
