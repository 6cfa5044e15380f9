# Shared by the bench scripts: source it, never run it. Every function works in $BENCH_WORK (a fresh
# temporary folder, removed on exit) and ends every process it started, by pid.
#
#   bench_init                 cd to the repository, make $BENCH_WORK, set the exit trap
#   bench_build                build the app image and the test classes unless they are newer
#                              than every source (BENCH_SKIP_BUILD=1: never build)
#   bench_track PID            end PID (TERM, then KILL after 5 s) when the script exits
#   fake_start DIR [SECONDS]   start the fake Spotify (FakeSpotifyMain) on loopback, its files in DIR;
#                              sets FAKE_DIR, FAKE_PID and FAKE_OPTIONS (JVM options for the app)
#   fake_cmd COMMAND           send a control command (see FakeSpotifyMain) and print the epoch
#                              millis at which it took effect (the ack's last word: COMMAND may
#                              have arguments, e.g. "play URI")
#   fake_await REGEX [SECONDS] wait for a line of the fake's report matching REGEX after the last
#                              fake_cmd (or fake_mark); print it
#   fake_mark                  from now on, fake_await looks only at lines reported after this
#   app_config DIR [JSON-RETRY] write DIR/config.json (stored credentials, pipe output) and the
#                              credentials; JSON-RETRY is the "retry" object, {} for the defaults
#   history_after STATE MILLIS FILE  print the epoch millis of the first STATE in the history FILE
#                              at or after MILLIS (nothing if none yet)
#   await_history STATE MILLIS FILE [SECONDS]  the same, waiting for it (exit 1 on time-out)
#   now_ms                     epoch millis now
#   cpu_ticks PID / rss_kib PID / hwm_kib PID / threads PID / fds PID   from /proc
#   child_of PID               the first child pid of PID
#   row FIGURE UNIT TARGET VERDICT VALUES...   print one table row: median, min, max of VALUES
#                              (empty VALUES are skipped; none at all make a row of dashes, n 0)
#
# Rows go to stdout and are appended to $BENCH_ROWS when it is set (bench/run.sh collects them).

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_PIDS=()

bench_cleanup() {
  local p
  for p in "${BENCH_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${BENCH_PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
  [ -n "${FAKE_FD_OPEN:-}" ] && exec 7>&- 2>/dev/null
  [ -n "${BENCH_WORK:-}" ] && [ "${BENCH_KEEP:-0}" != 1 ] && rm -rf "$BENCH_WORK"
  return 0
}

bench_init() {
  set -euo pipefail
  cd "$BENCH_ROOT"
  BENCH_WORK=$(mktemp -d /tmp/connect-tray-bench.XXXXXX)
  chmod 755 "$BENCH_WORK"
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

bench_track() { BENCH_PIDS+=("$1"); }

bench_build() {
  [ "${BENCH_SKIP_BUILD:-0}" = 1 ] && return 0
  local stamp=target/connect-tray/bin/connect-tray
  if [ -x "$stamp" ] && [ -f target/fake-spotify-agent.jar ] && [ -d target/test-classes ] \
      && [ -z "$(find src pom.xml jpackage.cfg installer -newer "$stamp" -type f -print -quit)" ]; then
    return 0
  fi
  echo "building (mvn -B -q -DskipTests package) ..." >&2
  mvn -B -q -DskipTests package >&2
}

bench_classpath() {
  local file=target/bench-classpath.txt
  if [ ! -s "$file" ] || [ pom.xml -nt "$file" ]; then
    mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$file" >&2
  fi
  echo "target/test-classes:target/classes:$(cat "$file")"
}

fake_start() {
  FAKE_DIR=$1
  local lifetime=${2:-900}
  mkdir -p "$FAKE_DIR"
  mkfifo "$FAKE_DIR/stdin"
  java -Xmx256m -cp "$(bench_classpath)" dev.connecttray.fakespotify.FakeSpotifyMain \
    "$FAKE_DIR" target/fake-spotify-agent.jar "$lifetime" \
    < "$FAKE_DIR/stdin" > "$FAKE_DIR/report" 2> "$FAKE_DIR/stderr" &
  FAKE_PID=$!
  bench_track "$FAKE_PID"
  exec 7> "$FAKE_DIR/stdin"   # the fake serves until this closes
  FAKE_FD_OPEN=1
  echo 0 > "$FAKE_DIR/mark"
  for _ in $(seq 1 150); do [ -f "$FAKE_DIR/jvm-options" ] && break; sleep 0.1; done
  [ -f "$FAKE_DIR/jvm-options" ] || { echo "fake Spotify did not start:" >&2; cat "$FAKE_DIR/stderr" >&2; exit 1; }
  FAKE_OPTIONS=$(cat "$FAKE_DIR/jvm-options")
}

# The mark lives in a file, so that fake_cmd sets it from a $(...) subshell too.
fake_mark() { wc -l < "$FAKE_DIR/report" > "$FAKE_DIR/mark"; }

fake_await() {
  local regex=$1 seconds=${2:-30} line deadline mark
  deadline=$(( $(date +%s) + seconds ))
  mark=$(cat "$FAKE_DIR/mark")
  while :; do
    line=$(tail -n +"$((mark + 1))" "$FAKE_DIR/report" | grep -m1 -E "$regex" || true)
    [ -n "$line" ] && { echo "$line"; return 0; }
    [ "$(date +%s)" -ge "$deadline" ] && { echo "fake: no line matching '$regex' in ${seconds} s" >&2; return 1; }
    sleep 0.02
  done
}

fake_cmd() {
  fake_mark
  echo "$1" >&7
  fake_await "^(ok|error) $1 " 10 | awk '$1 == "ok" { print $NF; next } { print "fake: " $0 > "/dev/stderr"; exit 1 }'
}

app_config() {
  local dir=$1 retry=${2:-"{}"}
  mkdir -p "$dir"
  printf '{"username":"fake-user","credentials":"YmVuY2g=","type":"AUTHENTICATION_STORED_SPOTIFY_CREDENTIALS"}' \
    > "$dir/credentials.json"
  chmod 600 "$dir/credentials.json"
  cat > "$dir/config.json" <<JSON
{ "version": 1, "deviceName": "Connect Tray (bench)",
  "auth": { "mode": "stored", "credentialsFile": "credentials.json" },
  "retry": $retry,
  "audio": { "output": "pipe", "pipe": "audio.pcm" } }
JSON
}

now_ms() { date +%s%3N; }

# The history's lines are events: {"type":"state","time":"<ISO instant>","state":"<State>",...}
history_after() {
  local state=$1 after=$2 file=$3
  [ -f "$file" ] || return 0
  python3 - "$state" "$after" "$file" <<'PY'
import json, sys, datetime
state, after, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
for line in open(path, encoding="utf-8"):
    try:
        e = json.loads(line)
    except ValueError:
        continue
    if e.get("state") != state:
        continue
    t = e.get("time")
    ms = int(datetime.datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp() * 1000) if isinstance(t, str) else int(t)
    if ms >= after:
        print(ms)
        break
PY
}

await_history() {
  local state=$1 after=$2 file=$3 seconds=${4:-30} t deadline
  deadline=$(( $(date +%s) + seconds ))
  while :; do
    t=$(history_after "$state" "$after" "$file")
    [ -n "$t" ] && { echo "$t"; return 0; }
    [ "$(date +%s)" -ge "$deadline" ] && { echo "no $state in $file in ${seconds} s" >&2; return 1; }
    sleep 0.05
  done
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
hwm_kib() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }
threads() { awk '/^Threads:/ { print $2 }' "/proc/$1/status"; }
fds() { ls "/proc/$1/fd" | wc -l; }
child_of() { cat /proc/"$1"/task/*/children 2>/dev/null | tr ' ' '\n' | grep -m1 . || true; }

row() {
  local figure=$1 unit=$2 target=$3 verdict=$4
  shift 4
  local line
  line=$(printf '%s\n' "$@" | sort -g | awk -v f="$figure" -v u="$unit" -v t="$target" -v v="$verdict" '
    NF { x[++n] = $1 }
    END {
      if (n == 0) { printf "| %s | – | – | – | 0 | %s | %s |\n", f, t, v; exit }
      med = (n % 2) ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2
      printf "| %s | %s %s | %s %s | %s %s | %d | %s | %s |\n", f, med, u, x[1], u, x[n], u, n, t, v
    }')
  echo "$line"
  [ -n "${BENCH_ROWS:-}" ] && echo "$line" >> "$BENCH_ROWS"
  return 0
}
