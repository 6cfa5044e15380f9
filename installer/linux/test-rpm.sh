#!/usr/bin/env bash
# Checks the .rpm as far as a Debian machine can: rpm installs it into a scratch root (`rpm --root`,
# without its dependencies, which are Fedora's package names, and without its scriptlets, which would
# run chrooted into that empty root), then this script checks the installed files (the launcher runs,
# the systemd user unit is in /usr/lib/systemd/user and is the project's unit, /usr/bin/connect-tray
# links to the launcher, the licence is Apache-2.0 and ships), the scriptlets (the
# menu entry goes only when the package is erased, not on an upgrade), an upgrade to a newer package
# built on the spot, and that erasing it leaves none of its files.
#
# Usage: installer/linux/test-rpm.sh   (after installer/linux/build.sh rpm; needs the rpm package)
set -euo pipefail
cd "$(dirname "$0")/../.."
rpm_file=$(ls target/installer/connect-tray-*.rpm)
work=$(mktemp -d)
cleanup() { if [ -n "${KEEP_WORK:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT
fail() { echo "test-rpm: FAILED: $*" >&2; exit 1; }
pass() { echo "test-rpm: ok: $*"; }
root="$work/root"
rpm_in_root() { rpm --root "$root" --nodeps --noscripts "$@" 2> >(grep -v 'should not be used directly\|assuming you know' >&2); }

mkdir -p "$root"
rpm --root "$root" --initdb
rpm_in_root -i "$rpm_file"
pass "installed $(basename "$rpm_file") into a scratch root"

launcher="$root/opt/connect-tray/bin/connect-tray"
version=$(HOME="$work" "$launcher" --version 2>/dev/null | head -1)
[[ "$version" == "connect-tray "* ]] || fail "--version printed '$version'"
pass "--version: $version"

unit="$root/usr/lib/systemd/user/connect-tray.service"
[ -f "$unit" ] || fail "the systemd user unit is not in /usr/lib/systemd/user"
cmp -s "$unit" installer/linux/connect-tray.service || fail "$unit differs from installer/linux/connect-tray.service"
rpm --root "$root" -qf /usr/lib/systemd/user/connect-tray.service > /dev/null 2>&1 \
  || fail "the package does not own its systemd unit"
pass "systemd user unit installed and owned by the package"

link="$root/usr/bin/connect-tray"
[ -L "$link" ] && [ "$(readlink "$link")" = /opt/connect-tray/bin/connect-tray ] \
  || fail "/usr/bin/connect-tray is not a link to /opt/connect-tray/bin/connect-tray"
[ -x "$root$(readlink "$link")" ] || fail "/usr/bin/connect-tray points at nothing the package installed"
rpm --root "$root" -qf /usr/bin/connect-tray > /dev/null 2>&1 || fail "the package does not own /usr/bin/connect-tray"
pass "connect-tray on PATH: /usr/bin/connect-tray links to the launcher"

[ "$(rpm -qp --qf '%{LICENSE}' "$rpm_file" 2>/dev/null)" = Apache-2.0 ] || fail "the License tag is not Apache-2.0"
licence=$(rpm -qpL "$rpm_file" 2>/dev/null)
[ "$licence" = /usr/share/licenses/connect-tray/LICENSE ] || fail "the package's licence file is '$licence'"
cmp -s "$root$licence" LICENSE || fail "$licence is not the project's LICENSE"
[ -s "$root/opt/connect-tray/lib/app/NOTICE" ] || fail "no NOTICE in /opt/connect-tray/lib/app"
pass "licence: License Apache-2.0, $licence, NOTICE"

scripts=$(rpm -qp --scripts "$rpm_file" 2>/dev/null)
grep -q 'xdg-desktop-menu install /opt/connect-tray/lib/connect-tray-connect-tray.desktop' <<< "$scripts" \
  || fail "%post does not add the menu entry"
preun=$(sed -n '/^preuninstall scriptlet/,$p' <<< "$scripts")
grep -q 'if \[ "\$1" -eq 0 \]' <<< "$preun" || fail "%preun removes the menu entry on upgrade too"
grep -q -- '-Xshare:dump -XX:SharedClassListFile=$app/connect-tray.classlist' <<< "$scripts" \
  || fail "%post does not make the class-data sharing archive"
grep -q 'rm -f /opt/connect-tray/lib/app/connect-tray.jsa' <<< "$preun" || fail "%preun leaves the archive behind"
pass "scriptlets: menu entry and class-data sharing archive made on install, removed only on erase"

# A newer version: the current one with a fourth number.
current=$(rpm -qp --qf '%{VERSION}' "$rpm_file" 2>/dev/null)
APP_VERSION="$current.1" DEST="$work/upgrade" installer/linux/build.sh rpm > "$work/upgrade-build.log" 2>&1 \
  || { cat "$work/upgrade-build.log"; fail "building $current.1"; }
rpm_in_root -U "$work"/upgrade/connect-tray-*.rpm
[ "$(rpm --root "$root" -q --qf '%{VERSION}' connect-tray 2>/dev/null)" = "$current.1" ] || fail "the upgrade did not install $current.1"
[ -f "$unit" ] || fail "the upgrade lost the systemd unit"
HOME="$work" "$launcher" --version > /dev/null 2>&1 || fail "the launcher does not run after the upgrade"
pass "upgrade $current -> $current.1 keeps the unit and the launcher"

files=$(rpm --root "$root" -ql connect-tray 2>/dev/null)
rpm_in_root -e connect-tray
left=""
while IFS= read -r f; do
  [ -e "$root$f" ] && left="$left $f"
done <<< "$files"
[ -L "$link" ] && left="$left /usr/bin/connect-tray"
[ -z "$left" ] || fail "left after erase:$left"
pass "erase leaves none of the package's $(wc -l <<< "$files") files"
echo "test-rpm: all checks passed"
