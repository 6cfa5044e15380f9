#!/usr/bin/env bash
# Launch to a visible tray icon, and the tray process's memory: the app image in tray mode on its
# own Xvfb with a tray host (trayer), every connection refused (an amber icon). Each run polls the
# tray area with screenshots until it differs from the empty tray; after 20 s it reads the
# resident memory of the tray (supervisor) process and of its receiver child.
#
# Usage: bench/tray-launch.sh [RUNS]   (default 5; SKIP_BUILD=1 to reuse target/;
#        LAUNCHER=/opt/connect-tray/bin/connect-tray to measure the installed package instead)
# Needs: xvfb, trayer, imagemagick (Debian packages); not root for the GTK/AppIndicator backend.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
launcher=${LAUNCHER:-target/connect-tray/bin/connect-tray}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -q -DskipTests package
fi
work=$(mktemp -d)
xvfb_pid=""; trayer_pid=""; app_pid=""
cleanup() {
  for p in $app_pid $trayer_pid $xvfb_pid; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

display=""
for n in $(seq 130 160); do
  [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] && continue
  display=":$n"; break
done
Xvfb "$display" -screen 0 1024x768x24 -nolisten tcp > "$work/xvfb.log" 2>&1 & xvfb_pid=$!
export DISPLAY=$display NO_AT_BRIDGE=1 DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/connect-tray-bench-bus
for _ in $(seq 1 50); do xdpyinfo > /dev/null 2>&1 && break; sleep 0.1; done
trayer --edge top --align right --widthtype request --height 32 --transparent false --expand true \
  > "$work/trayer.log" 2>&1 & trayer_pid=$!
sleep 1
tray_area() { import -window root -crop 124x40+900+0 "$1"; }

# A loopback port nobody listens on (the discard port, if python3 cannot find a free one).
closed_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 9)
printf '{"username":"bench","credentials":"c2VjcmV0LWJsb2I=","type":"AUTHENTICATION_STORED_SPOTIFY_CREDENTIALS"}' \
  > "$work/credentials.json"
printf '{"version":1,"auth":{"mode":"stored","credentialsFile":"credentials.json"},"audio":{"output":"pipe","pipe":"a.pcm"},"retry":{"initialDelay":"5s","maxDelay":"30s"}}' \
  > "$work/config.json"
kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }

times=()
for i in $(seq 1 "$runs"); do
  home="$work/home-$i"; mkdir -p "$home"
  # The empty tray as it is now: the previous run's icon must be gone first.
  sleep 1; tray_area "$work/empty.png"
  start=$(date +%s%N)
  HOME="$home" XDG_STATE_HOME="$home/state" XDG_CONFIG_HOME="$home/config" \
  JAVA_TOOL_OPTIONS="-Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=$closed_port -Dhttps.proxyHost=127.0.0.1 -Dhttps.proxyPort=$closed_port" \
    "$launcher" --config "$work/config.json" > "$work/app-$i.log" 2>&1 & app_pid=$!
  shown=""
  for _ in $(seq 1 300); do
    tray_area "$work/now.png"
    diff=$(compare -metric AE "$work/empty.png" "$work/now.png" null: 2>&1 || true)
    if [ "${diff%%.*}" -gt 50 ] 2>/dev/null; then shown=$(date +%s%N); break; fi
  done
  [ -n "$shown" ] || { echo "run $i: no icon within the polling budget"; cat "$work/app-$i.log"; exit 1; }
  ms=$(( (shown - start) / 1000000 )); times+=("$ms")
  backend=$(grep -o "Tray icon up ([A-Za-z]* backend)" "$work/app-$i.log" || echo "?")
  sleep 20
  child=$(cat "/proc/$app_pid/task/"*/children | tr ' ' '\n' | grep -m1 . || true)
  echo "run $i: icon after ${ms} ms ($backend); tray process RSS $(( $(kib "$app_pid" VmRSS) / 1024 )) MiB (peak $(( $(kib "$app_pid" VmHWM) / 1024 )) MiB), receiver RSS $([ -n "$child" ] && echo $(( $(kib "$child" VmRSS) / 1024 )) || echo '?') MiB"
  kill -TERM "$app_pid"; wait "$app_pid" || true; app_pid=""
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
echo "launch to visible tray icon over $runs runs: median $(echo "$sorted" | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}') ms, min $(echo "$sorted" | head -1) ms, max $(echo "$sorted" | tail -1) ms"
