#!/usr/bin/env bash
# The whole bench: builds what is out of date (the app image and the test classes, once), runs
# every measurement against the fake Spotify on loopback, prints one table row per figure (median,
# min and max over the repeats, the target and whether it was met) and writes the table, the
# machine and the command to bench/RESULTS.md. These are measurements, not tests: a missed target
# is a row saying "missed", not a failure; the exit status is non-zero only when a measurement
# itself broke.
#
# Usage: bench/run.sh [NAME...]     NAME: launch recovery network footprint soak reconnect play
#                                   (default: all, in that order; about an hour in all)
#        QUICK=1 bench/run.sh       a smoke run: few repeats, short windows (figures not comparable);
#                                   does not touch bench/RESULTS.md or bench/reconnect.png
# Needs: what .ci/run installs (xvfb, trayer, imagemagick, ...), python3, and root for the network
# namespaces of the "network" figure (without root that row says "not run"). When run as root the
# tray runs as the unprivileged user connect-tray-test, which .ci/run creates.
#
# The play figures (bench/play.sh; about 6 minutes, QUICK=1 about 3): play command → first PCM
# byte for Connect Tray (the fake behaving as Spotify in 2026, and in 2023, `legacy`) and for
# librespot-java 1.6.3's own player (legacy, the only behaviour it logs in to), the ratio Connect
# Tray / player, and where the time goes (when the fake answered metadata, storage-resolve, the
# audio key and the first CDN range); then CPU and resident set while a 320 kbit/s tone plays into
# a FIFO read at real time, for the receiver child with C1 only (as shipped), C1+C2 and C2 only,
# and for the player. Needs oggenc (vorbis-tools) for the fake's tone.
source "$(dirname "$0")/lib.sh"
bench_init
all=(launch recovery network footprint soak reconnect play)
names=("${@:-${all[@]}}")
for n in "${names[@]}"; do
  [[ " ${all[*]} " == *" $n "* ]] || { echo "bench/run.sh: unknown figure '$n'; use: ${all[*]}" >&2; exit 64; }
done

bench_build
export BENCH_SKIP_BUILD=1          # built once, here
export BENCH_ROWS="$BENCH_WORK/rows"
: > "$BENCH_ROWS"
if [ "${QUICK:-0}" = 1 ]; then
  export REPEATS=3 RUNS=3 REPEATS_WEDGED=2 SETTLE_SECONDS=20 IDLE_SECONDS=30 RETRY_SECONDS=30 \
    CYCLES=20 WARMUP=5 FLAP_SECONDS=60 \
    LINK_DOWN_SECONDS=10 OUT="$BENCH_WORK/reconnect.png" REFUSED=3 MAX_DELAY=4s \
    PLAY_TONE_SECONDS=30 PLAY_CPU_WINDOW=10 PLAY_CPU_SLICE=2
fi

started=$(date -u '+%Y-%m-%d %H:%M UTC')
t0=$(date +%s)
failed=()
for n in "${names[@]}"; do
  script=bench/$n.sh
  [ "$n" = network ] && script=bench/network-return.sh
  echo "== $n ($script)" >&2
  if [ "$n" = network ] && [ "$(id -u)" -ne 0 ]; then
    row "recovery when the network returns" s "≤ 1.5 s median" "not run: needs root (ip netns)"
    continue
  fi
  status=0
  "$script" || status=$?
  [ "$status" -eq 0 ] || { failed+=("$n (exit $status)"); echo "== $n broke: exit $status" >&2; }
done
minutes=$(( ($(date +%s) - t0 + 59) / 60 ))

header='| figure | median | min | max | n | target | verdict |
|---|---|---|---|---|---|---|'
echo
echo "$header"
cat "$BENCH_ROWS"
[ ${#failed[@]} -eq 0 ] || echo "broken measurements: ${failed[*]}" >&2

if [ "${QUICK:-0}" != 1 ] && [ "${names[*]}" = "${all[*]}" ]; then
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  mem=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
  os=$(. /etc/os-release && echo "$PRETTY_NAME")
  java=$(java -version 2>&1 | head -1)
  {
    echo "# Bench results"
    echo
    echo "The latest full run of \`bench/run.sh\` (as root), $started, $minutes minutes."
    echo
    echo "Machine: $(nproc) × $cpu, $mem, $os, Linux $(uname -r); $java; the app image's own"
    echo "runtime. Every figure runs the built app image against the fake Spotify on loopback"
    echo "(the network figure: in network namespaces joined by a veth pair). What each figure measures"
    echo "and how is in the header of its script in \`bench/\`."
    echo
    echo "$header"
    cat "$BENCH_ROWS"
    if [ -f bench/RESULTS-notes.md ]; then echo; cat bench/RESULTS-notes.md; fi
  } > bench/RESULTS.md
  echo "wrote bench/RESULTS.md" >&2
fi
[ ${#failed[@]} -eq 0 ]
