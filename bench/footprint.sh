#!/usr/bin/env bash
# Memory and CPU of both processes, as a desktop user runs them: the app image in TRAY mode on its
# own Xvfb with a tray host (trayer), logging in to the fake Spotify on loopback.
#
#   memory, connected and idle   REPEATS fresh starts; SETTLE_SECONDS after the first Connected,
#                                the resident set (VmRSS) of the supervisor (the tray process) and of
#                                its receiver child. Unit: MB = 10^6 bytes. Targets 120 MB / 100 MB.
#   CPU, connected and idle      after the last repeat's reading, IDLE_SECONDS more connected; CPU
#                                time (utime + stime from /proc) of each process, as % of one core.
#   CPU, retrying                then the fake refuses connections and drops the live one; CPU over
#                                RETRY_SECONDS of retrying with the default retry settings. A receiver
#                                the supervisor restarts counts whole: the live child's CPU plus the
#                                supervisor's reaped children's (cutime + cstime).
#   The CPU windows are cut into slices of CPU_SLICE seconds; a row's values are the slices, so its
#   median is a typical minute and its max the worst one. Target 0.2 % of one core each.
#
# When run as root, the app runs as the unprivileged user $BENCH_USER (connect-tray-test) from its
# own copy of the image, as TrayProcessIT does: dorkbox picks another tray backend for root.
# The config is given explicitly (--config, stored credentials), so zeroconf/mDNS never runs.
#
# Usage: bench/footprint.sh
# Env:   REPEATS (3), SETTLE_SECONDS (60), IDLE_SECONDS (300), RETRY_SECONDS (300), CPU_SLICE (60),
#        BENCH_USER (connect-tray-test), BENCH_SKIP_BUILD=1, BENCH_KEEP=1 (keep the work folder)
# Needs: Xvfb, trayer, xdpyinfo, setpriv (util-linux); python3; the user $BENCH_USER when root.
source "$(dirname "$0")/lib.sh"
bench_init
bench_build

repeats=${REPEATS:-3}
settle=${SETTLE_SECONDS:-60}
idle=${IDLE_SECONDS:-300}
retrying=${RETRY_SECONDS:-300}
slice=${CPU_SLICE:-60}
user=${BENCH_USER:-connect-tray-test}
hz=$(getconf CLK_TCK)
log() { echo "footprint: $*" >&2; }

fake_start "$BENCH_WORK/fake" $(( repeats * (settle + 120) + idle + retrying + 300 ))

# --- the app, as the desktop user ---
prefix=()
launcher=$BENCH_ROOT/target/connect-tray/bin/connect-tray
options=$FAKE_OPTIONS
if [ "$(id -u)" = 0 ]; then
  uid=$(id -u "$user") || { log "no user $user (useradd --create-home $user)"; exit 1; }
  app_copy="$BENCH_WORK/image"
  cp -a target/connect-tray "$app_copy"
  launcher=$app_copy/bin/connect-tray
  # The fake's trust store, agent and key live where that user may not read: copy them too.
  trust=$(tr ' ' '\n' <<< "$FAKE_OPTIONS" | sed -n 's/^-Djavax.net.ssl.trustStore=//p')
  agent=$(tr ' ' '\n' <<< "$FAKE_OPTIONS" | sed -n 's/^-javaagent:\([^=]*\)=.*/\1/p')
  key=$(tr ' ' '\n' <<< "$FAKE_OPTIONS" | sed -n 's/^-javaagent:[^=]*=//p')
  mkdir -p "$BENCH_WORK/fake-copy"
  cp "$trust" "$BENCH_WORK/fake-copy/trust.p12"
  cp "$agent" "$BENCH_WORK/fake-copy/agent.jar"
  cp "$key" "$BENCH_WORK/fake-copy/server-key.hex"
  options=${options//"$trust"/"$BENCH_WORK/fake-copy/trust.p12"}
  options=${options//"$agent"/"$BENCH_WORK/fake-copy/agent.jar"}
  options=${options//"$key"/"$BENCH_WORK/fake-copy/server-key.hex"}
  chown -R "$uid:$uid" "$app_copy" "$BENCH_WORK/fake-copy"
  prefix=(setpriv "--reuid=$uid" "--regid=$uid" --clear-groups --)
fi

# --- a display of our own with a tray host ---
display=""
for n in $(seq $(( 200 + RANDOM % 300 )) 520); do
  [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] && continue
  display=":$n"; break
done
[ -n "$display" ] || { log "no free X display number"; exit 1; }
Xvfb "$display" -screen 0 1024x768x24 -nolisten tcp > "$BENCH_WORK/xvfb.log" 2>&1 &
bench_track $!
for _ in $(seq 1 100); do DISPLAY=$display xdpyinfo > /dev/null 2>&1 && break; sleep 0.1; done
DISPLAY=$display xdpyinfo > /dev/null 2>&1 || { log "Xvfb did not start on $display"; cat "$BENCH_WORK/xvfb.log" >&2; exit 1; }
DISPLAY=$display trayer --edge top --align right --widthtype request --height 32 --transparent false \
  --expand true > "$BENCH_WORK/trayer.log" 2>&1 &
bench_track $!
sleep 1

# The receiver child of a supervisor: its child whose command line says "receiver".
receiver_of() {
  local c
  for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
    tr '\0' ' ' < "/proc/$c/cmdline" 2>/dev/null | grep -qw receiver && { echo "$c"; return 0; }
  done
  return 1
}
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }'; }
# CPU ticks of the supervisor's reaped children (the receivers that ended).
reaped_ticks() { awk '{ print $16 + $17 }' "/proc/$1/stat"; }
percent() { awk -v t="$1" -v s="$2" -v hz="$hz" 'BEGIN { printf "%.3f", 100 * t / hz / s }'; }
verdict() { # LIMIT VALUES...: "met" when the median of VALUES is at most LIMIT
  local limit=$1; shift
  printf '%s\n' "$@" | sort -g | awk -v l="$limit" '{ x[NR] = $1 }
    END { m = (NR % 2) ? x[(NR + 1) / 2] : (x[NR / 2] + x[NR / 2 + 1]) / 2; print (m <= l ? "met" : "missed") }'
}

# Measures CPU over SECONDS in slices; appends each slice's % to the arrays named SUP and REC.
cpu_window() {
  local seconds=$1 sup_name=$2 rec_name=$3 what=$4 left=$1 len s0 r0 c0 rc0 s1 r1 c1 rc1 rec rec_now d_rec
  rec=$(receiver_of "$app") || rec=""
  while [ "$left" -gt 0 ]; do
    len=$(( left < slice ? left : slice ))
    s0=$(cpu_ticks "$app"); c0=$(reaped_ticks "$app")
    r0=0; [ -n "$rec" ] && r0=$(cpu_ticks "$rec" 2>/dev/null || echo 0)
    sleep "$len"
    kill -0 "$app" 2>/dev/null || { log "the app ended during the $what window"; tail -20 "$home/app.log" >&2; exit 1; }
    s1=$(cpu_ticks "$app"); c1=$(reaped_ticks "$app")
    rec_now=$(receiver_of "$app") || rec_now=""
    if [ -n "$rec" ] && [ "$rec_now" = "$rec" ]; then
      r1=$(cpu_ticks "$rec"); d_rec=$(( r1 - r0 + c1 - c0 ))
    else
      # The receiver was replaced in this slice: the ended one's whole CPU is in the reaped ticks,
      # of which only the part after r0 belongs to this slice; the new one counts from its start.
      r1=0; [ -n "$rec_now" ] && r1=$(cpu_ticks "$rec_now" 2>/dev/null || echo 0)
      d_rec=$(( c1 - c0 - r0 + r1 ))
      [ "$d_rec" -lt 0 ] && d_rec=0
      rec=$rec_now
    fi
    eval "$sup_name+=(\"$(percent $(( s1 - s0 )) "$len")\")"
    eval "$rec_name+=(\"$(percent "$d_rec" "$len")\")"
    log "$what: ${len} s slice: supervisor $((s1 - s0)) ticks, receiver $d_rec ticks (receiver pid ${rec:-none})"
    left=$(( left - len ))
  done
}

sup_rss=(); rec_rss=(); idle_sup=(); idle_rec=(); retry_sup=(); retry_rec=()
app=""
for i in $(seq 1 "$repeats"); do
  home="$BENCH_WORK/home-$i"
  mkdir -p "$home"
  app_config "$home"
  [ "$(id -u)" = 0 ] && chown -R "$uid:$uid" "$home"
  history="$home/state/connect-tray/history.jsonl"
  fake_cmd reset > /dev/null
  t0=$(now_ms)
  env -i PATH="$PATH" LANG="${LANG:-C.UTF-8}" HOME="$home" USER="$user" LOGNAME="$user" \
    XDG_STATE_HOME="$home/state" XDG_CONFIG_HOME="$home/config" DISPLAY="$display" NO_AT_BRIDGE=1 \
    DBUS_SESSION_BUS_ADDRESS="unix:path=/nonexistent/connect-tray-bench-footprint" \
    JAVA_TOOL_OPTIONS="$options" \
    "${prefix[@]}" "$launcher" --config "$home/config.json" > "$home/app.log" 2>&1 &
  app=$!
  bench_track "$app"
  await_history Connected "$t0" "$history" 90 > /dev/null || { tail -30 "$home/app.log" >&2; exit 1; }
  grep -q "Tray icon up" "$home/app.log" || { log "run $i: no tray icon (not in tray mode?)"; tail -30 "$home/app.log" >&2; exit 1; }
  log "run $i: connected ($(grep -o 'Tray icon up ([A-Za-z]* backend)' "$home/app.log")); settling ${settle} s"
  sleep "$settle"
  rec=$(receiver_of "$app") || { log "run $i: no receiver child"; exit 1; }
  sup_rss+=("$(mb "$(rss_kib "$app")")"); rec_rss+=("$(mb "$(rss_kib "$rec")")")
  log "run $i: RSS supervisor ${sup_rss[-1]} MB, receiver ${rec_rss[-1]} MB; threads $(threads "$app") / $(threads "$rec")"

  if [ "$i" = "$repeats" ]; then
    [ "$idle" -gt 0 ] && cpu_window "$idle" idle_sup idle_rec "connected idle"
    [ "$(history_after Connected "$t0" "$history")" ] || { log "never connected?"; exit 1; }
    if [ "$retrying" -gt 0 ]; then
      fake_cmd refuse > /dev/null
      d=$(fake_cmd drop)
      cpu_window "$retrying" retry_sup retry_rec "retrying"
      [ -n "$(history_after Retrying "$d" "$history")" ] || { log "never retried after the drop"; exit 1; }
      log "attempts while refused: $(grep -c 'Connecting (attempt' "$home/app.log" || true) logged in all"
    fi
  fi
  kill -TERM "$app" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
  wait "$app" 2>/dev/null || true
done

row "memory, connected and idle: supervisor (tray)" MB "≤ 120 MB" "$(verdict 120 "${sup_rss[@]}")" "${sup_rss[@]}"
row "memory, connected and idle: receiver" MB "≤ 100 MB" "$(verdict 100 "${rec_rss[@]}")" "${rec_rss[@]}"
if [ "$idle" -gt 0 ]; then
  row "CPU, connected and idle: supervisor (tray)" "%" "≤ 0.2 %" "$(verdict 0.2 "${idle_sup[@]}")" "${idle_sup[@]}"
  row "CPU, connected and idle: receiver" "%" "≤ 0.2 %" "$(verdict 0.2 "${idle_rec[@]}")" "${idle_rec[@]}"
fi
if [ "$retrying" -gt 0 ]; then
  row "CPU, retrying: supervisor (tray)" "%" "≤ 0.2 %" "$(verdict 0.2 "${retry_sup[@]}")" "${retry_sup[@]}"
  row "CPU, retrying: receiver" "%" "≤ 0.2 %" "$(verdict 0.2 "${retry_rec[@]}")" "${retry_rec[@]}"
fi
