#!/usr/bin/env bash
# Builds the Linux packages from what `mvn -B -DskipTests package` leaves in target/jpackage-input,
# with the shared options (jpackage.cfg) and the Linux ones (installer/linux/linux.cfg plus one
# file per package type). The packages land in target/installer.
#
# Usage: installer/linux/build.sh [deb] [rpm]     (default: deb; rpm needs the rpm package's rpmbuild)
set -euo pipefail
cd "$(dirname "$0")/../.."

[ -f target/jpackage-input/connect-tray.jar ] || { echo "run mvn -B -DskipTests package first" >&2; exit 1; }
version=$(sed -n 's/^version=//p' target/classes/dev/connecttray/version.properties)
jpackage="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}/bin/jpackage"
mkdir -p target/installer
for type in "${@:-deb}"; do
  rm -f target/installer/*."$type"
  "$jpackage" @jpackage.cfg @installer/linux/linux.cfg "@installer/linux/$type.cfg" --type "$type" \
    --input target/jpackage-input --main-jar connect-tray.jar --app-version "$version" --dest target/installer
done
ls -l target/installer
