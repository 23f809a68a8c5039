#!/usr/bin/env bash
# Runs hardway's JMH benchmarks by hand (never part of the test suite): scripts/benchmark.sh [JMH options]
# e.g. scripts/benchmark.sh -p workers=1      or      scripts/benchmark.sh GenerationBenchmark.warm
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -pl hardway-core test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
  -Dmdep.includeScope=test
cp="hardway-core/target/test-classes:hardway-core/target/classes:$(cat hardway-core/target/bench.classpath)"
exec java -cp "$cp" org.openjdk.jmh.Main "${@:-GenerationBenchmark}"
