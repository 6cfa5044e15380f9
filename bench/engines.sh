#!/usr/bin/env bash
# The three engines side by side, in one run (issue 15): the built launcher runs `--headless` with
# engine.kind embedded (against the fake Spotify on loopback, as recovery.sh), soloist (the fake
# soloist, dev.connecttray.fakeengines.FakeSoloist, as engine.binary) and go-librespot (the fake
# go-librespot, dev.connecttray.fakeengines.FakeGoLibrespot, as engine.binary), one after the
# other, each with the same settings: the default retry settings ("retry": {}, i.e. initialDelay 1s,
# maxDelay 60s, multiplier 2.0, jitter 0.2, maxAttempts 10, attemptTimeout 30s) and the default
# heartbeat interval (5 s; no -Dconnecttray.heartbeatInterval). For each engine:
#
#   memory   SETTLE seconds after the first Connected in history.jsonl, the supervisor's (the
#            launcher's own process) VmRSS from /proc/PID/status and Pss from /proc/PID/smaps_rollup.
#            Unit: MB = 10^6 bytes. The engine's own process is logged, not tabled (the external
#            engines are fakes on a JVM: their memory says nothing about the real ones).
#   CPU      then CPU_SECONDS more, connected and idle, cut into slices of CPU_SLICE seconds: the
#            supervisor's utime+stime from /proc/PID/stat per slice, as % of one core (the supervisor
#            alone, not its children).
#   kill     then RUNS times: connected for KILL_SETTLE seconds (above 5 s: a session that held 5 s
#            or more is reconnected at once, see ConnectionLoop.HELD_SESSION), SIGKILL of the
#            engine's process, and the time from the kill to the next `Connected` in history.jsonl.
#            The engine's process: embedded, the receiver child (the supervisor's child whose
#            command line says "receiver"); soloist, the pid in soloist.pid in its data folder (the
#            fake's script execs its JVM, so that pid is the process the supervisor started);
#            go-librespot, the supervisor's descendant running FakeGoLibrespot. The supervisor counts
#            a soloist or go-librespot killed by a signal as a crash and gives up (exit 70) at the
#            third crash within 10 minutes (ReceiverProcess.CRASH_LIMIT; a killed embedded receiver
#            is restarted without that count), so for those two a fresh supervisor is started after
#            every second kill (column "supervisors": how many ran; memory and CPU are the first's).
#   drop     embedded only, as recovery.sh measures it: RUNS times the fake Spotify drops the live
#            access-point connection (`drop`); drop → next `Connected`. The soloist and go-librespot
#            fakes have no access point to drop, so this column is "–" for them.
#
# The fake soloist starts logged in (a session file in its data folder) with an API key file it
# accepts; the fake go-librespot is picked by a phone (its `fake-control/pick` file) after the
# supervisor waits for one, and keeps the handed-over credentials for every later start. Every fake
# ends by itself (FAKE_LIFETIME seconds per start); every process started here ends on exit.
# The table goes to stdout; progress, the machine's load before and after each engine and the engine
# processes' memory to stderr.
#
# Usage: bench/engines.sh [ENGINE...]   ENGINE: embedded soloist go-librespot (default: all three)
# Env:   RUNS (5) kills per engine; KILL_SETTLE (6 s); SETTLE (30 s); CPU_SECONDS (120); CPU_SLICE (30);
#        FAKE_LIFETIME (600 s); BENCH_SKIP_BUILD=1 to reuse target/ (it needs target/test-classes
#        too: mvn -B -o -q test-compile); BENCH_KEEP=1 to keep the work folder (logs).
# Needs: Java 17 (java on PATH runs the fakes), python3, the built app image.
source "$(dirname "$0")/lib.sh"
bench_init
bench_build

RUNS=${RUNS:-5}
KILL_SETTLE=${KILL_SETTLE:-6}
SETTLE=${SETTLE:-30}
CPU_SECONDS=${CPU_SECONDS:-120}
CPU_SLICE=${CPU_SLICE:-30}
FAKE_LIFETIME=${FAKE_LIFETIME:-600}
CRASH_LIMIT=3   # ReceiverProcess.CRASH_LIMIT
engines=("${@:-embedded soloist go-librespot}")
# shellcheck disable=SC2206 # split the default list
engines=(${engines[*]})
for e in "${engines[@]}"; do
  case $e in embedded | soloist | go-librespot) ;; *) echo "bench/engines.sh: unknown engine '$e'; use: embedded soloist go-librespot" >&2; exit 64 ;; esac
done
hz=$(getconf CLK_TCK)
java=$(command -v java)
# Absolute: the supervisor runs an engine in a folder of its own.
classpath=$(bench_classpath | tr ':' '\n' | awk -v root="$BENCH_ROOT" 'NF { print (/^\// ? $0 : root "/" $0) }' | paste -sd:)
[ -f target/test-classes/dev/connecttray/fakeengines/FakeSoloist.class ] \
  || { echo "bench/engines.sh: no fakes in target/test-classes (mvn -B -o -q test-compile)" >&2; exit 1; }

log() { echo "engines: $*" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }'; }
pss_kib() { awk '/^Pss:/ { print $2; exit }' "/proc/$1/smaps_rollup" 2>/dev/null || true; }
percent() { awk -v t="$1" -v s="$2" -v hz="$hz" 'BEGIN { printf "%.3f", 100 * t / hz / s }'; }
seconds_of() { awk -v ms="$1" 'BEGIN { printf "%.3f", ms / 1000 }'; }
# "median (min–max)" of VALUES, with UNIT; "–" for none.
summary() {
  local unit=$1; shift
  printf '%s\n' "$@" | sort -g | awk -v u="$unit" 'NF { x[++n] = $1 }
    END { if (n == 0) { print "–"; exit }
          m = (n % 2) ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2
          printf "%s%s (%s–%s)\n", m, u, x[1], x[n] }'
}

# await_history for the supervisor APP, giving up at once when APP has ended.
await_connected() {
  local after=$1 app=$2 seconds=$3 t deadline
  deadline=$(( $(date +%s) + seconds ))
  while :; do
    t=$(history_after Connected "$after" "$history")
    [ -n "$t" ] && { echo "$t"; return 0; }
    kill -0 "$app" 2>/dev/null || { log "the supervisor (pid $app) ended"; return 1; }
    [ "$(date +%s)" -ge "$deadline" ] && { log "no Connected in $history in ${seconds} s"; return 1; }
    sleep 0.05
  done
}

# The first descendant of PID (depth first) whose command line matches REGEX.
descendant_matching() {
  local c
  for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
    tr '\0' ' ' < "/proc/$c/cmdline" 2>/dev/null | grep -qE "$2" && { echo "$c"; return 0; }
    descendant_matching "$c" "$2" && return 0
  done
  return 1
}

# The engine's process under supervisor APP, for ENGINE in home HOME; waits up to 20 s for one that is
# not OLD (a replaced one).
engine_pid() {
  local engine=$1 app=$2 home=$3 old=${4:-} p="" deadline
  deadline=$(( $(date +%s) + 20 ))
  while :; do
    case $engine in
      embedded) p=$(descendant_matching "$app" '(^| )receiver( |$)') || p="" ;;
      soloist) p=$(cat "$home/state/connect-tray/soloist/soloist.pid" 2>/dev/null | tr -d ' \n') || p="" ;;
      go-librespot) p=$(descendant_matching "$app" 'FakeGoLibrespot') || p="" ;;
    esac
    if [ -n "$p" ] && [ "$p" != "$old" ] && kill -0 "$p" 2>/dev/null; then echo "$p"; return 0; fi
    [ "$(date +%s)" -ge "$deadline" ] && { log "$engine: no engine process (other than ${old:-none})"; return 1; }
    sleep 0.05
  done
}

# The home of ENGINE: config.json, the engine's files; echoes the launcher's JAVA_TOOL_OPTIONS.
prepare() {
  local engine=$1 home=$2
  mkdir -p "$home/state/connect-tray" "$home/bin"
  case $engine in
    embedded)
      app_config "$home" '{}'
      ;;
    soloist)
      local key=5ec2e7a91b0c4d6f8e2a7c3b1d9f0e4a data=$home/state/connect-tray/soloist
      printf '%s\n' "$key" > "$home/soloist-key"; chmod 600 "$home/soloist-key"
      mkdir -p "$data"; printf 'opaque session\n' > "$data/session"   # logged in from the start
      printf 'validKey=%s\nlifetime=%s\n' "$key" "$FAKE_LIFETIME" > "$home/bin/fake-soloist.properties"
      cat > "$home/bin/soloist" <<SH
#!/bin/sh
exec '$java' -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx64m -Dfakesoloist.config='$home/bin/fake-soloist.properties' -cp '$classpath' dev.connecttray.fakeengines.FakeSoloist "\$@"
SH
      chmod 700 "$home/bin/soloist"
      cat > "$home/config.json" <<JSON
{ "version": 1, "deviceName": "Connect Tray (bench)", "retry": {},
  "engine": { "kind": "soloist", "binary": "$home/bin/soloist", "apiKeyFile": "$home/soloist-key" } }
JSON
      ;;
    go-librespot)
      local folder=$home/state/connect-tray/go-librespot
      mkdir -p "$folder/fake-control"
      echo "$FAKE_LIFETIME" > "$folder/fake-control/lifetime"
      printf -- '-cp\n"%s"\n' "$classpath" > "$home/bin/go-librespot.jvm-args"
      cat > "$home/bin/go-librespot" <<SH
#!/bin/sh
exec '$java' -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -Xmx64m '@$home/bin/go-librespot.jvm-args' dev.connecttray.fakeengines.FakeGoLibrespot "\$@"
SH
      chmod 700 "$home/bin/go-librespot"
      cat > "$home/config.json" <<JSON
{ "version": 1, "deviceName": "Connect Tray (bench)", "retry": {},
  "audio": { "output": "pipe", "pipe": "audio.pcm" }, "zeroconf": { "port": 0 },
  "engine": { "kind": "go-librespot", "binary": "$home/bin/go-librespot" } }
JSON
      ;;
  esac
}

# A phone picks the fake go-librespot: an atomically written control file, consumed by the fake.
pick() {
  local c=$1/state/connect-tray/go-librespot/fake-control
  printf 'bench' > "$c/.pick.tmp" && mv "$c/.pick.tmp" "$c/pick"
}

stop_app() {
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# Starts the launcher for $engine in $home (env options ${options[@]}) and waits for Connected; the
# fake go-librespot is picked when the supervisor waits for a phone (its first start only: it keeps
# the credentials). Sets app and t0, c.
start_app() {
  t0=$(now_ms)
  local log_file=$home/app-$t0.log picked=0
  env "${options[@]}" HOME="$home" XDG_STATE_HOME="$home/state" XDG_CONFIG_HOME="$home/cfg" \
    target/connect-tray/bin/connect-tray --headless --config "$home/config.json" > "$log_file" 2>&1 &
  app=$!
  bench_track "$app"
  ln -sfn "$log_file" "$home/app.log"
  if [ "$engine" = go-librespot ] && [ ! -f "$home/state/connect-tray/go-librespot/state.json" ]; then
    for _ in $(seq 1 600); do grep -qs 'Waiting for a Spotify app to pick' "$log_file" && break; sleep 0.1; done
    grep -qs 'Waiting for a Spotify app to pick' "$log_file" || { log "go-librespot: never waited for a pick"; tail -30 "$log_file" >&2; exit 1; }
    pick "$home"
  fi
  c=$(await_connected "$t0" "$app" 120) || { log "$engine: never connected"; tail -40 "$log_file" >&2; exit 1; }
}

needs_fake=0
[[ " ${engines[*]} " == *" embedded "* ]] && needs_fake=1
[ "$needs_fake" = 1 ] && fake_start "$BENCH_WORK/fake" $(( 300 + SETTLE + CPU_SECONDS + 2 * RUNS * (KILL_SETTLE + 60) ))

declare -A T_SUPERVISORS T_KILL T_DROP T_RSS T_PSS T_CPU T_LOAD T_TARGET
for engine in "${engines[@]}"; do
  home=$BENCH_WORK/$engine
  prepare "$engine" "$home"
  history=$home/state/connect-tray/history.jsonl
  # The fake Spotify's JVM options for the embedded engine only; none at all for the others (a set
  # JAVA_TOOL_OPTIONS reaches the fakes' JVMs, whose "Picked up ..." line would spoil their --version).
  options=(-u JAVA_TOOL_OPTIONS); [ "$engine" = embedded ] && options=("JAVA_TOOL_OPTIONS=$FAKE_OPTIONS")
  load_before=$(load)
  log "$engine: starting (load $load_before)"
  start_app
  log "$engine: Connected $((c - t0)) ms after the start (supervisor pid $app); settling ${SETTLE} s"
  sleep "$SETTLE"

  # --- memory ---
  child=$(engine_pid "$engine" "$app" "$home") || exit 1
  T_RSS[$engine]=$(mb "$(rss_kib "$app")")
  p=$(pss_kib "$app"); T_PSS[$engine]=$([ -n "$p" ] && mb "$p" || echo "–")
  log "$engine: supervisor pid $app RSS ${T_RSS[$engine]} MB, PSS ${T_PSS[$engine]} MB, $(threads "$app") threads;" \
    "engine pid $child RSS $(mb "$(rss_kib "$child")") MB ($(tr '\0' ' ' < "/proc/$child/cmdline" | grep -oE 'receiver|FakeSoloist|FakeGoLibrespot' | head -1))"

  log "$engine: supervisor threads by name: $(cat /proc/"$app"/task/*/comm 2>/dev/null | sed 's/[-_]*[0-9]*$//' | sort | uniq -c | awk '{ printf "%s%s×%s", sep, $1, $2; sep = ", " }')"

  # --- CPU, connected and idle ---
  cpu=(); left=$CPU_SECONDS
  while [ "$left" -gt 0 ]; do
    len=$(( left < CPU_SLICE ? left : CPU_SLICE ))
    s0=$(cpu_ticks "$app"); sleep "$len"; s1=$(cpu_ticks "$app")
    cpu+=("$(percent $((s1 - s0)) "$len")")
    log "$engine: CPU slice ${len} s: supervisor $((s1 - s0)) ticks (${cpu[-1]} %)"
    left=$(( left - len ))
  done
  [ -z "$(history_after Retrying "$t0" "$history")" ] || log "$engine: NOTE it retried during the idle window"

  # --- SIGKILL of the engine's process ---
  kills=(); restarts=0
  since_start=0
  for i in $(seq 1 "$RUNS"); do
    # An external engine killed by a signal counts as a crash, and the supervisor gives up (exit 70)
    # at the third within 10 min (ReceiverProcess.CRASH_LIMIT): a fresh supervisor every 2 kills.
    if [ "$engine" != embedded ] && [ "$since_start" -ge $((CRASH_LIMIT - 1)) ]; then
      stop_app "$app"
      start_app
      log "$engine: a fresh supervisor (pid $app) after $since_start kills: Connected $((c - t0)) ms after its start"
      since_start=0
      restarts=$((restarts + 1))
    fi
    sleep "$KILL_SETTLE"
    since_start=$((since_start + 1))
    victim=$(engine_pid "$engine" "$app" "$home") || exit 1
    k=$(now_ms)
    kill -KILL "$victim"
    c=$(await_connected "$k" "$app" 90) || { log "$engine: not Connected after kill $i"; tail -30 "$home/app.log" >&2; exit 1; }
    kills+=("$(seconds_of $((c - k)))")
    log "$engine kill $i (pid $victim): Connected after $((c - k)) ms"
    engine_pid "$engine" "$app" "$home" "$victim" > /dev/null || exit 1
  done

  # --- the fake Spotify's drop (embedded only, as recovery.sh) ---
  drops=()
  if [ "$engine" = embedded ]; then
    for i in $(seq 1 "$RUNS"); do
      sleep "$KILL_SETTLE"
      d=$(fake_cmd drop)
      c=$(await_connected "$d" "$app" 60) || { log "embedded: not Connected after drop $i"; exit 1; }
      drops+=("$(seconds_of $((c - d)))")
      log "embedded drop $i: Connected after $((c - d)) ms"
    done
  fi
  stop_app "$app"
  T_KILL[$engine]=$(summary " s" "${kills[@]}")
  T_DROP[$engine]=$(summary " s" "${drops[@]}")
  T_CPU[$engine]=$(summary " %" "${cpu[@]}")
  T_LOAD[$engine]="$load_before → $(load)"
  T_SUPERVISORS[$engine]=$((restarts + 1))
  case $engine in
    embedded) T_TARGET[$engine]="receiver child" ;;
    soloist) T_TARGET[$engine]="soloist (fake), pid from soloist.pid" ;;
    go-librespot) T_TARGET[$engine]="go-librespot (fake)" ;;
  esac
  log "$engine: done (load ${T_LOAD[$engine]})"
done

echo "Settings (all engines): \"retry\": {} (initialDelay 1s, maxDelay 60s, multiplier 2.0, jitter 0.2," \
  "maxAttempts 10, attemptTimeout 30s), heartbeat 5 s (default); RUNS=$RUNS KILL_SETTLE=${KILL_SETTLE}s" \
  "SETTLE=${SETTLE}s CPU_SECONDS=$CPU_SECONDS CPU_SLICE=$CPU_SLICE; $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo
echo "| engine | SIGKILL of | supervisors | kill → Connected, median (min–max), n $RUNS | fake AP drop → Connected | supervisor VmRSS | supervisor Pss | supervisor CPU, connected idle, median (min–max) of ${CPU_SLICE} s slices | load average (1/5/15 min) before → after |"
echo "|---|---|---|---|---|---|---|---|---|"
for e in "${engines[@]}"; do
  echo "| $e | ${T_TARGET[$e]} | ${T_SUPERVISORS[$e]} | ${T_KILL[$e]} | ${T_DROP[$e]} | ${T_RSS[$e]} MB | ${T_PSS[$e]} MB | ${T_CPU[$e]} | ${T_LOAD[$e]} |"
done
