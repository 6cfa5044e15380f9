#!/usr/bin/env bash
# Builds the Linux packages from what `mvn -B -DskipTests package` leaves in target/jpackage-input.
# The packages land in target/installer.
#
# 1. The app image, as `mvn package` makes it: jpackage with the shared options (jpackage.cfg), then
#    our own launcher in place of jpackage's (installer/linux/install-launcher.sh).
# 2. Each package from that image (jpackage --app-image), with the Linux options
#    (installer/linux/linux.cfg plus one file per package type), the name, vendor and description
#    from jpackage.cfg, and the licence (LICENSE).
# 3. The .deb, unpacked and packed again with two files jpackage cannot place outside the app
#    folder: /usr/bin/connect-tray (a link to the launcher, so that the command is on PATH) and
#    /usr/share/doc/connect-tray/copyright (where Debian keeps a package's licence). The .rpm's
#    spec (resources/connect-tray.spec) places both itself.
#
# Usage: installer/linux/build.sh [deb] [rpm]     (default: deb; rpm needs the rpm package's rpmbuild)
#        APP_VERSION=0.1.1 DEST=target/upgrade installer/linux/build.sh deb   (another version, elsewhere)
set -euo pipefail
cd "$(dirname "$0")/../.."

[ -f target/jpackage-input/connect-tray.jar ] || { echo "run mvn -B -DskipTests package first" >&2; exit 1; }
version=${APP_VERSION:-$(sed -n 's/^version=//p' target/classes/dev/connecttray/version.properties)}
dest=${DEST:-target/installer}
jpackage="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}/bin/jpackage"
work=$(mktemp -d /tmp/connect-tray-build.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$dest"

"$jpackage" @jpackage.cfg --type app-image --input target/jpackage-input --main-jar connect-tray.jar \
  --app-version "$version" --dest "$work/image"
installer/linux/install-launcher.sh "$work/image/connect-tray"
# The options that describe the package; the rest of jpackage.cfg shapes the image, which is made.
grep -E '^--(name|vendor|description) ' jpackage.cfg > "$work/package.cfg"

for type in "${@:-deb}"; do
  rm -f "$dest"/*."$type"
  "$jpackage" "@$work/package.cfg" @installer/linux/linux.cfg "@installer/linux/$type.cfg" --type "$type" \
    --app-image "$work/image/connect-tray" --license-file LICENSE --app-version "$version" --dest "$dest"
done

for deb in "$dest"/*.deb; do
  [ -e "$deb" ] || continue
  tree="$work/deb"
  rm -rf "$tree"
  dpkg-deb -R "$deb" "$tree"
  install -d -m 0755 "$tree/usr/bin" "$tree/usr/share/doc/connect-tray"
  ln -s /opt/connect-tray/bin/connect-tray "$tree/usr/bin/connect-tray"
  install -m 0644 installer/linux/resources/copyright "$tree/usr/share/doc/connect-tray/copyright"
  size=$(du -sk --exclude=DEBIAN "$tree" | cut -f1)
  sed -i "s/^Installed-Size: .*/Installed-Size: $size/" "$tree/DEBIAN/control"
  if [ -f "$tree/DEBIAN/md5sums" ]; then
    (cd "$tree" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) \
      > "$tree/DEBIAN/md5sums"
  fi
  dpkg-deb --root-owner-group -b "$tree" "$deb" > /dev/null
done
ls -l "$dest"
