#!/usr/bin/env bash
# Measures the supervisor's own cost while its receiver retries: the built launcher runs
# `--headless` with every apresolve request refused (an HTTP proxy on a closed loopback port),
# retrying for SECONDS; the script prints the resident set size of the supervisor and of its
# receiver child (peak: VmHWM from /proc) and the CPU time each used over that window.
#
# Usage: bench/supervisor-retrying.sh [SECONDS]   (default 60; SKIP_BUILD=1 to reuse target/)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -q -DskipTests package
fi
work=$(mktemp -d)
app_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A port nobody listens on: every attempt is refused at once.
closed_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf '{"username":"bench","credentials":"c2VjcmV0LWJsb2I=","type":"AUTHENTICATION_STORED_SPOTIFY_CREDENTIALS"}' \
  > "$work/credentials.json"
cat > "$work/config.json" <<JSON
{ "version": 1, "deviceName": "Connect Tray (bench)",
  "auth": { "mode": "stored", "credentialsFile": "credentials.json" },
  "retry": { "initialDelay": "1s", "maxDelay": "4s", "maxAttempts": 1000, "afterGiveUp": "exit" },
  "audio": { "output": "pipe", "pipe": "audio.pcm" } }
JSON

ticks=$(getconf CLK_TCK)
cpu_seconds() { # utime + stime of a pid, in seconds
  awk -v t="$ticks" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$1/stat" 2>/dev/null || echo "?"
}
kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null || echo "?"; }

HOME="$work" XDG_STATE_HOME="$work/state" XDG_CONFIG_HOME="$work/config" \
JAVA_TOOL_OPTIONS="-Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=$closed_port -Dhttps.proxyHost=127.0.0.1 -Dhttps.proxyPort=$closed_port" \
  target/connect-tray/bin/connect-tray --headless --config "$work/config.json" > "$work/app.log" 2>&1 &
app_pid=$!

# Warm-up: wait for the first retry, then measure over the window.
for _ in $(seq 1 150); do grep -q "Retrying in" "$work/app.log" && break; sleep 0.2; done
grep -q "Retrying in" "$work/app.log" || { echo "the supervisor never retried:"; cat "$work/app.log"; exit 1; }
child=$(cat "/proc/$app_pid/task/"*/children | tr ' ' '\n' | grep -m1 .)
sup_cpu0=$(cpu_seconds "$app_pid"); child_cpu0=$(cpu_seconds "$child")
sleep "$seconds"
sup_cpu1=$(cpu_seconds "$app_pid"); child_cpu1=$(cpu_seconds "$child")
attempts=$(grep -c "Connecting (attempt" "$work/app.log" || true)

printf '%-34s %12s %12s\n' "over ${seconds} s of retrying" supervisor receiver
printf '%-34s %9s MiB %9s MiB\n' "resident now (VmRSS)" \
  "$(( $(kib "$app_pid" VmRSS) / 1024 ))" "$(( $(kib "$child" VmRSS) / 1024 ))"
printf '%-34s %9s MiB %9s MiB\n' "peak resident (VmHWM)" \
  "$(( $(kib "$app_pid" VmHWM) / 1024 ))" "$(( $(kib "$child" VmHWM) / 1024 ))"
printf '%-34s %11s s %11s s\n' "CPU time in the window" \
  "$(awk -v a="$sup_cpu0" -v b="$sup_cpu1" 'BEGIN { printf "%.2f", b - a }')" \
  "$(awk -v a="$child_cpu0" -v b="$child_cpu1" 'BEGIN { printf "%.2f", b - a }')"
printf '%-34s %10s %% %10s %%\n' "CPU, share of one core" \
  "$(awk -v a="$sup_cpu0" -v b="$sup_cpu1" -v s="$seconds" 'BEGIN { printf "%.2f", 100 * (b - a) / s }')" \
  "$(awk -v a="$child_cpu0" -v b="$child_cpu1" -v s="$seconds" 'BEGIN { printf "%.2f", 100 * (b - a) / s }')"
echo "connection attempts logged: $attempts; receiver pid $child still the same: $([ -d "/proc/$child" ] && echo yes || echo no)"

kill -TERM "$app_pid"
status=0; wait "$app_pid" || status=$?
app_pid=""
echo "exit status after SIGTERM: $status"
