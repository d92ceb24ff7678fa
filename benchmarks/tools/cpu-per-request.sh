#!/usr/bin/env bash
# CPU time per request of an application process and of nginx's workers, from /proc/PID/stat
# (utime + stime) before and after one wrk run: what the benchmark's ratios do not show, which
# side spends the machine's cores.
#
#   benchmarks/tools/cpu-per-request.sh APP_PID URL [CONNECTIONS] [SECONDS]
#   e.g. benchmarks/tools/cpu-per-request.sh 4242 http://127.0.0.1:18082/json 64 8
#
# Run it against any running setup (benchmarks/run.sh's nginx.conf and applications, or
# sample-app/deploy/run.sh); warm the application up first.
set -euo pipefail
pid=$1
url=$2
connections=${3:-64}
seconds=${4:-8}
ticks=$(getconf CLK_TCK)

cpu_ticks() {
  local total=0
  for p in "$@"; do
    read -r utime stime < <(awk '{print $14, $15}' "/proc/$p/stat")
    total=$((total + utime + stime))
  done
  echo "$total"
}
split_ticks() {
  awk '{print $14, $15}' "/proc/$1/stat"
}

workers=$(pgrep -f "nginx: worker" || true)
read -r user_before sys_before < <(split_ticks "$pid")
nginx_before=$(cpu_ticks $workers)
out=$(wrk -t"$(( connections < 2 ? 1 : 2 ))" -c"$connections" -d"${seconds}s" --latency "$url")
read -r user_after sys_after < <(split_ticks "$pid")
nginx_after=$(cpu_ticks $workers)

requests=$(awk '/requests in/ {print $1}' <<<"$out")
rate=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
p99=$(awk '/ 99%/ {print $2}' <<<"$out")
per_request() {
  awk -v ticks="$1" -v hz="$ticks" -v n="$requests" 'BEGIN { printf "%.1f", ticks * 1000000 / hz / n }'
}
echo "$url c=$connections: $rate req/s, p99 $p99"
echo "  application: $(per_request $((user_after - user_before + sys_after - sys_before))) µs/request" \
  "(user $(per_request $((user_after - user_before))), system $(per_request $((sys_after - sys_before))))," \
  "$(ls "/proc/$pid/task" | wc -l) threads"
echo "  nginx workers: $(per_request $((nginx_after - nginx_before))) µs/request"
