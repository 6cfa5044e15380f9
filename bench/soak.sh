#!/usr/bin/env bash
# The soak: does Connect Tray come back every time, and does nothing grow while it does?
#
# Runs the built app image against the fake Spotify on loopback:
#   1. CYCLES drop/reconnect cycles: the fake access point closes the live connection, the script
#      waits (at most CYCLE_BOUND s) for the supervisor to report Connected again, pauses briefly,
#      and drops again. A cycle that does not reconnect within the bound is a miss.
#   2. FLAP_SECONDS of random flapping from a seeded RNG (SEED, printed on stderr): phases of
#      random mixes of drop, refuse/accept, silent/login-ok and apresolve-503/json, each fault held
#      for a random time (≤ PHASE_MAX s), then healed, then healthy for a random time
#      (≤ HEALTHY_MAX s, often too short to reconnect); at the end everything back to healthy and
#      the app must be Connected within SETTLE_BOUND s.
# Checks, one table row each (bench/lib.sh `row`):
#   - cycles back to Connected (count), and drop -> Connected per cycle (from history.jsonl);
#   - back to Connected after the flapping;
#   - resident set, threads and open files of the supervisor (sampled after WARMUP cycles and at the
#     end of the run) and of the receiver (after WARMUP cycles and at the end of the cycles: drops
#     keep the same receiver process, while the flapping's silent phases end receivers on purpose,
#     attempt timeout -> exit 75 -> a fresh one): growth in %, target ≤ 10 %. Each sample is the
#     median of 3 readings 1 s apart, taken while Connected;
#   - the history holds every transition: the supervisor's log line of each state change (what the
#     app reported to the user, sd_notify and the tray) against history.jsonl (and history.1.jsonl),
#     every one present, in order; and every drop made while the history says Connected is followed
#     in the history by a departure from Connected.
#
# Mode: MODE=tray (default) runs the supervisor in tray mode on its own Xvfb with a tray host
# (trayer), as the unprivileged user connect-tray-test when run as root (dorkbox picks the backend
# users get, not root's Swing one): tray mode runs all that headless runs (the same supervisor,
# history and receiver) plus an icon, tooltip and menu update on every state change, so a leak
# there shows too. MODE=headless runs `--headless` (no X needed). MODE=tray falls back to headless,
# saying so on stderr, when Xvfb or trayer is missing.
#
# Retry settings: initialDelay 1s, maxDelay 10s, maxAttempts 1000, attemptTimeout 10s,
# afterGiveUp cooldown (10s): the budget never ends the run (1000 attempts outlast the flapping);
# were it spent, Cooldown starts a new round by itself. maxDelay 10 s bounds how long a
# recovery waits after the fault heals; attemptTimeout 10 s makes silent phases end in a wedged
# attempt and a fresh receiver within the run.
#
# Usage: bench/soak.sh
# Env: CYCLES (500), WARMUP (50, cycle after which the first samples are taken), FLAP_SECONDS (600),
#      SEED (random, printed), CYCLE_BOUND (30 s), PHASE_MAX (20 s), HEALTHY_MAX (8 s),
#      SETTLE_BOUND (60 s), MODE (tray | headless), APP_JAVA_OPTIONS (added to the app's JVM options,
#      e.g. -XX:NativeMemoryTracking=summary), BENCH_SKIP_BUILD=1, BENCH_KEEP=1 (keep the
#      work folder with the app's log, history and samples).
# Needs: java, maven, python3; for MODE=tray xvfb and trayer (and, as root, the user connect-tray-test).
# Takes about CYCLES × 2 s + FLAP_SECONDS + 1 min.
source "$(dirname "$0")/lib.sh"
bench_init
bench_build

CYCLES=${CYCLES:-500}
WARMUP=${WARMUP:-50}
FLAP_SECONDS=${FLAP_SECONDS:-600}
SEED=${SEED:-$(( $(date +%s) % 100000 ))}
CYCLE_BOUND=${CYCLE_BOUND:-30}
PHASE_MAX=${PHASE_MAX:-20}
HEALTHY_MAX=${HEALTHY_MAX:-8}
SETTLE_BOUND=${SETTLE_BOUND:-60}
MODE=${MODE:-tray}
TEST_USER=connect-tray-test
[ "$WARMUP" -lt "$CYCLES" ] || WARMUP=$(( CYCLES / 2 ))
echo "soak: CYCLES=$CYCLES WARMUP=$WARMUP FLAP_SECONDS=$FLAP_SECONDS SEED=$SEED MODE=$MODE" >&2

W=$BENCH_WORK
LOG=$W/app.log
STATE=$W/state/connect-tray
: > "$W/drops"      # epoch millis of each drop, with its phase
: > "$W/cycles"     # cycle number, drop millis, ok|miss
: > "$W/samples"    # label process rss-kib threads fds

# A fake that outlives any run this script can make; it also ends when the script closes its stdin.
# Every cycle opens a few connections (the apresolve proxy, the access point, the dealer): raise the
# fake's per-server bound (500, reached at about cycle 128) to one this run cannot reach.
JDK_JAVA_OPTIONS="-Dfakespotify.maxConnections=$(( (CYCLES + FLAP_SECONDS) * 20 + 1000 ))" \
fake_start "$W/fake" $(( CYCLES * CYCLE_BOUND + FLAP_SECONDS + PHASE_MAX + HEALTHY_MAX + SETTLE_BOUND + 600 ))
app_config "$W/app" '{ "initialDelay": "1s", "maxDelay": "10s", "maxAttempts": 1000, "attemptTimeout": "10s",
    "afterGiveUp": "cooldown", "cooldown": "10s" }'

launcher=target/connect-tray/bin/connect-tray
prefix=()
options="$FAKE_OPTIONS ${APP_JAVA_OPTIONS:-}"
args=(--config "$W/app/config.json")
mkdir -p "$W/home"
envs=(HOME="$W/home" XDG_STATE_HOME="$W/state" XDG_CONFIG_HOME="$W/cfg")
if [ "$MODE" = tray ] && ! { command -v Xvfb && command -v trayer; } > /dev/null; then
  echo "soak: no Xvfb or trayer; running headless instead" >&2
  MODE=headless
fi
if [ "$MODE" = tray ]; then
  Xvfb -displayfd 9 -screen 0 1024x768x24 -nolisten tcp -noreset 9> "$W/display" > "$W/xvfb.log" 2>&1 &
  bench_track $!
  for _ in $(seq 1 100); do [ -s "$W/display" ] && break; sleep 0.1; done
  [ -s "$W/display" ] || { echo "Xvfb did not start:" >&2; cat "$W/xvfb.log" >&2; exit 1; }
  display=":$(head -1 "$W/display")"
  DISPLAY=$display trayer --edge top --align right --widthtype request --height 32 --transparent false \
    --expand true > "$W/trayer.log" 2>&1 &
  bench_track $!
  sleep 1
  envs+=(DISPLAY="$display" NO_AT_BRIDGE=1 DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/connect-tray-soak-bus)
  args=(--config "$W/app/config.json")
  if [ "$(id -u)" = 0 ] && uid=$(id -u "$TEST_USER" 2>/dev/null); then
    # Its own copies of what it reads: the build folder and the fake's trust store are root's.
    cp -a target/connect-tray "$W/image"
    cp target/fake-spotify-agent.jar "$W/agent.jar"
    trust=$(tr ' ' '\n' <<< "$FAKE_OPTIONS" | sed -n 's/^-Djavax.net.ssl.trustStore=//p')
    cp "$trust" "$W/trust.p12"
    options=$(tr ' ' '\n' <<< "$FAKE_OPTIONS" | sed -e "s|^-javaagent:[^=]*=|-javaagent:$W/agent.jar=|" \
      -e "s|^-Djavax.net.ssl.trustStore=.*|-Djavax.net.ssl.trustStore=$W/trust.p12|" | tr '\n' ' ')${APP_JAVA_OPTIONS:-}
    mkdir -p "$W/state" "$W/cfg"
    chown -R "$uid:$uid" "$W/image" "$W/agent.jar" "$W/trust.p12" "$W/app" "$W/state" "$W/cfg" "$W/home"
    launcher=$W/image/bin/connect-tray
    prefix=(setpriv --reuid="$uid" --regid="$uid" --clear-groups --)
    echo "soak: tray mode on $display as $TEST_USER" >&2
  else
    echo "soak: tray mode on $display as $(id -un)" >&2
  fi
else
  args=(--headless --config "$W/app/config.json")
fi

env "${envs[@]}" JAVA_TOOL_OPTIONS="$options" "${prefix[@]}" "$launcher" "${args[@]}" > "$LOG" 2>&1 &
APP=$!
bench_track "$APP"

log_size() { stat -c %s "$LOG"; }
# Waits until the supervisor logs Connected after byte OFFSET of its log; at most SECONDS.
await_connected() {
  local offset=$1 seconds=$2 deadline n
  deadline=$(( $(now_ms) + seconds * 1000 ))
  while [ "$(now_ms)" -lt "$deadline" ]; do
    # grep -c reads to the end: no SIGPIPE for tail under pipefail. No process substitution here:
    # thousands of them made bash hang in wait (bash 5.2).
    n=$(tail -c +"$((offset + 1))" "$LOG" | grep -acE 'SupervisorService: Connected as [^,]* ·' || true)
    [ "${n:-0}" -gt 0 ] && return 0
    kill -0 "$APP" 2>/dev/null || { echo "soak: the app ended:" >&2; tail -20 "$LOG" >&2; return 2; }
    sleep 0.05
  done
  return 1
}
# Waits until the newest state the supervisor logged is Connected; at most SECONDS.
await_latest_connected() {
  local seconds=$1 deadline latest
  deadline=$(( $(now_ms) + seconds * 1000 ))
  while [ "$(now_ms)" -lt "$deadline" ]; do
    latest=$(tail -c 300000 "$LOG" | grep -aE 'SupervisorService: (Starting|Waiting for|Connecting|Connected as|Retrying|Gave up|Failed|Stopped)' | tail -n 1 || true)
    case $latest in *"SupervisorService: Connected as "*" ·"*) return 0 ;; esac
    kill -0 "$APP" 2>/dev/null || { echo "soak: the app ended:" >&2; tail -20 "$LOG" >&2; return 2; }
    sleep 0.2
  done
  return 1
}
receiver_pid() { grep -ao 'Started the receiver (pid [0-9]*)' "$LOG" | tail -1 | tr -dc 0-9; }
# Three readings 1 s apart of the supervisor and (unless "no-receiver") the receiver.
sample() {
  local label=$1 what=${2:-both} r
  r=$(receiver_pid)
  for _ in 1 2 3; do
    echo "$label supervisor $(rss_kib "$APP") $(threads "$APP") $(fds "$APP")" >> "$W/samples"
    [ "$what" = both ] && [ -n "$r" ] && [ -d "/proc/$r" ] \
      && echo "$label receiver $(rss_kib "$r") $(threads "$r") $(fds "$r") $r" >> "$W/samples"
    sleep 1
  done
}

await_connected 0 90 || { echo "soak: never connected" >&2; tail -40 "$LOG" >&2; exit 1; }
echo "soak: connected; $CYCLES drop/reconnect cycles" >&2

# --- 1. drop/reconnect cycles ---
broken=0; misses_in_a_row=0
for i in $(seq 1 "$CYCLES"); do
  offset=$(log_size)
  d=$(fake_cmd drop)
  echo "cycle $d" >> "$W/drops"
  status=0; await_connected "$offset" "$CYCLE_BOUND" || status=$?
  [ "$status" = 2 ] && { broken=1; break; }
  if [ "$status" = 0 ]; then
    echo "$i $d ok" >> "$W/cycles"; misses_in_a_row=0
  else
    echo "$i $d miss" >> "$W/cycles"; misses_in_a_row=$((misses_in_a_row + 1))
    echo "soak: cycle $i did not reconnect within $CYCLE_BOUND s" >&2
    offset=$(log_size); fake_cmd reset > /dev/null
    await_connected "$offset" 120 || { echo "soak: not connected again after a reset" >&2; broken=1; break; }
    [ "$misses_in_a_row" -ge 3 ] && { echo "soak: 3 misses in a row; stopping the cycles" >&2; broken=1; break; }
  fi
  [ $((i % 50)) = 0 ] && echo "soak: cycle $i" >&2
  if [ "$i" = "$WARMUP" ]; then sleep 2; sample warmup; fi
  sleep 0.3
done
if [ "$broken" = 0 ]; then sleep 2; sample cycles-end; fi

# --- 2. random flapping ---
RANDOM=$SEED
rand_tenths() { echo "$(( RANDOM % ($1 * 10) / 10 )).$(( RANDOM % 10 ))"; }
flap_start=$(date +%s); phases=0
echo "soak: $FLAP_SECONDS s of random flapping (SEED=$SEED)" >&2
while [ "$broken" = 0 ] && [ $(( $(date +%s) - flap_start )) -lt "$FLAP_SECONDS" ]; do
  phases=$((phases + 1))
  faults=()
  mask=$(( RANDOM % 8 ))
  [ $((mask & 1)) = 1 ] && faults+=(refuse:accept)
  [ $((mask & 2)) = 2 ] && faults+=(silent:login-ok)
  [ $((mask & 4)) = 4 ] && faults+=(apresolve-503:apresolve-json)
  if [ "$mask" = 0 ] || [ $(( RANDOM % 2 )) = 0 ]; then d=$(fake_cmd drop); echo "flap $d" >> "$W/drops"; fi
  for f in "${faults[@]}"; do fake_cmd "${f%%:*}" > /dev/null; done
  hold=$(rand_tenths "$PHASE_MAX")
  if [ $(( RANDOM % 3 )) = 0 ]; then   # a second drop somewhere in the hold
    sleep "$(awk -v h="$hold" 'BEGIN { print h / 2 }')"
    d=$(fake_cmd drop); echo "flap $d" >> "$W/drops"
    sleep "$(awk -v h="$hold" 'BEGIN { print h / 2 }')"
  else
    sleep "$hold"
  fi
  if [ $(( RANDOM % 4 )) = 0 ]; then
    fake_cmd reset > /dev/null
  else
    for f in "${faults[@]}"; do fake_cmd "${f##*:}" > /dev/null; done
  fi
  sleep "$(rand_tenths "$HEALTHY_MAX")"
done
settle_ms=""
if [ "$broken" = 0 ]; then
  r=$(fake_cmd reset)
  echo "soak: $phases flapping phases; all healthy again" >&2
  status=0; await_latest_connected "$SETTLE_BOUND" || status=$?
  if [ "$status" = 0 ]; then
    c=$(history_after Connected "$r" "$STATE/history.jsonl")
    settle_ms=$(( ${c:-$r} - r ))   # 0: it was Connected already when the flapping ended
    sleep 2; sample end
  else
    echo "soak: not back to Connected within $SETTLE_BOUND s after the flapping" >&2
    settle_ms=">$((SETTLE_BOUND * 1000))"
    [ "$status" = 2 ] && broken=1
    [ "$status" = 1 ] && sample end supervisor-only
  fi
fi

# Stop the app the way a user or systemd does, so the history ends with Stopped.
if kill -0 "$APP" 2>/dev/null; then
  kill -TERM "$APP"
  for _ in $(seq 1 200); do kill -0 "$APP" 2>/dev/null || break; sleep 0.1; done
fi

# --- analysis ---
python3 - "$W" "$CYCLES" "$WARMUP" "${settle_ms:-}" "$SETTLE_BOUND" "$CYCLE_BOUND" > "$W/rows" <<'PY'
import datetime, difflib, json, os, re, statistics, sys
w, cycles_n, warmup, settle, settle_bound, cycle_bound = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
state_dir = os.path.join(w, "state", "connect-tray")

def ms(t):
    return int(datetime.datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp() * 1000)

history = []
for name in ("history.1.jsonl", "history.jsonl"):
    p = os.path.join(state_dir, name)
    if os.path.exists(p):
        for line in open(p, encoding="utf-8"):
            try:
                e = json.loads(line)
            except ValueError:
                continue
            if e.get("type") == "state":
                history.append((ms(e["time"]), e["state"], e.get("attempt")))

# The supervisor's log line of each state change (view/StateLog and view/StateText words), in the order logged.
words = [(r"Starting$", "Starting"), (r"Waiting for a Spotify app", "WaitingForCredentials"),
         (r"Connecting \(attempt (\d+) of", "Connecting"), (r"Connected as .*, degraded: ", "Degraded"),
         (r"Connected as ", "Connected"), (r"Retrying (in|now) .*\(attempt (\d+) of", "Retrying"),
         (r"Gave up for now", "Cooldown"), (r"Failed: ", "Failed"), (r"Stopped$", "Stopped")]
logged = []
# Searched, not matched from the line's start: the receiver shares the supervisor's stderr, and the
# library prints some exceptions straight to it, so a log line can start mid-line.
line_re = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ (INFO|WARN|ERROR) +\[[^\]]*\] d\.c\.s\.SupervisorService: (.*)$")
for line in open(os.path.join(w, "app.log"), encoding="utf-8", errors="replace"):
    m = line_re.search(line.rstrip("\n"))
    if not m:
        continue
    text = m.group(2)
    for pattern, state in words:
        mm = re.match(pattern, text)
        if mm:
            attempt = None
            if state == "Connecting":
                attempt = int(mm.group(1))
            elif state == "Retrying":
                attempt = int(mm.group(2))
            logged.append((state, attempt))
            break

rows = []
def row(figure, unit, target, verdict, values):
    rows.append("\t".join([figure, unit, target, verdict, " ".join(str(v) for v in values)]))

# Cycles.
cycles = [l.split() for l in open(os.path.join(w, "cycles"))]
ok = sum(1 for c in cycles if c[2] == "ok")
row(f"soak: drop/reconnect cycles back to Connected within {cycle_bound} s", "cycles", f"all {cycles_n}",
    "met" if ok == cycles_n else "missed", [ok])
lat = []
for c in cycles:
    d = int(c[1])
    t = next((h[0] for h in history if h[1] == "Connected" and h[0] >= d), None)
    if t is not None and c[2] == "ok":
        lat.append(t - d)
row("soak: drop → Connected, each cycle", "ms", "–", "–", lat)
row(f"soak: back to Connected after the flapping (all healthy → Connected)", "ms", f"≤ {settle_bound} s",
    "missed" if settle.startswith(">") else "met", [settle])

# Growth after warm-up.
samples = {}
for l in open(os.path.join(w, "samples")):
    f = l.split()
    samples.setdefault((f[0], f[1]), []).append([int(x) for x in f[2:5]])
def med(label, proc, k):
    s = samples.get((label, proc))
    return statistics.median(x[k] for x in s) if s else None
for proc, end_label, span in (("supervisor", "end", f"cycle {warmup} → end of the run"),
                              ("receiver", "cycles-end", f"cycle {warmup} → end of the cycles")):
    for k, what in ((0, "resident set"), (1, "threads"), (2, "open files")):
        a, b = med("warmup", proc, k), med(end_label, proc, k)
        figure = f"soak: {proc} {what} growth, {span}"
        if a is None or b is None:
            row(figure, "%", "≤ 10 %", "missed", [])
            continue
        g = round(100.0 * (b - a) / a, 1)
        print(f"soak: {proc} {what}: {a:g} -> {b:g}", file=sys.stderr)
        row(figure, "%", "≤ 10 %", "met" if g <= 10 else "missed", [g])
for label in ("end",):
    s = samples.get((label, "receiver"))
    if s:
        print(f"soak: receiver at the end (another process after the flapping's restarts): "
              f"rss {med(label, 'receiver', 0):g} KiB, threads {med(label, 'receiver', 1):g}, "
              f"fds {med(label, 'receiver', 2):g}", file=sys.stderr)

# Every logged state change in the history, in order.
hist_seq = [(h[1], h[2]) for h in history]
sm = difflib.SequenceMatcher(a=logged, b=hist_seq, autojunk=False)
matched = sum(b.size for b in sm.get_matching_blocks())
missing = len(logged) - matched
extra = len(hist_seq) - matched
if missing or extra:
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag != "equal":
            print(f"soak: history differs from the log: {tag} log[{i1}:{i2}]={logged[i1:i2][:5]} "
                  f"history[{j1}:{j2}]={hist_seq[j1:j2][:5]}", file=sys.stderr)
print(f"soak: {len(logged)} state changes logged, {len(hist_seq)} in the history", file=sys.stderr)
row("soak: logged state changes found in the history, in order", "changes", f"all {len(logged)}, none extra",
    "met" if missing == 0 and extra == 0 and logged else "missed", [matched])

# Every drop made while Connected shows as a departure from Connected.
drops = [int(l.split()[1]) for l in open(os.path.join(w, "drops"))]
checked = departed = 0
for d in drops:
    before = [h for h in history if h[0] <= d]
    if not before or before[-1][1] != "Connected":
        continue
    checked += 1
    after = next((h for h in history if h[0] > d), None)
    if after is not None and after[1] not in ("Connected", "Degraded"):
        departed += 1
print(f"soak: {len(drops)} drops, {checked} while Connected", file=sys.stderr)
row("soak: drops while Connected followed by a departure from Connected", "drops", f"all {checked}",
    "met" if departed == checked and checked > 0 else "missed", [departed])
print("\n".join(rows))
PY
while IFS=$'\t' read -r figure unit target verdict values; do
  # shellcheck disable=SC2086
  row "$figure" "$unit" "$target" "$verdict" $values
done < "$W/rows"
[ "$broken" = 0 ] || exit 1
