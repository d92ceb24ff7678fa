#!/usr/bin/env bash
# Runs the benchmarks: builds the project and the bench applications in one reactor (no install),
# compiles the libfcgi C responder, then benchmarks/harness drives nginx, wrk and the applications
# and writes benchmarks/results/results.md, chart.svg and raw.csv.
#
#   benchmarks/run.sh            # the full run (about 30 minutes on 2 cores)
#   benchmarks/run.sh --quick    # smoke test, about 5 minutes
#
# Other options (--name=value): --duration=SECONDS --warmup=SECONDS --rounds=N
# --concurrency=1,16,64,256 --idle-connections=1000 --profile=SECONDS --results=DIR
# JDKs: JAVA17_HOME (default: the JDK 17 in /usr/lib/jvm or JAVA_HOME), JAVA25_HOME (default:
# /usr/lib/jvm/temurin-25-jdk-amd64; without it the JDK 25 virtual-thread rows are left out).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export PATH="$PATH:/usr/sbin:/sbin"

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || need+=(nginx)
command -v lighttpd >/dev/null || need+=(lighttpd)
command -v gcc >/dev/null || need+=(gcc)
[ -f /usr/include/fcgiapp.h ] || need+=(libfcgi-dev)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing: ${need[*]}; install them (apt-get install ${need[*]}) or run as root" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

find_jdk() {
  for candidate in "$@"; do
    if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/jcmd" ]; then
      echo "$candidate"
      return
    fi
  done
}
jdk17=$(find_jdk "${JAVA17_HOME:-}" /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-17-jdk-amd64 "${JAVA_HOME:-}")
jdk25=$(find_jdk "${JAVA25_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64)
if [ -z "$jdk17" ]; then
  echo "no JDK 17 found: set JAVA17_HOME" >&2
  exit 1
fi
export JAVA_HOME="$jdk17"

echo "building (./mvnw -Pbenchmarks package)…"
./mvnw -q -B -Pbenchmarks -DskipTests package \
  -pl benchmarks/app,benchmarks/app-tomcat,benchmarks/app-jetty,benchmarks/harness -am

work=$(mktemp -d /tmp/fastcgi-bench.XXXXXX)
chmod 755 "$work"
gcc -O2 -Wall -o "$work/responder" benchmarks/c/responder.c -lfcgi -lpthread
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

harness_cp="benchmarks/harness/target/classes:$(cat benchmarks/harness/target/classpath.txt)"
echo "work directory (logs, nginx.conf, recordings): $work"
"$jdk17/bin/java" -cp "$harness_cp" dev.fastcgi.bench.harness.BenchmarkRunner \
  --benchmarks="$root/benchmarks" --work="$work" --jdk17="$jdk17" --jdk25="${jdk25:-}" \
  --responder="$work/responder" "$@"
