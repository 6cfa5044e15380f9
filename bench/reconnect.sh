#!/usr/bin/env bash
# The reconnect picture: how long the receiver really waits between attempts, against the backoff
# the retry settings promise. The built launcher runs `--headless` against the fake Spotify with
# its access point refusing connections from the start; after REFUSED refused attempts the fake
# accepts again and the next attempt connects. Each wait (from the `Retrying` entry to the next
# `Connecting` entry of history.jsonl) is drawn against the configured curve
# initialDelay × multiplier^(n-1), capped at maxDelay, and its jitter band, with JavaFX's
# LineChart (ReconnectChart, test sources, headless on Monocle) into bench/reconnect.png.
#
# Prints one row: the per-retry ratio measured/configured; met when every wait lies within the
# jitter band (1 − jitter to 1 times the configured delay: jitter only shortens a wait) widened by
# TOLERANCE_MS on each side, for timer and pipe latency.
#
# Usage: bench/reconnect.sh
# Env:   REFUSED=8           refused attempts before the fake accepts (the waits drawn)
#        INITIAL_DELAY=1s MAX_DELAY=16s MULTIPLIER=2 JITTER=0.2   the retry settings under test
#        TOLERANCE_MS=50     the band's widening for timer and pipe latency
#        OUT=bench/reconnect.png   where the picture goes
#        BENCH_SKIP_BUILD=1  reuse target/ as it is
# Needs: Java 17, Maven (the build and the test class path), python3; no display.
source "$(dirname "$0")/lib.sh"
bench_init
bench_build

REFUSED=${REFUSED:-8}
INITIAL_DELAY=${INITIAL_DELAY:-1s}
MAX_DELAY=${MAX_DELAY:-16s}
MULTIPLIER=${MULTIPLIER:-2}
JITTER=${JITTER:-0.2}
TOLERANCE_MS=${TOLERANCE_MS:-50}
OUT=${OUT:-bench/reconnect.png}

seconds_of() { # 1s, 500ms, 2m -> seconds
  awk -v d="$1" 'BEGIN { n = d + 0; u = d; sub(/^[0-9.]+/, "", u)
    print (u == "ms" ? n / 1000 : u == "m" ? n * 60 : u == "h" ? n * 3600 : n) }'
}
# The longest the refused run can take: every wait at the top of its band, plus 5 s per attempt.
budget=$(awk -v i="$(seconds_of "$INITIAL_DELAY")" -v m="$(seconds_of "$MAX_DELAY")" -v f="$MULTIPLIER" \
  -v j="$JITTER" -v r="$REFUSED" 'BEGIN { d = i; for (n = 1; n <= r; n++) { t += (d < m ? d : m) * (1 + j) + 5; d *= f }
    printf "%d", t + 30 }')

fake_start "$BENCH_WORK/fake" $((budget + 120))
fake_cmd refuse > /dev/null
app_config "$BENCH_WORK/app" "{ \"initialDelay\": \"$INITIAL_DELAY\", \"maxDelay\": \"$MAX_DELAY\",
  \"multiplier\": $MULTIPLIER, \"jitter\": $JITTER, \"maxAttempts\": $((REFUSED + 10)), \"afterGiveUp\": \"exit\" }"
history="$BENCH_WORK/state/connect-tray/history.jsonl"

JAVA_TOOL_OPTIONS="$FAKE_OPTIONS" HOME="$BENCH_WORK" XDG_STATE_HOME="$BENCH_WORK/state" XDG_CONFIG_HOME="$BENCH_WORK/cfg" \
  target/connect-tray/bin/connect-tray --headless --config "$BENCH_WORK/app/config.json" > "$BENCH_WORK/app.log" 2>&1 &
app=$!
bench_track "$app"

# After the REFUSED-th refused attempt the history holds REFUSED Retrying entries; the fake
# accepts during that wait, so the attempt after it connects.
echo "waiting for $REFUSED refused attempts (at most $budget s) ..." >&2
deadline=$(( $(date +%s) + budget ))
retries() { local c; c=$(grep -c '"state":"Retrying"' "$history" 2>/dev/null) || true; echo "${c:-0}"; }
until [ "$(retries)" -ge "$REFUSED" ]; do
  if [ "$(date +%s)" -ge "$deadline" ] || ! kill -0 "$app" 2>/dev/null; then
    echo "no $REFUSED refused attempts in $budget s; the app's log:" >&2
    tail -n 30 "$BENCH_WORK/app.log" >&2
    exit 1
  fi
  sleep 0.1
done
accepted=$(fake_cmd accept)
connected=$(await_history Connected "$accepted" "$history" $(( $(seconds_of "$MAX_DELAY") * 2 + 30 ))) \
  || { tail -n 30 "$BENCH_WORK/app.log" >&2; exit 1; }
echo "the fake accepted; Connected $((connected - accepted)) ms later" >&2
kill -TERM "$app"
wait "$app" || true

timeout 120 java -cp "$(bench_classpath)" -Djava.awt.headless=true -Dglass.platform=Monocle -Dmonocle.platform=Headless \
  -Dprism.order=sw -Dtestfx.headless=true \
  dev.connecttray.bench.ReconnectChart "$history" "$BENCH_WORK/app/config.json" "$OUT" "$TOLERANCE_MS" \
  > "$BENCH_WORK/chart.out"
echo "wrote $OUT" >&2

verdict=$(awk '$1 == "verdict" { print $2 }' "$BENCH_WORK/chart.out")
mapfile -t ratios < <(awk '$1 == "ratio" { print $2 }' "$BENCH_WORK/chart.out")
row "reconnect delays within the configured jitter band (measured/configured, per retry)" "×" \
  "each within 1 − ${JITTER} to 1 (± ${TOLERANCE_MS} ms)" "$verdict" "${ratios[@]}"
