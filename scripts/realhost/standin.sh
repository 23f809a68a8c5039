#!/bin/sh
# STAND-IN, not the real program: the real-host tests install this in place of the Kubernetes binaries (kubelet,
# kube-proxy, kube-apiserver, kube-controller-manager, kube-scheduler), which no reachable archive packages. It
# records the arguments systemd started it with and stays running, so the generated unit is what is tested.
name="$(basename "$0")"
# the version the bundle was generated for, so that install.sh's version preflight sees what a real binary says
if [ "${1:-}" = --version ]; then
  echo "Kubernetes v$(cat /usr/local/lib/hardway-standin/version 2>/dev/null || echo 0.0.0) (STAND-IN)"
  exit 0
fi
mkdir -p /run/hardway-standin
printf '%s\n' "$@" > "/run/hardway-standin/$name.args"
echo "STAND-IN for $name (not the real binary), started with: $*"
exec sleep infinity
