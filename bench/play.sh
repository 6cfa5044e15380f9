#!/usr/bin/env bash
# Playback figures, against the fake Spotify on loopback, with a tone track the fake makes itself
# (`add-tone HZ SECONDS`: an encrypted Ogg Vorbis 320 kbit/s file, metadata on spclient, bytes on
# its CDN, the key from its access point):
#
#  1. play command → first PCM byte at the output: for every repeat a fresh client is started, the
#     script waits until it is logged in and its dealer (the Connect channel) is up, plus SETTLE
#     seconds, then the fake sends a phone's `play <uri>` over the dealer; the figure runs from the
#     epoch millis in the fake's ack of `play` to the moment the first byte of PCM is read from the
#     client's output. The output is a FIFO (librespot's PIPE sink makes one with mkfifo when the
#     file is missing; the script makes it first), read by a small python3 reader that stamps the
#     first byte it gets, so no polling is involved. Clients, each repeat:
#       - Connect Tray (the built launcher, `--headless`: supervisor and receiver child), the fake
#         in its default behaviour (Spotify as of 2026);
#       - Connect Tray, the fake in `legacy` behaviour (Spotify as of 2023);
#       - librespot-java 1.6.3's own player (xyz.gianlu.librespot.player.Main), legacy behaviour
#         (the only one it can log in to): the app image's jars with librespot's first and
#         connect-tray.jar last, so the library's own classes win, plus log4j-core 2.20.0 (its Main
#         calls log4j's Configurator) from the local Maven repository; STORED credentials, PIPE
#         output, no cache, no preload, no NTP, no autoplay, preferredAudioQuality VERY_HIGH.
#     and the ratio Connect Tray / player of the two legacy runs of the same repeat. Where the time
#     goes: the fake reports each request it answers (FakeSpotifyMain); rows "play → STEP answered
#     by the fake" give, per client, when it answered the track metadata (extended-metadata or
#     metadata/4), storage-resolve, the audio key and the first CDN range, after the play ack.
#  2. CPU while playing a 320 kbit/s track (percent of one core): the reader is paced at real time
#     (176 400 B/s, like a sound card; unpaced, nothing would hold the sink to real time), CPU_SKIP
#     seconds into the tone the script samples utime+stime from /proc/<pid>/stat every CPU_SLICE
#     seconds for CPU_WINDOW seconds; one value per slice. Also VmRSS per slice and VmHWM at the
#     end. Processes: the Connect Tray receiver child (not the supervisor) as shipped (C1 only,
#     -XX:TieredStopAtLevel=1 from jpackage.cfg), with C1+C2 (_JAVA_OPTIONS=-XX:TieredStopAtLevel=4:
#     JAVA_TOOL_OPTIONS cannot override it, the launcher's options come after it), with C2 only
#     (JAVA_TOOL_OPTIONS=-XX:-TieredCompilation), all with the fake in its default behaviour, and
#     librespot-java's player (legacy) with Java's defaults. The effective flags are read with
#     `jcmd <pid> VM.flags` and logged.
#
# Every client and reader runs under `timeout` (the tone's length plus 140 s), the fake for as long
# as the whole run needs; all are ended by pid when the script exits.
#
# Rows go to stdout (bench/lib.sh `row`); progress to stderr.
#
# Usage: bench/play.sh
# Env:   REPEATS (5) per client; PLAY_SETTLE (1 s); PLAY_FIRST_TIMEOUT (20 s); PLAY_TONE_SECONDS
#        (60); PLAY_CPU_SKIP (5 s); PLAY_CPU_WINDOW (45 s); PLAY_CPU_SLICE (5 s); BENCH_SKIP_BUILD=1
#        to reuse target/; BENCH_KEEP=1 to keep the work folder (logs) for a look afterwards.
#        (Below, the names without PLAY_.)
# Needs: Java 17, python3, oggenc (vorbis-tools, for the fake's tone), the built app image and test
#        classes (bench_build), log4j-core 2.20.0 in the local Maven repository (fetched once with
#        `mvn dependency:get` when missing); jcmd for the flag check (optional).
source "$(dirname "$0")/lib.sh"
bench_init
bench_build

REPEATS=${REPEATS:-5}
SETTLE=${PLAY_SETTLE:-1}
FIRST_TIMEOUT=${PLAY_FIRST_TIMEOUT:-20}
TONE_SECONDS=${PLAY_TONE_SECONDS:-60}
CPU_SKIP=${PLAY_CPU_SKIP:-5}
CPU_WINDOW=${PLAY_CPU_WINDOW:-45}
CPU_SLICE=${PLAY_CPU_SLICE:-5}
[ $((CPU_SKIP + CPU_WINDOW + 5)) -le "$TONE_SECONDS" ] || { echo "play: PLAY_CPU_SKIP + PLAY_CPU_WINDOW + 5 must fit in PLAY_TONE_SECONDS" >&2; exit 64; }
BYTES_PER_SECOND=176400   # 44.1 kHz, 16 bit, stereo
CLK_TCK=$(getconf CLK_TCK)
LIFETIME=$((TONE_SECONDS + FIRST_TIMEOUT + 120))   # no client outlives this, whatever happens here

log() { echo "play: $*" >&2; }
apps=$BENCH_ROOT/target/connect-tray/lib/app   # absolute: the player runs in its own folder
[ -x target/connect-tray/bin/connect-tray ] || { log "no app image"; exit 1; }

# --- the librespot-java player's class path ---
log4j_core=$HOME/.m2/repository/org/apache/logging/log4j/log4j-core/2.20.0/log4j-core-2.20.0.jar
if [ ! -f "$log4j_core" ]; then
  mvn -B -q dependency:get -Dartifact=org.apache.logging.log4j:log4j-core:2.20.0 -Dtransitive=false >&2
fi
player_cp=$(ls "$apps"/librespot-*.jar | tr '\n' ':')$(ls "$apps"/*.jar | grep -v -e /librespot- -e /connect-tray.jar | tr '\n' ':')$log4j_core:$apps/connect-tray.jar

# --- the reader: the output's "sound card" ---
cat > "$BENCH_WORK/reader.py" <<'PY'
# reader.py FIFO RATE REPORT: reads FIFO until EOF; RATE bytes/s (0: as fast as it comes).
# REPORT gets "first <epoch ms>" at the first byte, "loud <epoch ms>" at the first non-zero
# sample byte, and "end <epoch ms> <bytes>" at EOF.
import os, sys, time
path, rate, report = sys.argv[1], float(sys.argv[2]), sys.argv[3]
fd = os.open(path, os.O_RDONLY)   # blocks until the writer opens it
total, start, loud = 0, None, False
with open(report, "w", buffering=1) as out:
    while True:
        b = os.read(fd, 16384)
        if not b:
            break
        now = time.time()
        if start is None:
            start = now
            out.write("first %d\n" % int(now * 1000))
        if not loud and b.strip(b"\0"):
            loud = True
            out.write("loud %d\n" % int(now * 1000))
        total += len(b)
        if rate > 0:
            ahead = start + total / rate - time.time()
            if ahead > 0:
                time.sleep(ahead)
    out.write("end %d %d\n" % (int(time.time() * 1000), total))
PY
# Starts a reader on DIR/audio.pcm (made a FIFO here) writing DIR/reader; RATE as above.
start_reader() {
  local dir=$1 rate=$2
  rm -f "$dir/audio.pcm" "$dir/reader"
  mkfifo "$dir/audio.pcm"
  timeout "$LIFETIME" python3 "$BENCH_WORK/reader.py" "$dir/audio.pcm" "$rate" "$dir/reader" &
  bench_track $!
}
# Epoch millis of the reader's first byte, waiting up to SECONDS; nothing on time-out.
await_first() {
  local dir=$1 seconds=$2 deadline
  deadline=$(( $(date +%s) + seconds ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if [ -f "$dir/reader" ] && grep -q '^first ' "$dir/reader"; then awk '$1 == "first" { print $2 }' "$dir/reader"; return 0; fi
    sleep 0.005
  done
}

stop_pid() {
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
}
# The child of PID whose command line contains WORD (the receiver among the supervisor's children).
child_with() {
  local c
  for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
    tr '\0' ' ' < "/proc/$c/cmdline" 2>/dev/null | grep -q -- "$2" && { echo "$c"; return 0; }
  done
  return 0
}
await_line() {   # await_line REGEX FILE SECONDS
  local deadline=$(( $(date +%s) + $3 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do grep -q -E "$1" "$2" 2>/dev/null && return 0; sleep 0.05; done
  return 1
}

# Starts Connect Tray headless in DIR (config, state, output there), with extra environment
# ENV... (VAR=value words); waits until connected with the dealer up; sets CT_PID (the `timeout`
# wrapping the launcher) and RECEIVER_PID.
start_connect_tray() {
  local dir=$1; shift
  app_config "$dir"
  env "$@" JAVA_TOOL_OPTIONS="$FAKE_OPTIONS ${EXTRA_TOOL_OPTIONS:-}" HOME="$dir" XDG_STATE_HOME="$dir/state" \
    XDG_CONFIG_HOME="$dir/cfg" timeout "$LIFETIME" target/connect-tray/bin/connect-tray --headless \
    --config "$dir/config.json" > "$dir/app.log" 2>&1 &
  CT_PID=$!
  bench_track "$CT_PID"
  await_line 'Connected as' "$dir/app.log" 60 && await_line 'dealer\) connected' "$dir/app.log" 30 \
    || { log "Connect Tray did not connect"; tail -40 "$dir/app.log" >&2; exit 1; }
  local sup; sup=$(child_with "$CT_PID" connect-tray)
  RECEIVER_PID=$(child_with "$sup" 'receiver --supervised')
  [ -n "$RECEIVER_PID" ] || { log "no receiver child under $sup"; exit 1; }
}

# Starts librespot-java's player in DIR; waits until it announced itself ("Put state ... NEW_DEVICE"); sets PLAYER_PID (java).
start_player() {
  local dir=$1
  mkdir -p "$dir"
  app_config "$dir" > /dev/null   # the same credentials file
  cat > "$dir/config.toml" <<TOML
deviceName = "librespot-java (bench)"
logLevel = "INFO"
[auth]
strategy = "STORED"
credentialsFile = "$dir/credentials.json"
storeCredentials = true
[cache]
enabled = false
[preload]
enabled = false
[time]
synchronizationMethod = "MANUAL"
[player]
output = "PIPE"
pipe = "$dir/audio.pcm"
logAvailableMixers = false
autoplayEnabled = false
preferredAudioQuality = "VERY_HIGH"
TOML
  cat > "$dir/logback.xml" <<'XML'
<configuration>
  <appender name="ERR" class="ch.qos.logback.core.ConsoleAppender">
    <target>System.err</target>
    <encoder><pattern>%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{20}: %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="ERR"/></root>
</configuration>
XML
  # log4j-core only for Main's call to its Configurator; the jar's own log4j2.xml wants LMAX disruptor.
  cat > "$dir/log4j2.xml" <<'XML'
<Configuration status="warn"><Appenders><Console name="ERR" target="SYSTEM_ERR"/></Appenders>
  <Loggers><Root level="info"><AppenderRef ref="ERR"/></Root></Loggers></Configuration>
XML
  # shellcheck disable=SC2086 # FAKE_OPTIONS is a list of options
  (cd "$dir" && exec timeout "$LIFETIME" java $FAKE_OPTIONS -Dlogback.configurationFile="$dir/logback.xml" \
    -Dlog4j2.configurationFile="$dir/log4j2.xml" \
    -cp "$player_cp" xyz.gianlu.librespot.player.Main > "$dir/player.log" 2>&1) &
  local t=$!
  bench_track "$t"
  await_line 'Put state.*NEW_DEVICE' "$dir/player.log" 60 || { log "the player did not connect"; tail -40 "$dir/player.log" >&2; exit 1; }
  PLAYER_PID=$(child_with "$t" java)
  PLAYER_WRAPPER=$t
}

# Sends `play` to CLIENT's DIR; sets PLAY_MS (play ack → the reader's first byte; empty on
# time-out) and appends the timeline of what the fake saw to $BENCH_WORK/timeline, one
# "CLIENT STEP MS" line per step, MS after the play ack: the first context-resolve (Mercury),
# track metadata (spclient metadata/4 or extended-metadata), storage-resolve, audio key answered,
# first CDN range answered, first PCM byte.
play_and_time() {
  local client=$1 dir=$2 sent first mark
  sent=$(fake_cmd "play $uri")
  mark=$(cat "$FAKE_DIR/mark")
  first=$(await_first "$dir" "$FIRST_TIMEOUT")
  PLAY_MS=""
  [ -n "$first" ] && PLAY_MS=$((first - sent))
  sleep 0.05   # the fake reports what it saw every 5 ms
  tail -n +"$((mark + 1))" "$FAKE_DIR/report" | awk -v c="$client" -v s="$sent" -v f="$first" '
    function once(step) { if (!(step in seen)) { seen[step] = 1; printf "%s %s %d\n", c, step, $NF - s } }
    $1 == "mercury" && $3 ~ /context-resolve/ { once("context-resolve") }
    $1 == "spclient" && ($3 ~ /^\/metadata\/4\/track/ || $3 ~ /extended-metadata/) { once("metadata") }
    $1 == "spclient" && $3 ~ /storage-resolve/ { once("storage-resolve") }
    $1 == "audiokey" { once("audio-key") }
    $1 == "cdn" { once("first-cdn-range") }
    END { if (f != "") printf "%s first-pcm-byte %d\n", c, f - s }' | tee -a "$BENCH_WORK/timeline" \
    | awk -v c="$client" '{ printf "%s %s %s ms; ", (NR == 1 ? "timeline " c ":" : ""), $2, $3 } END { print "" }' >&2
  local loud; loud=$(awk '$1 == "loud" { print $2 }' "$dir/reader" 2>/dev/null)
  [ -n "$first" ] && [ -n "$loud" ] && log "$client: first non-zero sample $((loud - first)) ms after the first byte"
  return 0
}

# --- the fake and its track ---
fake_start "$BENCH_WORK/fake" $(( 300 + REPEATS * 3 * (FIRST_TIMEOUT + 60) + 4 * (TONE_SECONDS + 60) ))
fake_cmd "add-tone 440 $TONE_SECONDS" > /dev/null
uri=$(fake_await '^track ' 5 | awk '{ print $2 }')
log "track $uri ($TONE_SECONDS s tone)"

# --- 1. play → first PCM byte ---
ct26=(); ctl=(); pl=(); ratios=(); missing=0
: > "$BENCH_WORK/timeline"
for i in $(seq 1 "$REPEATS"); do
  fake_cmd spotify-2026 > /dev/null
  d=$BENCH_WORK/ct2026-$i; mkdir -p "$d"; start_reader "$d" "$BYTES_PER_SECOND"
  start_connect_tray "$d"; sleep "$SETTLE"
  play_and_time ct2026 "$d"; a=$PLAY_MS; stop_pid "$CT_PID"
  [ -n "$a" ] && ct26+=("$a") || missing=$((missing + 1))

  fake_cmd legacy > /dev/null
  d=$BENCH_WORK/ctlegacy-$i; mkdir -p "$d"; start_reader "$d" "$BYTES_PER_SECOND"
  start_connect_tray "$d"; sleep "$SETTLE"
  play_and_time ctlegacy "$d"; b=$PLAY_MS; stop_pid "$CT_PID"
  [ -n "$b" ] && ctl+=("$b") || missing=$((missing + 1))

  d=$BENCH_WORK/player-$i; mkdir -p "$d"; start_reader "$d" "$BYTES_PER_SECOND"
  start_player "$d"; sleep "$SETTLE"
  play_and_time player "$d"; c=$PLAY_MS; stop_pid "$PLAYER_WRAPPER"
  [ -n "$c" ] && pl+=("$c") || missing=$((missing + 1))
  [ -n "$b" ] && [ -n "$c" ] && ratios+=("$(awk -v a="$b" -v b="$c" 'BEGIN { printf "%.3f", a / b }')")
  log "repeat $i: Connect Tray 2026 ${a:-none} ms, legacy ${b:-none} ms; player ${c:-none} ms"
done
fake_cmd spotify-2026 > /dev/null

median() { printf '%s\n' "$@" | sort -g | awk '{ x[NR] = $1 } END { if (NR) print (NR % 2) ? x[(NR + 1) / 2] : (x[NR / 2] + x[NR / 2 + 1]) / 2 }'; }
verdict() { [ -z "$1" ] && { echo "not measured"; return; }; awk -v m="$1" -v t="$2" 'BEGIN { print (m <= t) ? "met" : "missed" }'; }
note=""; [ "$missing" -gt 0 ] && note=" ($missing runs without PCM within ${FIRST_TIMEOUT} s, left out)"
row "play → first PCM byte (Connect Tray, Spotify 2026)$note" ms "< 1000 ms" "$(verdict "$(median "${ct26[@]}")" 999)" "${ct26[@]}"
row "play → first PCM byte (Connect Tray, legacy)" ms "< 1000 ms" "$(verdict "$(median "${ctl[@]}")" 999)" "${ctl[@]}"
row "play → first PCM byte (librespot-java player, legacy)" ms "–" "–" "${pl[@]}"
row "ratio Connect Tray / player (play → first PCM byte, legacy, same repeat)" "×" "≤ 0.5" \
  "$(verdict "$(median "${ratios[@]}")" 0.5)" "${ratios[@]}"
# Where the time goes: when the fake answered each step, after the play ack.
for client in ct2026 ctlegacy player; do
  case $client in
    ct2026) name="Connect Tray, Spotify 2026" ;; ctlegacy) name="Connect Tray, legacy" ;; player) name="librespot-java player, legacy" ;;
  esac
  for step in context-resolve metadata storage-resolve audio-key first-cdn-range; do
    values=($(awk -v c="$client" -v s="$step" '$1 == c && $2 == s { print $3 }' "$BENCH_WORK/timeline"))
    [ ${#values[@]} -gt 0 ] && row "play → $step answered by the fake ($name)" ms "–" "–" "${values[@]}"
  done
done

# --- 2. CPU and memory while playing, paced at real time ---
flags_of() {
  command -v jcmd > /dev/null || { echo "jcmd missing"; return 0; }
  local f
  f=$(timeout 20 jcmd "$1" VM.flags 2>/dev/null | tr ' ' '\n' | grep -E -- '^-XX:[+-]?(TieredStopAtLevel|TieredCompilation)' | tr '\n' ' ' || true)
  echo "${f:-none set (tiered C1+C2, the default)}"
}
# Samples PID while it plays in DIR; sets CPU=(percent per slice) RSS=(MB per slice) HWM (MB).
sample_playing() {
  local pid=$1 dir=$2 first t0 c0 t1 c1 s
  first=$(await_first "$dir" "$FIRST_TIMEOUT")
  [ -n "$first" ] || { log "no PCM in $dir"; exit 1; }
  sleep "$CPU_SKIP"
  CPU=(); RSS=()
  t0=$(now_ms); c0=$(cpu_ticks "$pid")
  for s in $(seq 1 $((CPU_WINDOW / CPU_SLICE))); do
    sleep "$CPU_SLICE"
    t1=$(now_ms); c1=$(cpu_ticks "$pid")
    CPU+=("$(awk -v c=$((c1 - c0)) -v ms=$((t1 - t0)) -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", c / hz * 100000 / ms }')")
    RSS+=("$(awk -v k="$(rss_kib "$pid")" 'BEGIN { printf "%.1f", k / 1024 }')")
    t0=$t1; c0=$c1
  done
  HWM=$(awk -v k="$(hwm_kib "$pid")" 'BEGIN { printf "%.1f", k / 1024 }')
  local mean; mean=$(printf '%s\n' "${CPU[@]}" | awk '{ s += $1 } END { printf "%.2f", s / NR }')
  local played=$(( ($(now_ms) - first) ))
  log "$dir: CPU ${CPU[*]} % (mean over the window $mean %), RSS ${RSS[*]} MB, HWM $HWM MB; $(awk -v ms=$played 'BEGIN { printf "%.1f", ms / 1000 }') s after the first byte"
}
cpu_rows() {   # cpu_rows LABEL
  row "CPU while playing 320 kbit/s ($1)" % "–" "–" "${CPU[@]}"
  row "resident set while playing ($1)" MB "–" "–" "${RSS[@]}"
  row "peak resident set, VmHWM, at the end of the window ($1)" MB "–" "–" "$HWM"
}

variant() {   # variant LABEL ENV... : Connect Tray, fake in 2026 behaviour
  local label=$1; shift
  local d=$BENCH_WORK/cpu-$(echo "$label" | tr -c 'a-zA-Z0-9' '-')
  mkdir -p "$d"; start_reader "$d" "$BYTES_PER_SECOND"
  start_connect_tray "$d" "$@"; sleep "$SETTLE"
  fake_cmd "play $uri" > /dev/null
  log "Connect Tray receiver ($label): effective flags $(flags_of "$RECEIVER_PID")"
  sample_playing "$RECEIVER_PID" "$d"
  stop_pid "$CT_PID"
  cpu_rows "Connect Tray receiver, $label"
}
variant "C1 only, as shipped"
variant "C1+C2 tiered" _JAVA_OPTIONS=-XX:TieredStopAtLevel=4
EXTRA_TOOL_OPTIONS=-XX:-TieredCompilation variant "C2 only"

fake_cmd legacy > /dev/null
d=$BENCH_WORK/cpu-player; mkdir -p "$d"; start_reader "$d" "$BYTES_PER_SECOND"
start_player "$d"; sleep "$SETTLE"
fake_cmd "play $uri" > /dev/null
log "librespot-java player: effective flags $(flags_of "$PLAYER_PID")"
sample_playing "$PLAYER_PID" "$d"
stop_pid "$PLAYER_WRAPPER"
fake_cmd spotify-2026 > /dev/null
cpu_rows "librespot-java player, Java defaults"
