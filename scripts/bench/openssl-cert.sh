#!/usr/bin/env bash
# One certificate the way a "Kubernetes the hard way" user's script issues it (run by scripts/benchmark.sh through
# xargs -P2): openssl genpkey, openssl req, openssl x509 -req signed by its CA (or req -x509 for a CA), with the
# subject, validity and extensions read from the plan BenchTools.java wrote from hardway's own pki/ for the spec.
#   openssl-cert.sh ca|leaf|key ID      environment: PLAN (the plan directory), OUT (where to write)
# The key algorithm of each key is the one hardway used for it (PLAN/ID.alg: RSA means 2048 bits, EC P-256).
set -euo pipefail
kind=$1 id=$2
cd "$OUT"
if [[ $(<"$PLAN/$id.alg") == RSA ]]; then
  keyopts=(-algorithm RSA -pkeyopt rsa_keygen_bits:2048)
else
  keyopts=(-algorithm EC -pkeyopt ec_paramgen_curve:P-256)
fi
openssl genpkey "${keyopts[@]}" -out "$id.key" 2>/dev/null
if [[ $kind == key ]]; then                     # a key pair without a certificate: the service-account key
  openssl pkey -in "$id.key" -pubout -out "$id.pub"
  exit 0
fi
ext=()
while IFS= read -r line; do ext+=(-addext "$line"); done <"$PLAN/$id.ext"
subj=$(<"$PLAN/$id.subj")
days=$(<"$PLAN/$id.days")
if [[ $kind == ca ]]; then
  openssl req -x509 -new -key "$id.key" -sha256 -days "$days" -subj "$subj" "${ext[@]}" -out "$id.crt"
else
  ca=$(<"$PLAN/$id.issuer")
  openssl req -new -key "$id.key" -sha256 -subj "$subj" "${ext[@]}" -out "$id.csr"
  openssl x509 -req -in "$id.csr" -sha256 -days "$days" -copy_extensions copyall \
    -CA "$ca.crt" -CAkey "$ca.key" -out "$id.crt" 2>/dev/null
fi
