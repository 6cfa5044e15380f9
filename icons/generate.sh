#!/usr/bin/env bash
# Regenerates every PNG from the SVG masters in this folder. The PNGs are committed so that a
# build never needs image tools: run this after changing a master and commit what it writes.
set -euo pipefail

# Each tool and the Debian/Ubuntu package that has it.
missing=""
need() { # tool, package
    if ! command -v "$1" >/dev/null 2>&1; then
        echo "generate.sh: $1 is missing; it is in the Debian/Ubuntu package $2" >&2
        missing="$missing $2"
    fi
}
need rsvg-convert librsvg2-bin
need icotool icoutils      # the Windows .ico
need png2icns icnsutils    # the macOS .icns
if [ -n "$missing" ]; then
    echo "generate.sh: install them with: sudo apt-get install$missing" >&2
    exit 1
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out="$here/../src/main/resources/dev/connecttray/tray/icons"

# Keep these lists in step with Icons.java, which picks among the same sizes.
states=(connected busy waiting degraded failed)
state_sizes=(16 22 24 32 48)
app_sizes=(16 32 48 64 128 256)

render() { # master, pixels, output file
    rsvg-convert --width "$2" --height "$2" --format png --output "$3" "$1"
}

mkdir -p "$out"
# Start clean so a size dropped from the lists does not linger in the jar.
rm -f "$out"/*.png

for state in "${states[@]}"; do
    for size in "${state_sizes[@]}"; do
        render "$here/$state.svg" "$size" "$out/$state-$size.png"
        render "$here/$state.svg" $((size * 2)) "$out/$state-$size@2x.png"
    done
done

for size in "${app_sizes[@]}"; do
    render "$here/connect-tray.svg" "$size" "$out/connect-tray-$size.png"
done
# For jpackage --icon on Linux.
render "$here/connect-tray.svg" 256 "$here/connect-tray.png"

# The installer icons, for jpackage --icon on Windows (.ico) and macOS (.icns). PackagingOptionsTest
# checks the sizes, so keep its lists in step with these.
ico_sizes=(16 24 32 48 64 128 256)
# png2icns picks the ICNS element type from the pixel size alone: 16 is32+s8mk, 32 il32+l8mk,
# 48 ih32+h8mk, 128 it32+t8mk, 256 ic08, 512 ic09, 1024 ic10 (512@2x). It cannot write the other
# Retina types (ic11 16@2x, ic12 32@2x, ic13 128@2x, ic14 256@2x); on a Retina screen macOS then
# uses the image with the same pixel count (32, 256, 512 px) or, for 32@2x, scales the 128 px down.
icns_sizes=(16 32 48 128 256 512 1024)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ico_args=()
for size in "${ico_sizes[@]}"; do
    render "$here/connect-tray.svg" "$size" "$tmp/ico-$size.png"
    if [ "$size" -ge 256 ]; then
        # Windows Vista and later read 256 px entries stored as PNG; a BMP that large is 256 KiB.
        ico_args+=(--raw="$tmp/ico-$size.png")
    else
        ico_args+=("$tmp/ico-$size.png")
    fi
done
rm -f "$here/connect-tray.ico"
icotool --create --output="$here/connect-tray.ico" "${ico_args[@]}"

icns_args=()
for size in "${icns_sizes[@]}"; do
    render "$here/connect-tray.svg" "$size" "$tmp/icns-$size.png"
    icns_args+=("$tmp/icns-$size.png")
done
rm -f "$here/connect-tray.icns"
png2icns "$here/connect-tray.icns" "${icns_args[@]}" >/dev/null

echo "generate.sh: wrote $(ls "$out"/*.png | wc -l) PNGs to ${out#"$here/../"}, icons/connect-tray.png," \
    "icons/connect-tray.ico and icons/connect-tray.icns"
