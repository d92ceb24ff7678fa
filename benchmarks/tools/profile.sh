#!/usr/bin/env bash
# Where an application's CPU goes per request: async-profiler (fetched from Maven Central,
# tools.profiler:async-profiler) attached to a running JVM for one wrk run, Java and kernel
# stacks together. Writes a flame graph (HTML) and the collapsed stacks, and prints the samples
# per request by part: Spring's DispatcherServlet, the servlet filters, the server around them,
# the kernel, the collector and the JIT compilers.
#
#   benchmarks/tools/profile.sh APP_PID URL [CONNECTIONS] [SECONDS] [OUT_DIR]
#   e.g. benchmarks/tools/profile.sh 4242 http://127.0.0.1:18082/json 64 10 /tmp/profile
#
# PROFILE_OPTIONS=,threads adds async-profiler options (here: a stack root per thread, to tell
# which threads contend for a lock).
# Run it against any running setup, warmed up first; profile two applications the same way
# to compare them (samples are 1 ms of CPU each, so samples per request read as µs).
set -euo pipefail
pid=$1
url=$2
connections=${3:-64}
seconds=${4:-10}
out=${5:-$(mktemp -d)}
version=4.6
here=$(cd "$(dirname "$0")" && pwd)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/fastcgi-bench/async-profiler-$version
java_home=$(dirname "$(dirname "$(readlink -f "/proc/$pid/exe")")")

if [ ! -f "$cache/linux-x64/libasyncProfiler.so" ]; then
  mkdir -p "$cache"
  "$here/../../mvnw" -q -B dependency:copy -Dartifact="tools.profiler:async-profiler:$version" \
    -DoutputDirectory="$cache" -Dmdep.stripVersion=true
  (cd "$cache" && "$java_home/bin/jar" xf async-profiler.jar linux-x64/libasyncProfiler.so)
fi
library="$cache/linux-x64/libasyncProfiler.so"
mkdir -p "$out"

# jcmd's JVMTI.agent_load splits its argument at '=', which async-profiler's options need
agent() {
  "$java_home/bin/java" "$here/AttachAgent.java" "$pid" "$library" "$1"
}

agent "start,event=cpu,interval=1ms${PROFILE_OPTIONS:-}"
wrk_out=$(wrk -t"$(( connections < 2 ? 1 : 2 ))" -c"$connections" -d"${seconds}s" "$url")
agent "dump,file=$out/stacks.collapsed,collapsed"
agent "stop,file=$out/flamegraph.html,flamegraph"
requests=$(awk '/requests in/ {print $1}' <<<"$wrk_out")
echo "$(awk '/Requests\/sec/ {print $2}' <<<"$wrk_out") req/s while profiled; $requests requests"
python3 - "$out/stacks.collapsed" "$requests" <<'PY'
import collections, sys
parts = collections.Counter()
for line in open(sys.argv[1]):
    stack, count = line.rsplit(' ', 1)
    frames = stack.split(';')
    if any('CompileBroker' in f for f in frames):
        part = 'JIT compilers'
    elif any('G1' in f or 'GC' in f for f in frames) and not any('/' in f for f in frames):
        part = 'collector'
    elif any('DispatcherServlet.doService' in f for f in frames):
        part = 'DispatcherServlet (Spring MVC and what it calls)'
    elif any('doFilter' in f for f in frames):
        part = 'filters, outside DispatcherServlet'
    else:
        part = 'server, kernel side' if frames[-1].endswith('_[k]') else 'server, user side'
    parts[part] += int(count)
requests = int(sys.argv[2])
for part, samples in parts.most_common():
    print(f'{1000 * samples / requests:7.2f} µs/request  {part}')
print(f'{1000 * sum(parts.values()) / requests:7.2f} µs/request  in all')
PY
echo "flame graph: $out/flamegraph.html, stacks: $out/stacks.collapsed"
