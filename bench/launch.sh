#!/usr/bin/env bash
# Launch to a visible tray icon: the app image in tray mode on its own Xvfb with a tray host
# (trayer), from the moment the launcher is started to the first screen grab in which the tray
# shows the icon. The screen is kept small (only the tray strip) and grabbed with xwd, which is
# cheap; a grab whose checksum differs from the empty tray's is confirmed by counting the pixels
# that changed (ImageMagick's compare, more than 50), so the poll itself costs little CPU while the
# app starts. Every connection goes to a closed loopback port (an HTTP proxy nobody listens on), so
# the receiver child retries as it would offline; the icon does not wait for it. All runs share
# one home, after a first run that is not counted; before each run the script waits until the
# tray stops changing.
#
# Usage: bench/launch.sh                  one row: "launch to visible tray icon", target ≤ 0.5 s median
# Env:   RUNS=10                           repeats
#        LAUNCHER=target/connect-tray/bin/connect-tray   another image or the installed package
#                                          (/opt/connect-tray/bin/connect-tray)
#        LAUNCH_USER=connect-tray-test     when run as root, the app runs as this user (GTK and the
#                                          tray library refuse root; created when missing, as
#                                          .ci/run does); ignored when not root
#        BENCH_SKIP_BUILD=1                reuse target/ as it is
#        BENCH_DISPLAYS="171 199"          the X display numbers it may take (the first free one)
#        BENCH_EXTRA_JAVA_OPTIONS=...      more JVM options for the app (e.g. to force a tray type)
# Needs: xvfb, trayer, x11-utils (xdpyinfo), x11-apps (xwd), imagemagick (compare); as root: setpriv.
source "$(dirname "$0")/lib.sh"
bench_init
bench_build

runs=${RUNS:-10}
launcher=${LAUNCHER:-target/connect-tray/bin/connect-tray}
[ -x "$launcher" ] || { echo "no launcher at $launcher" >&2; exit 1; }
# Without xwd every grab fails and the poll would wait its 30 s for nothing.
for tool in Xvfb trayer xdpyinfo xwd compare; do
  command -v "$tool" > /dev/null \
    || { echo "bench/launch.sh needs $tool (Debian: xvfb trayer x11-utils x11-apps imagemagick)" >&2; exit 1; }
done
as_user=()
if [ "$(id -u)" = 0 ]; then
  user=${LAUNCH_USER:-connect-tray-test}
  id "$user" > /dev/null 2>&1 || useradd --create-home --shell /usr/sbin/nologin "$user" \
    || { echo "run as a normal user, or create the user $user" >&2; exit 1; }
  as_user=(setpriv --reuid="$user" --regid="$user" --init-groups --)
fi

# A display nobody uses: the lock file is taken by Xvfb itself, so a lost race only fails to start.
display=""
read -r first_display last_display <<< "${BENCH_DISPLAYS:-171 199}"
for n in $(seq "$first_display" "$last_display"); do
  [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || { display=":$n"; break; }
done
[ -n "$display" ] || { echo "no free X display in :$first_display-:$last_display" >&2; exit 1; }
# Only the tray strip: small grabs. Xvfb without -auth lets the app's user connect locally.
Xvfb "$display" -screen 0 320x40x24 -nolisten tcp > "$BENCH_WORK/xvfb.log" 2>&1 &
bench_track $!
export DISPLAY=$display NO_AT_BRIDGE=1 DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/connect-tray-bench-bus
for _ in $(seq 1 50); do xdpyinfo > /dev/null 2>&1 && break; sleep 0.1; done
xdpyinfo > /dev/null 2>&1 || { echo "Xvfb did not start on $display:" >&2; cat "$BENCH_WORK/xvfb.log" >&2; exit 1; }
trayer --edge top --align right --widthtype request --height 32 --transparent false --expand true \
  > "$BENCH_WORK/trayer.log" 2>&1 &
bench_track $!

# xwd fails now and then (BadWindow) when a window goes away during the grab: try again.
grab() {
  local k
  for k in 1 2 3 4 5; do xwd -root -silent > "$1" 2> /dev/null && return 0; sleep 0.01; done
  return 0
}
sum() { cksum < "$1" | cut -d' ' -f1; }
changed_pixels() { local d; d=$(compare -metric AE "xwd:$1" "xwd:$2" null: 2>&1 || true); echo "${d%%.*}"; }

# The tray before a run: the screen once it has not changed for 0.3 s (trayer may keep a trace
# of the previous run's icon, so each run compares with its own empty tray).
settle() {
  grab "$BENCH_WORK/empty.xwd"
  for _ in $(seq 1 30); do
    sleep 0.3; grab "$BENCH_WORK/now.xwd"
    [ "$(sum "$BENCH_WORK/now.xwd")" = "$(sum "$BENCH_WORK/empty.xwd")" ] && break
    cp "$BENCH_WORK/now.xwd" "$BENCH_WORK/empty.xwd"
  done
  empty_sum=$(sum "$BENCH_WORK/empty.xwd")
}

closed_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf '{"username":"bench","credentials":"c2VjcmV0LWJsb2I=","type":"AUTHENTICATION_STORED_SPOTIFY_CREDENTIALS"}' \
  > "$BENCH_WORK/credentials.json"
printf '{"version":1,"auth":{"mode":"stored","credentialsFile":"credentials.json"},"audio":{"output":"pipe","pipe":"a.pcm"},"retry":{"initialDelay":"5s","maxDelay":"30s"}}' \
  > "$BENCH_WORK/config.json"
chmod 644 "$BENCH_WORK"/*.json

# One home for every run, as a user's: a first, unmeasured run makes what a first start makes
# (the state folder; on a machine with rpm, ~/.rpmdb, which jpackage's launcher queries).
home="$BENCH_WORK/home"; mkdir -p "$home"
[ ${#as_user[@]} -gt 0 ] && chown "$user:" "$home"
times=()
for i in $(seq 0 "$runs"); do
  settle
  start=$(now_ms)
  HOME="$home" XDG_STATE_HOME="$home/state" XDG_CONFIG_HOME="$home/config" XDG_RUNTIME_DIR="$home/run" \
  JAVA_TOOL_OPTIONS="${BENCH_EXTRA_JAVA_OPTIONS:-} -Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=$closed_port -Dhttps.proxyHost=127.0.0.1 -Dhttps.proxyPort=$closed_port" \
    "${as_user[@]}" "$launcher" --config "$BENCH_WORK/config.json" > "$BENCH_WORK/app-$i.log" 2>&1 &
  app=$!; bench_track "$app"
  shown=""
  for _ in $(seq 1 1500); do   # at most ~30 s
    grab "$BENCH_WORK/now.xwd"; t=$(now_ms)
    if [ "$(sum "$BENCH_WORK/now.xwd")" != "$empty_sum" ] \
        && [ "$(changed_pixels "$BENCH_WORK/empty.xwd" "$BENCH_WORK/now.xwd")" -gt 50 ] 2>/dev/null; then
      shown=$t; cpu=$(cpu_ticks "$app" 2>/dev/null || echo 0); break
    fi
    kill -0 "$app" 2>/dev/null || break
    sleep 0.01
  done
  [ -n "$shown" ] || { echo "run $i: no tray icon" >&2; cat "$BENCH_WORK/app-$i.log" >&2; exit 1; }
  [ "$i" -gt 0 ] && times+=("$(awk -v ms=$((shown - start)) 'BEGIN { printf "%.2f", ms / 1000 }')")
  # When the app says the tray is up (its log's clock, the machine's local time): the rest is the
  # first image reaching the tray host and the screen.
  logged=$(sed -n 's/^\([0-9-]* [0-9:.]*\) .*Tray icon up.*/\1/p' "$BENCH_WORK/app-$i.log" | head -1)
  logged_ms=""
  [ -z "$logged" ] || logged_ms=$(( $(date -d "$logged" +%s%3N) - start ))
  echo "run $i: icon after $((shown - start)) ms, $((cpu * 10)) ms CPU of the tray process ($(grep -o 'Tray icon up ([A-Za-z]* backend)' "$BENCH_WORK/app-$i.log" || echo 'backend ?'), logged after ${logged_ms:-?} ms)" >&2
  sleep 2   # let it settle (the child starts, the first retry) before the next run takes the CPU
  kill -TERM "$app"; wait "$app" 2>/dev/null || true
done

median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{ x[NR] = $1 } END { print (NR % 2) ? x[(NR + 1) / 2] : (x[NR / 2] + x[NR / 2 + 1]) / 2 }')
verdict=$(awk -v m="$median" 'BEGIN { print (m <= 0.5) ? "met" : "missed" }')
row "launch to visible tray icon" s "≤ 0.5 s median" "$verdict" "${times[@]}"
