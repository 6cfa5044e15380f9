#!/usr/bin/env bash
# Recovery when the network returns: how long after a link comes back up is the receiver
# Connected again, whatever its backoff delay was at that moment.
#
# How: two network namespaces made here (ct-bench-app-$$ and ct-bench-fake-$$), joined by a veth
# pair with private addresses (10.231.N.1/30 for the fake, 10.231.N.2/30 for the app). The fake
# Spotify (FakeSpotifyMain, -Dfakespotify.bindAddress=10.231.N.1) runs in one, the built launcher
# `--headless` (supervisor + receiver, default retry settings) in the other. Once `Connected`, each
# repeat sets the app's end of the link down for LINK_DOWN_SECONDS (the receiver sees the network
# go and retries with a growing backoff), then up again; the figure is the time from that link-up
# to the next `Connected` in the history.
#
# Usage: sudo bench/network-return.sh     (root: it makes namespaces and links)
# Env:   REPEATS=5            repeats (the issue's number)
#        LINK_DOWN_SECONDS=30 how long the link stays down each time
#        LINK_SIDE=app        whose end goes down: app (the receiver's interface loses its address)
#                             or fake (the receiver's interface loses its carrier)
#        IDLE_CPU_SECONDS=0   first measure the supervisor's CPU time over this many seconds
#                             connected and idle (progress on stderr, not a row: cpu-idle has that figure)
#        BENCH_SKIP_BUILD=1   use target/ as it is
# Needs: root, iproute2 (`ip netns`), a kernel with veth, python3, Maven and a JDK for the build.
source "$(dirname "$0")/lib.sh"

if [ "$(id -u)" != 0 ]; then
  echo "bench/network-return.sh needs root (it makes network namespaces and a veth pair); run it with sudo" >&2
  exit 2
fi
command -v ip > /dev/null || { echo "bench/network-return.sh needs iproute2 (the ip command)" >&2; exit 2; }

REPEATS=${REPEATS:-5}
LINK_DOWN_SECONDS=${LINK_DOWN_SECONDS:-30}
LINK_SIDE=${LINK_SIDE:-app}
TARGET_MS=1500

bench_init
bench_build

NS_APP=ct-bench-app-$$
NS_FAKE=ct-bench-fake-$$
IF_APP=ctapp$$
IF_FAKE=ctfake$$
NET=10.231.$(( $$ % 250 ))
ADDR_FAKE=$NET.1
ADDR_APP=$NET.2

netns_cleanup() {
  bench_cleanup   # ends the app and the fake first: nothing may hold the namespaces
  ip netns del "$NS_APP" 2> /dev/null || true
  ip netns del "$NS_FAKE" 2> /dev/null || true
}
trap netns_cleanup EXIT

ip netns add "$NS_APP"
ip netns add "$NS_FAKE"
ip link add "$IF_APP" netns "$NS_APP" type veth peer name "$IF_FAKE" netns "$NS_FAKE"
ip -n "$NS_APP" addr add "$ADDR_APP/30" dev "$IF_APP"
ip -n "$NS_FAKE" addr add "$ADDR_FAKE/30" dev "$IF_FAKE"
for ns in "$NS_APP" "$NS_FAKE"; do ip -n "$ns" link set lo up; done
ip -n "$NS_APP" link set "$IF_APP" up
ip -n "$NS_FAKE" link set "$IF_FAKE" up

# The fake, as fake_start starts it, but inside its namespace and bound to its veth address.
FAKE_DIR=$BENCH_WORK/fake
mkdir -p "$FAKE_DIR"
mkfifo "$FAKE_DIR/stdin"
ip netns exec "$NS_FAKE" java -Xmx256m -Dfakespotify.bindAddress="$ADDR_FAKE" -cp "$(bench_classpath)" \
  dev.connecttray.fakespotify.FakeSpotifyMain "$FAKE_DIR" target/fake-spotify-agent.jar \
  $(( REPEATS * (LINK_DOWN_SECONDS + 90) + 120 )) \
  < "$FAKE_DIR/stdin" > "$FAKE_DIR/report" 2> "$FAKE_DIR/stderr" &
FAKE_PID=$!
bench_track "$FAKE_PID"
exec 7> "$FAKE_DIR/stdin"
FAKE_FD_OPEN=1
echo 0 > "$FAKE_DIR/mark"
for _ in $(seq 1 300); do [ -f "$FAKE_DIR/jvm-options" ] && break; sleep 0.1; done
[ -f "$FAKE_DIR/jvm-options" ] || { echo "fake Spotify did not start:" >&2; cat "$FAKE_DIR/stderr" >&2; exit 1; }
FAKE_OPTIONS=$(cat "$FAKE_DIR/jvm-options")

app_config "$BENCH_WORK/app"
history=$BENCH_WORK/state/connect-tray/history.jsonl
JAVA_TOOL_OPTIONS="$FAKE_OPTIONS" HOME="$BENCH_WORK" XDG_STATE_HOME="$BENCH_WORK/state" XDG_CONFIG_HOME="$BENCH_WORK/cfg" \
  ip netns exec "$NS_APP" target/connect-tray/bin/connect-tray --headless --config "$BENCH_WORK/app/config.json" \
  > "$BENCH_WORK/app.log" 2>&1 &
APP_PID=$!
bench_track "$APP_PID"

show_log() { echo "--- app log (tail) ---" >&2; tail -n 40 "$BENCH_WORK/app.log" >&2; }

t0=$(now_ms)
await_history Connected "$t0" "$history" 90 > /dev/null || { echo "the app never connected" >&2; show_log; exit 1; }

if [ "${IDLE_CPU_SECONDS:-0}" -gt 0 ]; then
  sleep 5   # past the connection's own start-up work
  hz=$(getconf CLK_TCK)
  per_thread() { for t in /proc/"$APP_PID"/task/*; do awk '{ sub(/^[0-9]+ \(/, ""); n = $0; sub(/\).*/, "", n); sub(/.*\) /, ""); print n "\t" $12 + $13 }' "$t/stat" 2>/dev/null; done; }
  per_thread > "$BENCH_WORK/threads0"
  c0=$(cpu_ticks "$APP_PID"); w0=$(now_ms)
  sleep "$IDLE_CPU_SECONDS"
  c1=$(cpu_ticks "$APP_PID"); w1=$(now_ms)
  per_thread > "$BENCH_WORK/threads1"
  echo "supervisor threads that used CPU in the window (ticks):" >&2
  awk -F'\t' 'NR == FNR { a[$1] += $2; next } { b[$1] += $2 } END { for (n in b) if (b[n] - a[n] > 0) printf "  %-16s %d\n", n, b[n] - a[n] }' \
    "$BENCH_WORK/threads0" "$BENCH_WORK/threads1" | sort -k2 -nr >&2
  awk -v c=$(( c1 - c0 )) -v hz="$hz" -v w=$(( w1 - w0 )) 'BEGIN {
    printf "supervisor CPU connected-idle: %.2f s over %.0f s = %.3f %% of one core\n", c / hz, w / 1000, 100 * c / hz / (w / 1000) }' >&2
fi

case "$LINK_SIDE" in
  app) link_ns=$NS_APP link_if=$IF_APP ;;
  fake) link_ns=$NS_FAKE link_if=$IF_FAKE ;;
  *) echo "LINK_SIDE must be app or fake, got $LINK_SIDE" >&2; exit 2 ;;
esac

values=()
for i in $(seq 1 "$REPEATS"); do
  ip -n "$link_ns" link set "$link_if" down
  down=$(now_ms)
  sleep "$LINK_DOWN_SECONDS"
  ip -n "$link_ns" link set "$link_if" up
  up=$(now_ms)
  # What the receiver was doing when the link came back: its last state in the history.
  before=$(tail -n 1 "$history" | python3 -c 'import json,sys; e=json.loads(sys.stdin.read()); print(e.get("state"), e.get("nextAttemptAt", ""))' 2>/dev/null || echo "?")
  back=$(await_history Connected "$up" "$history" 120) || { echo "repeat $i: not Connected within 120 s of the link-up" >&2; show_log; exit 1; }
  values+=("$(awk -v a="$up" -v b="$back" 'BEGIN { printf "%.2f", (b - a) / 1000 }')")
  echo "repeat $i: link down $(( (up - down) / 1000 )) s (state at link-up: $before); Connected $(( back - up )) ms after link-up" >&2
  sleep 2   # settle before the next repeat
done

[ "$REPEATS" -gt 0 ] || exit 0
median_ms=$(printf '%s\n' "${values[@]}" | sort -g | awk '{ x[NR] = $1 } END { m = (NR % 2) ? x[(NR + 1) / 2] : (x[NR / 2] + x[NR / 2 + 1]) / 2; printf "%d", m * 1000 }')
verdict=missed
[ "$median_ms" -le "$TARGET_MS" ] && verdict=met
row "recovery when the network returns (link down ${LINK_DOWN_SECONDS} s)" s "≤ 1.5 s median" "$verdict" "${values[@]}"
