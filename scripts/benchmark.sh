#!/usr/bin/env bash
# hardway's benchmark, run by hand (never part of the test suite or CI). For a generated spec of 3 controllers and
# N workers it measures, in one run on this machine, the whole `mvn -o -q hardway:generate` process (cold, warm,
# add-one-worker) against a "Kubernetes the hard way"-style openssl script issuing the same certificates, and for
# RSA against the floor of generating as many key pairs on 2 threads in one JVM; then prints the table.
#
#   scripts/benchmark.sh [N] [--ecdsa] [--rsa] [--repeat R] [--timeout SECONDS] [--keep]
#       N           workers (default 100); controllers are always 3
#       --ecdsa     P-256 keys (the default when neither is given); --rsa: RSA-2048; both: both, one column each
#       --repeat    R rounds (default 1), each running every step once; times are the medians (noisy machines)
#       --timeout   limit of every single timed step and of the build, in seconds (default 1800)
#       --keep      keep the scratch directory (target/benchmark/run.*) with the infra repos and every log
#   scripts/benchmark.sh --jmh [JMH options]       the JMH micro-benchmarks (GenerationBenchmark), as before
#       e.g. scripts/benchmark.sh --jmh -p workers=1      or      scripts/benchmark.sh --jmh GenerationBenchmark.warm
#
# Needs GNU time (/usr/bin/time; Debian: apt-get install time), openssl, a JDK and Maven. No network: hardway is
# built with -o (online only if that fails: a first build on a fresh ~/.m2) and installed into a private local
# repository under the scratch directory (the rest of ~/.m2/repository, or of $MAVEN_REPO_LOCAL, linked into it),
# so another checkout's `mvn install` of the same SNAPSHOT during the run cannot change what is measured. The table
# is also written, as markdown, to target/benchmark/<N>-<alg>.md.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
root=$PWD

if [[ ${1:-} == --jmh ]]; then
  shift
  jmhBuild=(-q -B -pl hardway-core test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
    -Dmdep.includeScope=test)
  mvn -o "${jmhBuild[@]}" || mvn "${jmhBuild[@]}"
  cp="hardway-core/target/test-classes:hardway-core/target/classes:$(cat hardway-core/target/bench.classpath)"
  exec java -cp "$cp" org.openjdk.jmh.Main "${@:-GenerationBenchmark}"
fi

usage() { sed -n '7,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
workers=100 algs=() limit=1800 keep=false rounds=1
while (($#)); do
  case $1 in
    --ecdsa) algs+=(ECDSA) ;;
    --rsa) algs+=(RSA) ;;
    --timeout) limit=${2:?--timeout needs seconds}; shift ;;
    --keep) keep=true ;;
    --repeat) rounds=${2:?--repeat needs a count}; shift ;;
    -h|--help) usage ;;
    [0-9]*) workers=$1 ;;
    *) echo "unknown argument: $1" >&2; usage ;;
  esac
  shift
done
wanted=" ${algs[*]} " algs=()     # canonical order, each once; ECDSA when neither is given
[[ $wanted == *" ECDSA "* || $wanted != *" RSA "* ]] && algs+=(ECDSA)
[[ $wanted == *" RSA "* ]] && algs+=(RSA)
if ! [[ $workers =~ ^[0-9]+$ ]] || ((workers < 1 || workers > 4000)); then
  echo "N must be 1..4000" >&2
  exit 2
fi
if ! [[ $rounds =~ ^[1-9][0-9]*$ && $limit =~ ^[1-9][0-9]*$ ]]; then
  echo "--repeat and --timeout take a positive whole number" >&2
  exit 2
fi

missing=()
[[ -x /usr/bin/time ]] && /usr/bin/time -v true 2>/dev/null || missing+=("GNU time at /usr/bin/time (apt-get install time)")
for tool in openssl java javac mvn timeout sha256sum xargs; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if ((${#missing[@]})); then
  printf 'benchmark.sh needs: %s\n' "${missing[@]}" >&2
  exit 1
fi

mkdir -p target/benchmark
scratch=$(mktemp -d "$root/target/benchmark/run.XXXXXX")
cleanup() {
  if $keep; then echo "scratch kept: $scratch" >&2; else rm -rf "$scratch"; fi
}
trap cleanup EXIT
trap 'echo "benchmark.sh: failed at line $LINENO" >&2' ERR
log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
fail() { echo "benchmark.sh: $*" >&2; exit 1; }

# ---- build hardway into a private local repository ------------------------------------------------------------
userRepo=${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}
repo=$scratch/m2
mkdir -p "$repo/dev"
for entry in "$userRepo"/*; do [[ $(basename "$entry") == dev ]] || ln -s "$entry" "$repo/"; done
if [[ -d $userRepo/dev ]]; then
  for entry in "$userRepo"/dev/*; do [[ $(basename "$entry") == hardway ]] || ln -s "$entry" "$repo/dev/"; done
fi
mvnArgs=(-B -Dmaven.repo.local="$repo")
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)
[[ -n $version ]] || fail "cannot read the project version from pom.xml"
log "building hardway $version (mvn -o -q install -DskipTests)"
if ! timeout "$limit" mvn "${mvnArgs[@]}" -o -q install -DskipTests >"$scratch/install.log" 2>&1; then
  log "offline build failed (a dependency not yet in $userRepo?); building online once"
  timeout "$limit" mvn "${mvnArgs[@]}" -q install -DskipTests >"$scratch/install.log" 2>&1 \
    || { tail -30 "$scratch/install.log" >&2; fail "mvn install failed; log above"; }
fi
[[ -f hardway-core/target/test-classes/dev/hardway/bench/GenerationBenchmark.class ]] \
  || fail "GenerationBenchmark (JMH) did not compile"
javac -d "$scratch/tools" scripts/bench/BenchTools.java

# ---- the spec -------------------------------------------------------------------------------------------------
spec() { "$root/scripts/bench/spec.sh" "$@"; } # spec WORKERS ALG > cluster.yaml

# ---- measuring ------------------------------------------------------------------------------------------------
# measure NAME DIR CMD...: runs CMD in DIR under GNU time and timeout, once more in this round; collects its wall
# time (seconds, from bash's clock), user+sys seconds and peak RSS of the largest process (MB) under NAME.
declare -A walls cpus rsss wall cpu rss spread
measure() {
  local name=$1 dir=$2; shift 2
  local t0 t1 out=$scratch/$name.$round
  t0=$EPOCHREALTIME
  if ! (cd "$dir" && /usr/bin/time -v -o "$out.time" timeout -k 10 "$limit" "$@" >"$out.log" 2>&1); then
    tail -30 "$out.log" >&2
    fail "$name failed (log above; exit status in $out.time)"
  fi
  t1=$EPOCHREALTIME
  walls[$name]+=" $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')"
  cpus[$name]+=" $(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.1f", s }' "$out.time")"
  rsss[$name]+=" $(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$out.time")"
}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# summarize: wall and cpu = the median over the rounds, rss = the largest, spread = "min–max" of the wall times
summarize() {
  local name w
  for name in "${!walls[@]}"; do
    # shellcheck disable=SC2086 # the lists are space-separated numbers
    {
      wall[$name]=$(median ${walls[$name]})
      cpu[$name]=$(median ${cpus[$name]})
      rss[$name]=$(printf '%s\n' ${rsss[$name]} | sort -g | tail -1)
      w=$(printf '%s\n' ${walls[$name]} | sort -g)
    }
    spread[$name]="$(head -1 <<<"$w")–$(tail -1 <<<"$w")"
  done
}
# tunedJvm ALG: the JVM options README.md's "Large clusters" gives an infra repo for ALG (keep the two in step)
tunedJvm() { if [[ $1 == ECDSA ]]; then echo "-XX:+UseSerialGC -XX:TieredStopAtLevel=1"; else echo "-XX:+UseSerialGC"; fi; }
# sums DIR: sorted "sha256  path" of every file under DIR
sums() { (cd "$1" && find . -type f -print0 | xargs -0 -r sha256sum | sort); }
# stamps DIR...: sorted "mtime size path" of every file under each DIR (a rewrite with equal content shows too)
stamps() { find "$@" -type f -printf '%T@ %s %p\n' | sort; }
# changed A B: how many paths differ (modified, added or removed) between two sums listings
changed() { comm -3 "$1" "$2" | awk '{ print $NF }' | sort -u | wc -l; }
# setAside DIR...: moves the directories out of the way, into the scratch directory's trash, instead of deleting
# them. ext4 does not hand out an inode freed in the last minute or more: the allocator scans past every one of
# them (recently_deleted() and find_inode_bit() lead perf's profile), so a cold run right after the last one's
# 20,000 files and directories were deleted spent 3.6-6.3 s of system time instead of 1.3-1.9 s (in one JVM at
# N=1000: 6-7 s of wall time instead of 4). A cold run in a fresh infra repo never pays that. The trash goes with
# the scratch directory at the end.
trashed=0
setAside() {
  local d
  mkdir -p "$scratch/trash"
  for d in "$@"; do
    if [[ -e $d ]]; then trashed=$((trashed + 1)); mv "$d" "$scratch/trash/$trashed"; fi
  done
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

declare -A tuned warmWritten forcedWritten outFiles certs keypairs rsakeys goldenMb goldenFileMb goldenDirs goldenFiles addGolden addBundles warmGolden warmPki floors floor
load0=$(cut -d' ' -f1-3 /proc/loadavg)
generate=(mvn "${mvnArgs[@]}" -o -q hardway:generate)
for alg in "${algs[@]}"; do
  a=${alg,,}
  infra=$scratch/$a-infra
  mkdir -p "$infra/.mvn"     # an infra repo of its own: Maven must not find this checkout's .mvn above it
  sed "/<artifactId>hardway-maven-plugin<\/artifactId>/{n;s:<version>.*</version>:<version>$version</version>:}" \
    samples/minimal/pom.xml >"$infra/pom.xml"
  grep -q "<version>$version</version>" "$infra/pom.xml" || fail "could not point $infra/pom.xml at $version"
  spec "$workers" "$alg" >"$scratch/$a-cluster.yaml"
  spec $((workers + 1)) "$alg" >"$scratch/$a-plus-one.yaml"
  plan=$scratch/$a-plan ossl=$scratch/$a-openssl
  cat >"$scratch/$a-openssl.sh" <<EOF
set -euo pipefail
export PLAN=$plan OUT=$ossl
head -c 32 /dev/urandom | base64 >"$ossl/encryption-key"
xargs -P2 -n1 "$root/scripts/bench/openssl-cert.sh" ca <"$plan/cas"
xargs -P2 -n1 "$root/scripts/bench/openssl-cert.sh" leaf <"$plan/leaves"
xargs -r -P2 -n1 "$root/scripts/bench/openssl-cert.sh" key <"$plan/keyonly"
EOF
done

# Each round runs everything once, both algorithms interleaved, so a change in the machine's load between the
# start and the end of the run falls on every figure alike; the file counts are those of the first round.
for ((round = 1; round <= rounds; round++)); do
  for alg in "${algs[@]}"; do
    a=${alg,,} infra=$scratch/$a-infra plan=$scratch/$a-plan ossl=$scratch/$a-openssl
    of=""
    if ((rounds > 1)); then of=", round $round of $rounds"; fi
    setAside "$infra/pki" "$infra/golden" "$infra/target" "$ossl"
    cp "$scratch/$a-cluster.yaml" "$infra/cluster.yaml"

    log "$alg: hardway cold (3 controllers, $workers workers$of)"
    measure "$a-cold" "$infra" "${generate[@]}"
    stamps "$infra/golden" "$infra/pki" "$infra/target/hardway" >"$scratch/$a-stamps.0"
    sums "$infra/golden" >"$scratch/$a-golden.0"
    sums "$infra/pki" >"$scratch/$a-pki.0"
    if ((round == 1)); then
      goldenMb[$a]=$(du -sb "$infra/golden" | awk '{ printf "%.1f", $1 / 1e6 }')
      # du -sb counts every directory's own size too (4096 bytes each on ext4): say how much is file content
      goldenFileMb[$a]=$(find "$infra/golden" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%.1f", s / 1e6 }')
      goldenDirs[$a]=$(find "$infra/golden" -type d | wc -l)
      goldenFiles[$a]=$(wc -l <"$scratch/$a-golden.0")
      # what the openssl way must issue: exactly the certificates and key pairs hardway made for this spec
      java -cp "$scratch/tools" BenchTools plan "$infra/pki" "$plan" >/dev/null
      read -r "certs[$a]" "keypairs[$a]" "rsakeys[$a]" \
        < <(sed -E 's/certs=([0-9]+) .* keypairs=([0-9]+) rsakeys=([0-9]+) .*/\1 \2 \3/' "$plan/summary")
    fi

    log "$alg: hardway warm (nothing changed$of)"
    measure "$a-warm" "$infra" "${generate[@]}"
    sums "$infra/golden" >"$scratch/$a-golden.1"
    sums "$infra/pki" >"$scratch/$a-pki.1"
    stamps "$infra/golden" "$infra/pki" "$infra/target/hardway" >"$scratch/$a-stamps.1"
    if ((round == 1)); then
      warmGolden[$a]=$(changed "$scratch/$a-golden.0" "$scratch/$a-golden.1")
      warmPki[$a]=$(changed "$scratch/$a-pki.0" "$scratch/$a-pki.1")
      warmWritten[$a]=$(changed "$scratch/$a-stamps.0" "$scratch/$a-stamps.1")
    fi

    log "$alg: hardway warm, forced (-Dhardway.force=true: everything checked again$of)"
    measure "$a-forced" "$infra" "${generate[@]}" -Dhardway.force=true
    if ((round == 1)); then
      stamps "$infra/golden" "$infra/pki" "$infra/target/hardway" >"$scratch/$a-stamps.2"
      forcedWritten[$a]=$(changed "$scratch/$a-stamps.1" "$scratch/$a-stamps.2")
    fi

    log "$alg: hardway add-one-worker ($((workers + 1)) workers$of)"
    sums "$infra/target/hardway" >"$scratch/$a-out.1"
    cp "$scratch/$a-plus-one.yaml" "$infra/cluster.yaml"
    measure "$a-add" "$infra" "${generate[@]}"
    if ((round == 1)); then
      sums "$infra/golden" >"$scratch/$a-golden.2"
      sums "$infra/target/hardway" >"$scratch/$a-out.2"
      addGolden[$a]=$(changed "$scratch/$a-golden.1" "$scratch/$a-golden.2")
      addBundles[$a]=$(changed "$scratch/$a-out.1" "$scratch/$a-out.2")
      outFiles[$a]=$(wc -l <"$scratch/$a-out.2")
    fi

    # the same two runs in the JVM the README's "Large clusters" gives an infra repo in .mvn/jvm.config
    tuned[$a]=$(tunedJvm "$alg")
    log "$alg: hardway cold again, then add-one-worker, with .mvn/jvm.config: ${tuned[$a]}$of"
    setAside "$infra/pki" "$infra/golden" "$infra/target"
    cp "$scratch/$a-cluster.yaml" "$infra/cluster.yaml"
    echo "${tuned[$a]}" >"$infra/.mvn/jvm.config"
    measure "$a-tuned-cold" "$infra" "${generate[@]}"
    cp "$scratch/$a-plus-one.yaml" "$infra/cluster.yaml"
    measure "$a-tuned-add" "$infra" "${generate[@]}"
    rm "$infra/.mvn/jvm.config"

    log "$alg: the openssl way (${certs[$a]} certificates, ${keypairs[$a]} key pairs, xargs -P2$of)"
    mkdir -p "$ossl"
    measure "$a-openssl" "$ossl" bash "$scratch/$a-openssl.sh"
    made=$(find "$ossl" -name '*.crt' | wc -l) keys=$(find "$ossl" -name '*.key' | wc -l)
    [[ $made == "${certs[$a]}" && $keys == "${keypairs[$a]}" ]] \
      || fail "openssl way made $made certificates and $keys keys, hardway ${certs[$a]} and ${keypairs[$a]}"

    if [[ $alg == RSA ]]; then
      log "$alg: JVM floor (${rsakeys[$a]} RSA-2048 key pairs, 2 threads$of)"
      measure "$a-floor" "$scratch" java -cp "$scratch/tools" BenchTools floor "${rsakeys[$a]}" RSA 2
      floors[$a]+=" $(sed -E 's/.*keygen_ms=([0-9]+).*/\1/' "$scratch/$a-floor.$round.log")"
    fi
  done
done
summarize
for a in "${!floors[@]}"; do
  # shellcheck disable=SC2086
  mapfile -t seconds < <(printf '%s\n' ${floors[$a]} | awk '{ printf "%.2f\n", $1 / 1000 }')
  floor[$a]=$(median "${seconds[@]}")
done
load1=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- the table ------------------------------------------------------------------------------------------------
name=$(IFS=+; echo "${algs[*],,}")
command="scripts/benchmark.sh $workers$(printf ' --%s' "${algs[@],,}")"
if ((rounds > 1)); then command+=" --repeat $rounds"; fi
md=$root/target/benchmark/$workers-$name.md
rows=()
row() { local line="|" cell; for cell; do line+=" $cell |"; done; rows+=("$line"); }
cells() { # cells EXPR-FUNCTION: one cell per algorithm
  local f=$1 a out=()
  for alg in "${algs[@]}"; do a=${alg,,}; out+=("$($f "$a")"); done
  printf '%s\n' "${out[@]}"
}
add() { local label=$1 f=$2 target=$3; mapfile -t c < <(cells "$f"); row "$label" "${c[@]}" "$target"; }
w() { # w NAME: the wall time, with the spread over the rounds when there were several
  if ((rounds > 1)); then printf '%s s (%s)' "${wall[$1]}" "${spread[$1]}"; else printf '%s s' "${wall[$1]}"; fi
}
c_cold() { w "$1-cold"; }
c_coldcpu() { printf '%s s (%s cores)' "${cpu[$1-cold]}" "$(ratio "${cpu[$1-cold]}" "${wall[$1-cold]}")"; }
c_warm() { w "$1-warm"; }
c_add() { w "$1-add"; }
c_forced() { printf '%s (%s files rewritten)' "$(w "$1-forced")" "${forcedWritten[$1]}"; }
c_warmcold() { printf '%s×' "$(ratio "${wall[$1-warm]}" "${wall[$1-cold]}")"; }
c_ossl() { printf '%s, cpu %s s' "$(w "$1-openssl")" "${cpu[$1-openssl]}"; }
c_osslratio() { printf '**%s×**' "$(ratio "${wall[$1-openssl]}" "${wall[$1-cold]}")"; }
c_floor() {
  [[ $1 == rsa ]] || { echo "—"; return; }
  printf '%s s; process %s, cpu %s s' "${floor[$1]}" "$(w "$1-floor")" "${cpu[$1-floor]}"
}
c_floorratio() {
  [[ $1 == rsa ]] || { echo "—"; return; }
  printf '**%s×** (cpu %s×)' "$(ratio "${wall[$1-cold]}" "${floor[$1]}")" "$(ratio "${cpu[$1-cold]}" "${cpu[$1-floor]}")"
}
c_tuned() {
  # shellcheck disable=SC2016 # the backquotes are markdown
  printf '`%s`: cold %s, add-one %s; peak RSS %s / %s MB' "${tuned[$1]}" "$(w "$1-tuned-cold")" "$(w "$1-tuned-add")" \
    "${rss[$1-tuned-cold]}" "${rss[$1-tuned-add]}"
}
c_rss() { printf '%s / %s / %s / %s MB' "${rss[$1-cold]}" "${rss[$1-warm]}" "${rss[$1-forced]}" "${rss[$1-add]}"; }
c_golden() {
  printf '%s MB, %s files (file contents %s MB; %s directories)' "${goldenMb[$1]}" "${goldenFiles[$1]}" \
    "${goldenFileMb[$1]}" "${goldenDirs[$1]}"
}
c_addgolden() { printf '%s golden; %s of %s in target/hardway' "${addGolden[$1]}" "${addBundles[$1]}" "${outFiles[$1]}"; }
c_warmchanged() {
  printf '%s golden, %s pki changed; %s files rewritten' "${warmGolden[$1]}" "${warmPki[$1]}" "${warmWritten[$1]}"
}
c_certs() { printf '%s certs, %s key pairs (%s RSA)' "${certs[$1]}" "${keypairs[$1]}" "${rsakeys[$1]}"; }

header=("3 controllers + $workers workers")
for alg in "${algs[@]}"; do header+=("$alg"); done
header+=("issue 7 target (N=1000)")
row "${header[@]}"
rows+=("|$(printf ' --- |%.0s' "${header[@]}")")
add "hardway cold, wall" c_cold "ECDSA ≤ 3 s"
add "hardway cold, user+sys CPU" c_coldcpu ""
add "hardway warm (nothing changed), wall" c_warm "≤ 2 s"
add "hardway warm forced (-Dhardway.force=true), wall" c_forced ""
add "hardway add-one-worker, wall" c_add "≤ 2.5 s"
add "warm / cold" c_warmcold ""
add "openssl way (KTHW-style, xargs -P2), wall" c_ossl ""
add "openssl way / hardway cold" c_osslratio "ECDSA ≥ 12×"
add "JVM floor: RSA-2048 key pairs, 2 threads" c_floor ""
add "hardway cold / JVM floor" c_floorratio "RSA ≤ 1.15×"
add "peak RSS of mvn: cold / warm / forced / add-one" c_rss "≤ 512 MB"
add "with the README's .mvn/jvm.config (large clusters)" c_tuned ""
add "golden/ (du -sb)" c_golden "≤ 40 MB"
add "files changed by add-one-worker" c_addgolden "golden ≤ 25"
add "files changed by warm" c_warmchanged "0 (rewrites nothing)"
add "issued by both ways" c_certs ""
{
  echo "## hardway benchmark: 3 controllers, $workers workers ($(IFS=,; echo "${algs[*]}"))"
  echo
  printf '%s\n' "${rows[@]}"
  echo
  echo "\`$command\` on $(hostname), $(nproc) cores," \
    "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- hardway-core hardway-maven-plugin templates 2>/dev/null || echo '+changes');" \
    "load average $load0 at the start, $load1 at the end; MAVEN_OPTS=${MAVEN_OPTS:-(none)}."
  if ((rounds > 1)); then
    echo "Times are the median of $rounds rounds (min–max in brackets), each round running every step once;" \
      "peak RSS is the largest of the rounds."
  fi
  echo "Wall = whole process (\`mvn -o -q hardway:generate\`, JVM and Maven start-up included); floor = in-JVM time" \
    "of generating the key pairs, JIT warm-up included, JVM start-up excluded (then the whole java process)."
} | tee "$md"
log "written to ${md#"$root"/}"
