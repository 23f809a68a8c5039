#!/usr/bin/env bash
# pause-image.sh BUSYBOX OUT.tar: an OCI image layout tar, tagged registry.k8s.io/pause:3.10, whose one layer holds
# the static busybox and whose entrypoint sleeps forever: the sandbox ("pause") image, built without any registry.
set -euo pipefail
busybox="$1" out="$2"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
mkdir -p "$work/layer/bin" "$work/oci/blobs/sha256"
cp "$busybox" "$work/layer/bin/busybox"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$work/layer" -cf "$work/layer.tar" bin
blob() { local d; d="$(sha256sum "$1" | cut -d' ' -f1)"; cp "$1" "$work/oci/blobs/sha256/$d"; echo "$d"; }
layer="$(blob "$work/layer.tar")"
printf '{"architecture":"amd64","os":"linux","config":{"Entrypoint":["/bin/busybox","sleep","infinity"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
  "$layer" > "$work/config.json"
config="$(blob "$work/config.json")"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%d},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%d}]}' \
  "$config" "$(stat -c %s "$work/config.json")" "$layer" "$(stat -c %s "$work/layer.tar")" > "$work/manifest.json"
manifest="$(blob "$work/manifest.json")"
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%d,"annotations":{"org.opencontainers.image.ref.name":"registry.k8s.io/pause:3.10"}}]}' \
  "$manifest" "$(stat -c %s "$work/manifest.json")" > "$work/oci/index.json"
printf '{"imageLayoutVersion":"1.0.0"}' > "$work/oci/oci-layout"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$work/oci" -cf "$out" oci-layout index.json blobs
