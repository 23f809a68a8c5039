#!/usr/bin/env bash
# hardway's generate in one plain JVM, without Maven: the figures of the core alone, phase by phase, for profiling
# and for comparing two checkouts back to back on a busy machine (user+sys CPU moves less with load than wall).
#
#   scripts/bench/in-jvm.sh [N] [ECDSA|RSA] [-- JVM options...]     e.g. scripts/bench/in-jvm.sh 1000 ECDSA
#       -- -XX:StartFlightRecording=filename=cold.jfr      a JFR recording of each run (then: jfr print ...)
#   CHECKOUT=/path/to/other/checkout scripts/bench/in-jvm.sh ...   measures that checkout's classes instead
#
# Runs dev.hardway.testing.GenerateMain (test classes) on a spec of 3 controllers and N workers: cold (empty PKI
# and output), then warm (nothing changed), each printing its phases, wall time, CPU and peak RSS. GOLDEN=1 also
# writes the golden snapshot and report.json, as hardway:generate does (Golden.generate; never up to date). Builds the
# checkout's classes first (mvn -o -q test-compile); needs GNU time at /usr/bin/time.
set -euo pipefail
export LC_ALL=C
checkout=${CHECKOUT:-$(cd "$(dirname "$0")/../.." && pwd)}
workers=${1:-100}
alg=${2:-ECDSA}
shift $(($# < 2 ? $# : 2))
[[ ${1:-} != -- ]] || shift
if ! [[ $workers =~ ^[0-9]+$ ]] || ((workers < 1 || workers > 4000)); then
  echo "N must be 1..4000" >&2
  exit 2
fi
[[ $alg == ECDSA || $alg == RSA ]] || { echo "the algorithm is ECDSA or RSA" >&2; exit 2; }

(cd "$checkout" && mvn -o -q -B -pl hardway-core test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/in-jvm.classpath -Dmdep.includeScope=test)
core=$checkout/hardway-core
cp="$core/target/test-classes:$core/target/classes:$(cat "$core/target/in-jvm.classpath")"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$(dirname "$0")/spec.sh" "$workers" "$alg" >"$work/cluster.yaml"

echo "3 controllers + $workers workers, $alg, $(git -C "$checkout" rev-parse --short HEAD 2>/dev/null || echo "not a git checkout"), load $(cut -d' ' -f1-3 /proc/loadavg)"
for run in cold warm; do
  /usr/bin/time -f "%e s wall, %U+%S s CPU, %M KB peak RSS" -o "$work/time" \
    java "$@" -cp "$cp" dev.hardway.testing.GenerateMain "$work/cluster.yaml" "$work/pki" "$work/out" \
    ${GOLDEN:+"$work/golden"} \
    >"$work/out.log" 2>"$work/phases.log"
  printf '%s: %s; %s; %s\n' "$run" "$(paste -sd';' "$work/phases.log" | sed 's/;/; /g')" \
    "$(cat "$work/out.log")" "$(tail -1 "$work/time")"
done
