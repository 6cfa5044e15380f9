#!/usr/bin/env bash
# Builds the Linux packages from what `mvn -B -DskipTests package` leaves in target/jpackage-input,
# with the shared options (jpackage.cfg) and the Linux ones (installer/linux/linux.cfg plus one
# file per package type). The packages land in target/installer.
#
# Usage: installer/linux/build.sh [deb] [rpm]     (default: deb; rpm needs the rpm package's rpmbuild)
#        APP_VERSION=0.1.1 DEST=target/upgrade installer/linux/build.sh deb   (another version, elsewhere)
set -euo pipefail
cd "$(dirname "$0")/../.."

[ -f target/jpackage-input/connect-tray.jar ] || { echo "run mvn -B -DskipTests package first" >&2; exit 1; }
version=${APP_VERSION:-$(sed -n 's/^version=//p' target/classes/dev/connecttray/version.properties)}
dest=${DEST:-target/installer}
jpackage="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}/bin/jpackage"
mkdir -p "$dest"
for type in "${@:-deb}"; do
  rm -f "$dest"/*."$type"
  "$jpackage" @jpackage.cfg @installer/linux/linux.cfg "@installer/linux/$type.cfg" --type "$type" \
    --input target/jpackage-input --main-jar connect-tray.jar --app-version "$version" --dest "$dest"
done
ls -l "$dest"
