#!/usr/bin/env bash
# Builds the class-data sharing archive of an app image: IMAGE/lib/app/connect-tray.jsa, which the
# launcher maps at start (jpackage.cfg: -XX:SharedArchiveFile=$APPDIR/connect-tray.jsa), so the
# classes of the way to the tray icon and of the receiver come parsed and verified from the archive
# instead of from the jars. `mvn package` runs it on Linux right after jpackage made the image.
#
# 1. A training run of the image itself lists every class it loads (-XX:DumpLoadedClassList, with
#    the lambdas and method handle forms it makes): tray mode on a private Xvfb with a tray host
#    (trayer) when both are installed, else --headless; as root, as nobody (see below). Every
#    connection goes to a closed loopback port, so nothing leaves the machine; the run ends once
#    the receiver made its first attempt (or after 40 s). The receiver child inherits the option
#    and would write over the tray process's list: the script renames that list as soon as the
#    tray process opened it, so the child writes a list of its own under the first name.
# 2. The class list: both lists, each line once, in load order.
# 3. The image's own launcher dumps the archive (-Xshare:dump), so the archive matches exactly the
#    runtime and class path the launcher uses, then starts once with -Xshare:on to prove it maps.
#
# Java 17 keeps the class path's full names in the archive and maps it only when the launcher's
# class path is the same: the archive holds only where it was made. So the class list goes along
# (IMAGE/lib/app/connect-tray.classlist, and into INPUT, jpackage's input, for the packages), and
# the .deb's postinst makes the archive again where the package puts the app (/opt/connect-tray).
# An image moved elsewhere starts without it (-Xshare:auto: slower, nothing else).
#
# Usage: installer/linux/cds-archive.sh IMAGE [INPUT]   (target/connect-tray target/jpackage-input)
set -euo pipefail
image=$(cd "${1:?usage: cds-archive.sh IMAGE [INPUT]}" && pwd)
input=${2:-}
launcher=$image/bin/connect-tray
archive=$image/lib/app/connect-tray.jsa
[ -x "$launcher" ] || { echo "cds-archive: no launcher at $launcher" >&2; exit 1; }
work=$(mktemp -d /tmp/connect-tray-cds.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
rm -f "$archive"

printf '{"username":"cds","credentials":"c2VjcmV0LWJsb2I=","type":"AUTHENTICATION_STORED_SPOTIFY_CREDENTIALS"}' \
  > "$work/credentials.json"
printf '{"version":1,"auth":{"mode":"stored","credentialsFile":"credentials.json"},"audio":{"output":"pipe","pipe":"a.pcm"},"retry":{"initialDelay":"30s","maxDelay":"30s"}}' \
  > "$work/config.json"
# The discard port: nobody listens on it on loopback, so every connection is refused at once.
offline="-Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=9 -Dhttps.proxyHost=127.0.0.1 -Dhttps.proxyPort=9"
train_env=(env HOME="$work/home" XDG_STATE_HOME="$work/home/state" XDG_CONFIG_HOME="$work/home/config"
  XDG_RUNTIME_DIR="$work/home/run" NO_AT_BRIDGE=1
  DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/connect-tray-cds-bus
  JAVA_TOOL_OPTIONS="-Xshare:off -XX:DumpLoadedClassList=$work/loaded.classlist $offline")
mkdir -p "$work/home"

# As root, the tray library takes another way to the icon than for a user (Swing, not GTK), so the
# training runs as nobody when it can read the image.
as_user=()
if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null && id nobody > /dev/null 2>&1; then
  candidate=(setpriv --reuid="$(id -u nobody)" --regid="$(id -g nobody)" --clear-groups --)
  if "${candidate[@]}" test -x "$launcher" -a -r "$image/lib/app/connect-tray.jar"; then
    as_user=("${candidate[@]}")
    chmod 777 "$work"
    chown nobody "$work/home"
  fi
fi
mode=(--headless)
if command -v Xvfb > /dev/null && command -v trayer > /dev/null && command -v xdpyinfo > /dev/null; then
  for n in $(seq 201 230); do
    [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || { display=":$n"; break; }
  done
  if [ -n "${display:-}" ]; then
    Xvfb "$display" -screen 0 320x40x24 -nolisten tcp > "$work/xvfb.log" 2>&1 & pids+=($!)
    for _ in $(seq 1 100); do DISPLAY=$display xdpyinfo > /dev/null 2>&1 && break; sleep 0.1; done
    if DISPLAY=$display xdpyinfo > /dev/null 2>&1; then
      DISPLAY=$display trayer --edge top --align right --widthtype request --height 32 > "$work/trayer.log" 2>&1 &
      pids+=($!)
      sleep 0.5
      mode=()
      train_env+=(DISPLAY="$display")
    else
      echo "cds-archive: Xvfb did not start on $display: $(tail -1 "$work/xvfb.log")" >&2
    fi
  fi
else
  echo "cds-archive: no Xvfb, trayer or xdpyinfo: the training run skips the tray" >&2
fi
echo "cds-archive: training run (${mode[*]:-tray mode on Xvfb $display}${as_user[*]:+, as nobody})" >&2
"${as_user[@]}" "${train_env[@]}" "$launcher" "${mode[@]}" --config "$work/config.json" > "$work/app.log" 2>&1 & app=$!
pids+=("$app")
# The tray process opens its list first thing; its child starts a good while later.
for _ in $(seq 1 1000); do [ -e "$work/loaded.classlist" ] && break; sleep 0.01; done
mv "$work/loaded.classlist" "$work/supervisor.classlist" \
  || { echo "cds-archive: the training run made no class list" >&2; tail -20 "$work/app.log" >&2; exit 1; }
for _ in $(seq 1 400); do   # at most 40 s
  grep -q 'Retrying in' "$work/app.log" 2>/dev/null && break
  kill -0 "$app" 2>/dev/null || break
  sleep 0.1
done
sleep 1
kill -TERM "$app" 2>/dev/null || true
wait "$app" 2>/dev/null || true
grep -q 'Retrying in' "$work/app.log" || {
  echo "cds-archive: the training run never reached the first retry:" >&2; tail -20 "$work/app.log" >&2; exit 1; }
[ -s "$work/loaded.classlist" ] || { echo "cds-archive: the receiver made no class list" >&2; exit 1; }

cat "$work/supervisor.classlist" "$work/loaded.classlist" | grep -v '^#' | awk '!seen[$0]++' > "$work/classlist"
count=$(wc -l < "$work/classlist")
[ "$count" -gt 1000 ] || { echo "cds-archive: only $count lines in the training run's class list" >&2; exit 1; }

cp "$work/classlist" "$image/lib/app/connect-tray.classlist"
[ -z "$input" ] || cp "$work/classlist" "$input/connect-tray.classlist"
JAVA_TOOL_OPTIONS="-Xshare:dump -XX:SharedClassListFile=$work/classlist -XX:SharedArchiveFile=$archive" \
  "$launcher" > "$work/dump.log" 2>&1 || { echo "cds-archive: the dump failed:" >&2; tail -20 "$work/dump.log" >&2; exit 1; }
JAVA_TOOL_OPTIONS="-Xshare:on" "$launcher" --version > "$work/check.log" 2>&1 \
  || { echo "cds-archive: the image does not start with its archive:" >&2; cat "$work/check.log" >&2; exit 1; }
echo "cds-archive: $(du -h "$archive" | cut -f1) archive of $count classes and lambda forms ($(grep -o 'Tray icon up ([A-Za-z]* backend)' "$work/app.log" || echo 'no tray')): $archive" >&2
