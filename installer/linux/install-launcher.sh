#!/usr/bin/env bash
# Puts Connect Tray's own launcher (installer/linux/launcher.sh) into a Linux app image made by
# jpackage, in place of jpackage's bin/connect-tray, and names the runtime's `java` connect-tray
# (lib/runtime/bin/connect-tray, a link) so that the process carries the app's name. Why: the header
# of launcher.sh. `mvn package` runs it on the image right after jpackage (before the class-data
# sharing archive is made with the launcher); installer/linux/build.sh runs it on the image that
# goes into the .deb and the .rpm.
#
# Usage: installer/linux/install-launcher.sh IMAGE      (target/connect-tray)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
image=${1:?usage: install-launcher.sh IMAGE}
runtime_bin=$image/lib/runtime/bin
[ -f "$image/lib/app/connect-tray.cfg" ] || { echo "install-launcher: $image is no Connect Tray app image" >&2; exit 1; }
[ -x "$runtime_bin/java" ] || {
  echo "install-launcher: $runtime_bin/java is missing: jpackage.cfg's --jlink-options must keep the runtime's commands" >&2
  exit 1
}
install -m 0755 "$here/launcher.sh" "$image/bin/connect-tray"
ln -sfn java "$runtime_bin/connect-tray"
# jpackage's launcher library: nothing loads it any more.
rm -f "$image/lib/libapplauncher.so"
