#!/usr/bin/env bash
# Recovery figures, against the fake Spotify on loopback, all in one run:
#
#  1. recovery after a dropped connection (Connect Tray): the built launcher runs `--headless` with
#     the default retry settings; the fake closes the live access-point connection (`drop`); the
#     figure is the time from the drop to the next `Connected` in history.jsonl.
#  2. the same for librespot-java's own player (xyz.gianlu.librespot.player.Main from
#     librespot-player:1.6.3, on its own class path from the local Maven repository, log4j and
#     all, so nothing is added to the app): USER_PASS login (the fake welcomes any credentials),
#     no Zeroconf, no cache, no NTP, audio to a pipe file; "connected again" is its log line
#     "Re-authenticated as ...". It gets the same JVM options as the app (FAKE_OPTIONS).
#     A repeat in which it is not back within PLAYER_TIMEOUT counts as PLAYER_TIMEOUT, and the
#     row says how many did so.
#  3. the common yardstick for both: drop -> the fake's next `login <id> WELCOMED` line, one row
#     each, and the ratio Connect Tray / player of the repeats paired in order.
#  4. recovery from a wedged library: Connect Tray with attemptTimeout ATTEMPT_TIMEOUT; the fake
#     goes `silent` (accepts, never answers) and drops the live connection; the next attempt
#     hangs; WEDGE_HOLD seconds into it the fake welcomes logins again (`login-ok`); the figure is
#     the time from the hung attempt's connection (the fake's `connection` line) to `Connected`.
#
# Before every drop the client has been connected for SETTLE seconds (the same for both clients);
# keep it above 5 s: Connect Tray reconnects at once only after a session that held 5 s or more
# (ConnectionLoop.HELD_SESSION), and waits the initial delay after one that drops sooner.
# Rows go to stdout (bench/lib.sh `row`); progress to stderr.
#
# Usage: bench/recovery.sh
# Env:   REPEATS (10) drops per client; REPEATS_WEDGED (5); SETTLE (6 s); PLAYER_TIMEOUT (60 s);
#        ATTEMPT_TIMEOUT (5, seconds); WEDGE_HOLD (1 s); BENCH_SKIP_BUILD=1 to reuse target/;
#        BENCH_KEEP=1 to keep the work folder (logs) for a look afterwards.
# Needs: Java 17, Maven (the player's class path is resolved from the local repository, which the
#        app's own build fills), python3, the built app image (bench_build makes it).
source "$(dirname "$0")/lib.sh"
bench_init
bench_build

REPEATS=${REPEATS:-10}
REPEATS_WEDGED=${REPEATS_WEDGED:-5}
SETTLE=${SETTLE:-6}
PLAYER_TIMEOUT=${PLAYER_TIMEOUT:-60}
ATTEMPT_TIMEOUT=${ATTEMPT_TIMEOUT:-5}
WEDGE_HOLD=${WEDGE_HOLD:-1}

log() { echo "recovery: $*" >&2; }
seconds_of() { awk -v ms="$1" 'BEGIN { printf "%.3f", ms / 1000 }'; }
epoch_of_line() { awk '{ print $NF }'; }   # the fake's report lines end in epoch millis

# The player's own class path: librespot-player:1.6.3 (thin) with every dependency its pom names,
# log4j included; resolved by Maven into target/, once.
player_classpath() {
  local dir=target/bench-player file=target/bench-player/classpath.txt
  if [ ! -s "$file" ]; then
    mkdir -p "$dir"
    cat > "$dir/pom.xml" <<'POM'
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.connecttray.bench</groupId>
  <artifactId>librespot-player-classpath</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>xyz.gianlu.librespot</groupId>
      <artifactId>librespot-player</artifactId>
      <version>1.6.3</version>
      <classifier>thin</classifier>
    </dependency>
  </dependencies>
</project>
POM
    mvn -B -q -f "$dir/pom.xml" dependency:build-classpath -Dmdep.outputFile=classpath.txt >&2
  fi
  cat "$file"
}

# Epoch millis of the first log line of the player (log4j's "yyyy-MM-dd HH:mm:ss,SSS", UTC) that
# matches REGEX and is at or after MILLIS; waits up to SECONDS; prints nothing on time-out.
player_log_after() {
  local regex=$1 after=$2 file=$3 seconds=$4
  python3 - "$regex" "$after" "$file" "$seconds" <<'PY'
import datetime, re, sys, time
regex, after, path, seconds = re.compile(sys.argv[1]), int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
stamp = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) ")
deadline = time.time() + seconds
while True:
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = stamp.match(line)
            if not m or not regex.search(line):
                continue
            t = datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S").replace(tzinfo=datetime.timezone.utc)
            ms = int(t.timestamp()) * 1000 + int(m.group(2))
            if ms >= after:
                print(ms)
                sys.exit(0)
    if time.time() >= deadline:
        sys.exit(0)
    time.sleep(0.05)
PY
}

fake_start "$BENCH_WORK/fake" $(( 300 + REPEATS * (2 * SETTLE + PLAYER_TIMEOUT + 30) + REPEATS_WEDGED * (SETTLE + ATTEMPT_TIMEOUT + 60) ))

# Starts the headless app with config DIR/config.json and its state in DIR; sets APP_PID.
start_app() {
  local dir=$1
  JAVA_TOOL_OPTIONS="$FAKE_OPTIONS" HOME="$dir" XDG_STATE_HOME="$dir/state" XDG_CONFIG_HOME="$dir/cfg" \
    target/connect-tray/bin/connect-tray --headless --config "$dir/config.json" > "$dir/app.log" 2>&1 &
  APP_PID=$!
  bench_track "$APP_PID"
}

stop_pid() {
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
}

# --- 1. Connect Tray, default retry settings ---
app=$BENCH_WORK/app
app_config "$app" '{}'
history=$app/state/connect-tray/history.jsonl
log "Connect Tray: starting (headless, default retry settings)"
fake_mark
start_app "$app"
await_history Connected 0 "$history" 120 > /dev/null || { log "Connect Tray never connected"; tail -50 "$app/app.log" >&2; exit 1; }
ct_connected=(); ct_welcomed=()
for i in $(seq 1 "$REPEATS"); do
  sleep "$SETTLE"
  d=$(fake_cmd drop)
  w=$(fake_await "^login [0-9]+ WELCOMED " 60 | epoch_of_line) || { log "Connect Tray: no login after drop $i"; exit 1; }
  c=$(await_history Connected "$d" "$history" 60) || { log "Connect Tray: not Connected after drop $i"; exit 1; }
  ct_connected+=("$(seconds_of $((c - d)))"); ct_welcomed+=("$(seconds_of $((w - d)))")
  log "Connect Tray drop $i: Connected after $((c - d)) ms, welcomed after $((w - d)) ms"
done
stop_pid "$APP_PID"

# --- 2. librespot-java's own player, the same way ---
player=$BENCH_WORK/player
mkdir -p "$player"
cat > "$player/config.toml" <<TOML
deviceName = "librespot-java (bench)"
logLevel = "INFO"
[auth]
strategy = "USER_PASS"
username = "fake-user"
password = "bench"
storeCredentials = false
[cache]
enabled = false
[preload]
enabled = false
[time]
synchronizationMethod = "MANUAL"
[player]
output = "PIPE"
pipe = "$player/audio.pcm"
logAvailableMixers = false
TOML
cp=$(player_classpath)
log "librespot-java player: starting (USER_PASS against the fake, no Zeroconf)"
fake_mark
# shellcheck disable=SC2086 # FAKE_OPTIONS is a list of options
(cd "$player" && TZ=UTC exec java $FAKE_OPTIONS -Duser.timezone=UTC -cp "$cp" xyz.gianlu.librespot.player.Main \
  > "$player/player.log" 2>&1) &
player_pid=$!
bench_track "$player_pid"
fake_await "^login [0-9]+ WELCOMED " 120 > /dev/null || { log "the player never logged in"; tail -50 "$player/player.log" >&2; exit 1; }
[ -n "$(player_log_after 'Authenticated as' 0 "$player/player.log" 30)" ] \
  || { log "the player never said it authenticated"; tail -50 "$player/player.log" >&2; exit 1; }
p_connected=(); p_welcomed=(); p_timeouts=0
for i in $(seq 1 "$REPEATS"); do
  sleep "$SETTLE"
  d=$(fake_cmd drop)
  w=$(fake_await "^login [0-9]+ WELCOMED " "$PLAYER_TIMEOUT" 2> /dev/null | epoch_of_line || true)
  c=$(player_log_after 'Re-authenticated as' "$d" "$player/player.log" 5)
  if [ -z "$w" ] || [ -z "$c" ]; then
    p_timeouts=$((p_timeouts + 1))
    log "player drop $i: not back within ${PLAYER_TIMEOUT} s; counted as ${PLAYER_TIMEOUT} s"
    p_connected+=("$PLAYER_TIMEOUT"); p_welcomed+=("$PLAYER_TIMEOUT")
    if [ -z "$w" ]; then
      # It gave up (or hangs): restart it, so that the next repeat measures a live player again.
      stop_pid "$player_pid"
      fake_mark
      (cd "$player" && TZ=UTC exec java $FAKE_OPTIONS -Duser.timezone=UTC -cp "$cp" xyz.gianlu.librespot.player.Main \
        >> "$player/player.log" 2>&1) &
      player_pid=$!
      bench_track "$player_pid"
      fake_await "^login [0-9]+ WELCOMED " 120 > /dev/null || { log "the player did not come back after a restart"; exit 1; }
    fi
    continue
  fi
  p_connected+=("$(seconds_of $((c - d)))"); p_welcomed+=("$(seconds_of $((w - d)))")
  log "player drop $i: re-authenticated after $((c - d)) ms, welcomed after $((w - d)) ms"
done
stop_pid "$player_pid"

# --- 3. rows for the drop figures ---
median() { printf '%s\n' "$@" | sort -g | awk '{ x[NR] = $1 } END { print (NR % 2) ? x[(NR + 1) / 2] : (x[NR / 2] + x[NR / 2 + 1]) / 2 }'; }
verdict() { awk -v m="$1" -v t="$2" 'BEGIN { print (m <= t) ? "met" : "missed" }'; }

row "recovery after a dropped connection (Connect Tray): drop → Connected in history" s "≤ 2 s" \
  "$(verdict "$(median "${ct_connected[@]}")" 2)" "${ct_connected[@]}"
player_note=""
[ "$p_timeouts" -gt 0 ] && player_note="; $p_timeouts of $REPEATS not back within ${PLAYER_TIMEOUT} s, counted as ${PLAYER_TIMEOUT} s"
row "recovery after a dropped connection (librespot-java player): drop → \"Re-authenticated\"$player_note" s "–" "–" \
  "${p_connected[@]}"
row "drop → fake AP's next login WELCOMED (Connect Tray)" s "–" "–" "${ct_welcomed[@]}"
row "drop → fake AP's next login WELCOMED (librespot-java player)$player_note" s "–" "–" "${p_welcomed[@]}"
ratios=()
for i in "${!ct_welcomed[@]}"; do
  ratios+=("$(awk -v a="${ct_welcomed[$i]}" -v b="${p_welcomed[$i]}" 'BEGIN { printf "%.3f", a / b }')")
done
row "ratio Connect Tray / player (drop → WELCOMED, repeats paired in order)" "×" "≤ 0.2" \
  "$(verdict "$(median "${ratios[@]}")" 0.2)" "${ratios[@]}"

# --- 4. a wedged library: the attempt hangs until attemptTimeout ---
wedged=$BENCH_WORK/wedged
app_config "$wedged" "{ \"attemptTimeout\": \"${ATTEMPT_TIMEOUT}s\" }"
history=$wedged/state/connect-tray/history.jsonl
log "Connect Tray (attemptTimeout ${ATTEMPT_TIMEOUT}s): starting"
fake_cmd reset > /dev/null
fake_mark
start_app "$wedged"
await_history Connected 0 "$history" 120 > /dev/null || { log "Connect Tray never connected"; tail -50 "$wedged/app.log" >&2; exit 1; }
wedge=()
for i in $(seq 1 "$REPEATS_WEDGED"); do
  sleep "$SETTLE"
  fake_cmd silent > /dev/null
  d=$(fake_cmd drop)
  a=$(fake_await "^connection [0-9]+ " 60 | epoch_of_line) || { log "wedged $i: no new connection after the drop"; exit 1; }
  sleep "$WEDGE_HOLD"
  fake_cmd login-ok > /dev/null
  c=$(await_history Connected "$a" "$history" $((ATTEMPT_TIMEOUT + 60))) \
    || { log "wedged $i: not Connected again"; tail -30 "$wedged/app.log" >&2; exit 1; }
  wedge+=("$(seconds_of $((c - a)))")
  log "wedged $i: hung attempt began $((a - d)) ms after the drop; Connected $((c - a)) ms after it began"
done
stop_pid "$APP_PID"
limit=$((ATTEMPT_TIMEOUT + 3))
row "recovery from a wedged library (attemptTimeout ${ATTEMPT_TIMEOUT} s): hung attempt's connection → Connected" s \
  "≤ ${limit} s (attemptTimeout + 3 s)" "$(verdict "$(median "${wedge[@]}")" "$limit")" "${wedge[@]}"
