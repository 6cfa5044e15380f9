#!/usr/bin/env bash
# Regenerates every PNG from the SVG masters in this folder. The PNGs are committed so that a
# build never needs image tools: run this after changing a master and commit what it writes.
set -euo pipefail

if ! command -v rsvg-convert >/dev/null 2>&1; then
    echo "generate.sh: rsvg-convert is missing; on Debian or Ubuntu install it with: sudo apt-get install librsvg2-bin" >&2
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

echo "generate.sh: wrote $(ls "$out"/*.png | wc -l) PNGs to ${out#"$here/../"} and icons/connect-tray.png"
