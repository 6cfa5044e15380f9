#!/usr/bin/env bash
# Measures the receiver's memory while connected: the built launcher (`connect-tray receiver`)
# logs in to the fake Spotify on loopback, stays connected for SECONDS, and the script prints its
# resident set size every few seconds and the peak (VmHWM from /proc).
#
# Usage: bench/receiver-rss.sh [SECONDS]      (default 30; SKIP_BUILD=1 to reuse target/)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -q -DskipTests package
fi
work=$(mktemp -d)
fake_pid=""
app_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null || true
  exec 3>&- 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

classpath="target/test-classes:target/classes:$(mvn -B -q dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)"
mkfifo "$work/fake-stdin"
java -cp "$classpath" dev.connecttray.fakespotify.FakeSpotifyMain "$work/fake" target/fake-spotify-agent.jar \
  $((seconds + 120)) < "$work/fake-stdin" > "$work/fake.log" 2>&1 &
fake_pid=$!
exec 3> "$work/fake-stdin"   # the fake serves until this closes
for _ in $(seq 1 100); do [ -f "$work/fake/jvm-options" ] && break; sleep 0.2; done
[ -f "$work/fake/jvm-options" ] || { echo "fake Spotify did not start:"; cat "$work/fake.log"; exit 1; }

printf '{"username":"bench","credentials":"YmVuY2g=","type":"AUTHENTICATION_STORED_SPOTIFY_CREDENTIALS"}' \
  > "$work/credentials.json"
cat > "$work/config.json" <<JSON
{ "version": 1, "deviceName": "Connect Tray (bench)",
  "auth": { "mode": "stored", "credentialsFile": "credentials.json" },
  "audio": { "output": "pipe", "pipe": "audio.pcm" } }
JSON

JAVA_TOOL_OPTIONS="$(cat "$work/fake/jvm-options")" HOME="$work" XDG_STATE_HOME="$work/state" \
  target/connect-tray/bin/connect-tray receiver --config "$work/config.json" \
  > "$work/events" 2> "$work/receiver.log" < /dev/null &
app_pid=$!

for _ in $(seq 1 300); do grep -q '"state":"Connected"' "$work/events" && break; sleep 0.2; done
grep -q '"state":"Connected"' "$work/events" || { echo "receiver did not connect:"; tail -20 "$work/receiver.log"; exit 1; }
echo "receiver pid $app_pid connected; sampling for ${seconds} s"

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$app_pid/status"; }
hwm_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$app_pid/status"; }
for ((t = 0; t <= seconds; t += 5)); do
  printf '  t=%3ss  RSS %6.1f MiB\n' "$t" "$(awk -v k="$(rss_kib)" 'BEGIN {print k / 1024}')"
  [ "$t" -lt "$seconds" ] && sleep 5
done
state=$(grep '"type":"state"' "$work/events" | tail -1 | sed 's/.*"state":"\([A-Za-z]*\)".*/\1/')
printf 'peak RSS (VmHWM) of the receiver while connected: %.1f MiB (state at the end: %s, heap limit -Xmx256m)\n' \
  "$(awk -v k="$(hwm_kib)" 'BEGIN {print k / 1024}')" "$state"
kill -TERM "$app_pid"
wait "$app_pid" && status=0 || status=$?
app_pid=""
echo "receiver exit status after SIGTERM: $status"
