#!/usr/bin/env bash
# Checks the .deb's control fields (Maintainer, Depends) and files (the /usr/bin link, the licence),
# installs it the way a user would (apt), runs the installed launcher (from PATH, --version, exit
# statuses, no package manager asked, headless against the fake Spotify on loopback until
# Connected), checks the licence files and the installed systemd user unit with systemd-analyze,
# then removes the package and checks that nothing it installed is left (connect-tray is gone from
# PATH) and nothing of the user's is gone. Needs root; .ci/run calls it after the tests.
#
# Usage: installer/linux/test-deb.sh     (after `mvn -B verify` and installer/linux/build.sh deb)
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "$(id -u)" -eq 0 ] || { echo "test-deb.sh installs a package: run it as root" >&2; exit 1; }
deb=$(ls target/installer/connect-tray_*.deb)
work=$(mktemp -d)
fake_pid=""; app_pid=""
cleanup() {
  for p in $app_pid $fake_pid; do kill "$p" 2>/dev/null || true; done
  if [ -n "${KEEP_WORK:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
fail() { echo "test-deb: FAILED: $*" >&2; exit 1; }
pass() { echo "test-deb: ok: $*"; }

dpkg -s connect-tray >/dev/null 2>&1 && fail "connect-tray is already installed; remove it first"

# The control fields, before installing: "Name <address>" (jpackage writes the vendor before the
# address it is given), and a Depends list without empty or repeated entries.
maintainer=$(dpkg-deb -f "$deb" Maintainer)
[[ "$maintainer" =~ ^[^\<\>]+\ \<[^\<\>\ @]+@[^\<\>\ @]+\>$ ]] || fail "Maintainer is '$maintainer', not 'Name <address>'"
depends=$(dpkg-deb -f "$deb" Depends)
entries=$(tr ',' '\n' <<< "$depends" | sed 's/^ *//; s/ *$//')
grep -qx '' <<< "$entries" && fail "Depends has an empty entry: $depends"
[[ "$depends" == *" ,"* || "$depends" == *",,"* ]] && fail "Depends has a stray separator: $depends"
repeated=$(sort <<< "$entries" | uniq -d)
[ -z "$repeated" ] || fail "Depends names more than once: $repeated"
for need in 'xdg-utils' 'iproute2' 'libayatana-appindicator3-1 | libappindicator3-1'; do
  grep -qxF "$need" <<< "$entries" || fail "Depends lacks '$need': $depends"
done
# jpackage finds GTK 3 itself (JavaFX links it); t64 is its name from Debian 13 on.
grep -qx 'libgtk-3-0\(t64\)\?' <<< "$entries" || fail "Depends lacks libgtk-3-0: $depends"
# The listing is kept whole: `dpkg-deb -c | grep -q` fails under pipefail when grep stops reading early.
contents=$(dpkg-deb -c "$deb")
grep -q ' \./usr/share/doc/connect-tray/copyright$' <<< "$contents" || fail "no /usr/share/doc/connect-tray/copyright in the package"
grep -q ' \./usr/bin/connect-tray -> /opt/connect-tray/bin/connect-tray$' <<< "$contents" \
  || fail "no /usr/bin/connect-tray link to the launcher in the package"
pass "control: Maintainer '$maintainer'; Depends: $(wc -l <<< "$entries") entries, none empty or repeated"
# A desktop system has these menu folders (xdg-desktop-menu needs them); a bare container may not.
mkdir -p /etc/xdg/menus /usr/share/applications /usr/share/desktop-directories
# apt resolves the package's dependencies (libasound2, libgtk-3-0, ...) from Debian's mirrors.
DEBIAN_FRONTEND=noninteractive apt-get update > "$work/apt-update.log" 2>&1 || { cat "$work/apt-update.log"; fail "apt-get update"; }
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "./$deb" > "$work/apt-install.log" 2>&1 \
  || { cat "$work/apt-install.log"; fail "apt-get install $deb"; }
installed=$(dpkg -L connect-tray)
pass "installed $(basename "$deb") ($(du -sh /opt/connect-tray | cut -f1) in /opt/connect-tray)"

launcher=/opt/connect-tray/bin/connect-tray
[ -x "$launcher" ] || fail "$launcher is missing"
hash -r
[ "$(command -v connect-tray)" = /usr/bin/connect-tray ] || fail "connect-tray on PATH is '$(command -v connect-tray)', not /usr/bin/connect-tray"
[ "$(dpkg -S /usr/bin/connect-tray | cut -d: -f1)" = connect-tray ] || fail "the package does not own /usr/bin/connect-tray"
connect-tray --version > "$work/path-version.log" 2>&1 || { cat "$work/path-version.log"; fail "connect-tray --version from PATH"; }
pass "connect-tray is on PATH (/usr/bin/connect-tray, the package's link to $launcher)"

copyright=/usr/share/doc/connect-tray/copyright
grep -q '^License: Apache-2.0$' "$copyright" || fail "$copyright does not say License: Apache-2.0"
grep -qi 'unknown' "$copyright" && fail "$copyright still says Unknown"
cmp -s /opt/connect-tray/lib/app/LICENSE LICENSE || fail "/opt/connect-tray/lib/app/LICENSE is not the project's LICENSE"
grep -q 'Apache License' /opt/connect-tray/lib/app/LICENSE || fail "the shipped LICENSE is not the Apache License"
[ -s /opt/connect-tray/lib/app/NOTICE ] || fail "no NOTICE in /opt/connect-tray/lib/app"
pass "licence: $copyright (Apache-2.0), LICENSE and NOTICE in /opt/connect-tray/lib/app"

# The launcher asks no package manager who owns it (jpackage's did, at every start): rpm and dpkg
# that only note being called come first on PATH.
mkdir -p "$work/spy"
for tool in rpm dpkg dpkg-query; do
  printf '#!/bin/sh\necho "%s $*" >> %s/spy.log\nexit 1\n' "$tool" "$work" > "$work/spy/$tool"
  chmod +x "$work/spy/$tool"
done
PATH="$work/spy:$PATH" "$launcher" --version > /dev/null 2>&1 || fail "the launcher with the spies on PATH"
[ ! -s "$work/spy.log" ] || fail "the launcher asked the package manager: $(cat "$work/spy.log")"
pass "the launcher runs no rpm or dpkg"
version=$("$launcher" --version | head -1)
[[ "$version" == "connect-tray "* ]] || fail "--version printed '$version'"
pass "--version: $version"
[ -f /opt/connect-tray/lib/app/connect-tray.jsa ] || fail "postinst made no class-data sharing archive"
JAVA_TOOL_OPTIONS=-Xshare:on "$launcher" --version > "$work/cds.log" 2>&1 \
  || { cat "$work/cds.log"; fail "the launcher cannot map its class-data sharing archive (-Xshare:on)"; }
pass "the class-data sharing archive maps (-Xshare:on)"

status=0; "$launcher" --no-such-flag > /dev/null 2>&1 || status=$?
[ "$status" -eq 64 ] || fail "a bad flag exited $status, not 64"
printf '{"version": 1, "retry": {"jitter": 3.5}}' > "$work/bad.json"
status=0; HOME="$work" XDG_STATE_HOME="$work/state" "$launcher" --headless --config "$work/bad.json" \
  > /dev/null 2>&1 || status=$?
[ "$status" -eq 78 ] || fail "a bad config exited $status, not 78"
pass "exit statuses: bad flag 64, bad config 78"

desktop=$(ls /usr/share/applications/*connect-tray*.desktop 2>/dev/null | head -1)
[ -n "$desktop" ] || fail "no menu entry in /usr/share/applications"
grep -q '^Name=Connect Tray$' "$desktop" || fail "$desktop does not say Name=Connect Tray"
grep -q '^Exec=/opt/connect-tray/bin/connect-tray' "$desktop" || fail "$desktop does not start the launcher"
pass "menu entry $desktop"

unit=/usr/lib/systemd/user/connect-tray.service
[ -f "$unit" ] || fail "$unit is missing"
mkdir -p "$work/runtime"; chmod 700 "$work/runtime"
analyze=$(XDG_RUNTIME_DIR="$work/runtime" systemd-analyze --user --man=no verify "$unit" 2>&1 || true)
# systemd before 254 does not know RestartSteps= and RestartMaxDelaySec= (see the unit's header).
problems=$(echo "$analyze" | grep -v "Unknown key '\(RestartSteps\|RestartMaxDelaySec\)'" | grep -i "connect-tray" || true)
[ -z "$problems" ] || fail "systemd-analyze verify $unit: $problems"
pass "systemd-analyze --user verify $unit"

# Headless, as the service runs it, against the fake Spotify on loopback.
classpath="target/test-classes:target/classes:$(mvn -B -q dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)"
mkfifo "$work/fake-stdin"
java -cp "$classpath" dev.connecttray.fakespotify.FakeSpotifyMain "$work/fake" target/fake-spotify-agent.jar 300 \
  < "$work/fake-stdin" > "$work/fake.log" 2>&1 &
fake_pid=$!
exec 3> "$work/fake-stdin"
for _ in $(seq 1 150); do [ -f "$work/fake/jvm-options" ] && break; sleep 0.2; done
[ -f "$work/fake/jvm-options" ] || { cat "$work/fake.log"; fail "the fake Spotify did not start"; }
home="$work/home"; mkdir -p "$home/.config/connect-tray"
printf '{"username":"fake-user","credentials":"c2VjcmV0LWJsb2I=","type":"AUTHENTICATION_STORED_SPOTIFY_CREDENTIALS"}' \
  > "$home/credentials.json"
cat > "$home/.config/connect-tray/config.json" <<JSON
{ "version": 1, "deviceName": "Connect Tray (deb test)",
  "auth": { "mode": "stored", "credentialsFile": "$home/credentials.json" },
  "audio": { "output": "pipe", "pipe": "$home/audio.pcm" } }
JSON
# Java takes the home folder from the password database, not $HOME: the XDG variables point it
# here, and --config makes a missing file an error (the defaults would advertise on the LAN).
HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_STATE_HOME="$home/.local/state" \
  JAVA_TOOL_OPTIONS="$(cat "$work/fake/jvm-options")" \
  "$launcher" --headless --config "$home/.config/connect-tray/config.json" > "$work/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 1 300); do grep -qs "Connected as fake-user" "$work/app.log" && break; sleep 0.2; done
grep -q "Connected as fake-user" "$work/app.log" || { cat "$work/app.log"; fail "the installed app never connected"; }
kill -TERM "$app_pid"; status=0; wait "$app_pid" || status=$?; app_pid=""
[ "$status" -eq 0 ] || { cat "$work/app.log"; fail "SIGTERM exited $status, not 0"; }
pass "headless against the fake Spotify: Connected, then SIGTERM exits 0"
exec 3>&-

# An upgrade to a newer version keeps the user's config, state and credentials, and the unit
# (the old prerm takes it away, the new postinst puts it back).
old_version=$(dpkg-query -W -f '${Version}' connect-tray)
APP_VERSION="$(dpkg-deb -f "$deb" Version | sed 's/-[0-9]*$//').1" DEST="$work/upgrade" \
  installer/linux/build.sh deb > "$work/build-upgrade.log" 2>&1 || { cat "$work/build-upgrade.log"; fail "building the upgrade"; }
before=$(cd "$home" && find . -type f -exec sha256sum {} + | sort)
DEBIAN_FRONTEND=noninteractive apt-get install -y "$(ls "$work"/upgrade/connect-tray_*.deb)" > "$work/apt-upgrade.log" 2>&1 \
  || { cat "$work/apt-upgrade.log"; fail "upgrade"; }
new_version=$(dpkg-query -W -f '${Version}' connect-tray)
[ "$new_version" != "$old_version" ] || fail "the upgrade did not change the installed version ($old_version)"
after=$(cd "$home" && find . -type f -exec sha256sum {} + | sort)
[ "$before" = "$after" ] || fail "upgrading changed files in the user's home"
[ -f "$unit" ] || fail "the upgrade lost $unit"
"$launcher" --version > /dev/null || fail "the upgraded launcher does not run"
installed="$installed
$(dpkg -L connect-tray)"
pass "upgrade $old_version -> $new_version keeps the user's files and the unit"

DEBIAN_FRONTEND=noninteractive apt-get remove --purge -y connect-tray > "$work/apt-remove.log" 2>&1 \
  || { cat "$work/apt-remove.log"; fail "apt-get remove"; }
left=""
while IFS= read -r f; do
  [ "$f" = "/." ] && continue
  # Shared folders (/opt, /usr/share/...) stay when other packages use them.
  if [ -e "$f" ] && ! [ -d "$f" ]; then left="$left $f"; fi
  if [ -d "$f" ] && [[ "$f" == /opt/connect-tray* ]]; then left="$left $f"; fi
done <<< "$installed"
[ -e "$unit" ] && left="$left $unit"
[ -L /usr/bin/connect-tray ] && left="$left /usr/bin/connect-tray"
[ -d /usr/share/doc/connect-tray ] && left="$left /usr/share/doc/connect-tray"
hash -r
command -v connect-tray > /dev/null && left="$left $(command -v connect-tray) (on PATH)"
[ -n "$desktop" ] && [ -e "$desktop" ] && left="$left $desktop"
[ -z "$left" ] || fail "left after removal:$left"
[ -f "$home/.config/connect-tray/config.json" ] && [ -f "$home/credentials.json" ] \
  || fail "removing the package removed the user's files"
pass "removed: nothing it installed is left; the user's config and credentials are untouched"
echo "test-deb: all checks passed"
