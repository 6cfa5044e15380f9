#!/usr/bin/env bash
# What jpackage 17's launcher cost before the JVM started, by the size of the package database:
# its four queries (`rpm -qf` then `dpkg -S` on its own path, each through `sh -c`, twice: once in
# the launcher, once in libapplauncher.so), run exactly as it runs them, against the machine's dpkg
# database and against scratch copies grown to a desktop's size (bench/dpkg-db-sim.py: the real
# packages plus renamed copies with their file lists, so `dpkg -S`, which reads every package's file
# list, has as much to read as on a desktop). A launcher from outside any package asks all four;
# the .deb's launcher found its owner and asked `dpkg -L` on top.
#
# The launcher Connect Tray ships asks none of them (installer/linux/launcher.sh): this figure is
# what it saves. Warm cache (each size is queried once before timing).
#
# Usage: bench/package-query.sh            rows: "launcher's package queries (jpackage 17), N packages"
# Env:   RUNS=7  SIZES="real 2500 4000"
source "$(dirname "$0")/lib.sh"
bench_init

runs=${RUNS:-7}
sizes=${SIZES:-real 2500 4000}
path=$BENCH_ROOT/target/connect-tray/bin/connect-tray   # owned by no package: the dev image's case
for size in $sizes; do
  if [ "$size" = real ]; then
    admin=/var/lib/dpkg
  else
    admin=$BENCH_WORK/dpkg-$size
    python3 bench/dpkg-db-sim.py "$admin" "$size" > /dev/null
  fi
  packages=$(dpkg-query --admindir="$admin" -W -f '.\n' 2>/dev/null | wc -l)
  files=$(cat "$admin"/info/*.list | wc -l)
  query() {
    sh -c "rpm --queryformat '%{NAME}' -qf '$path' 2>/dev/null" > /dev/null || true
    sh -c "dpkg --admindir='$admin' -S '$path' 2>/dev/null" > /dev/null || true
  }
  query
  times=()
  for _ in $(seq 1 "$runs"); do
    start=$(now_ms)
    query; query   # the launcher asks twice
    times+=("$(awk -v ms=$(($(now_ms) - start)) 'BEGIN { printf "%.3f", ms / 1000 }')")
  done
  row "launcher's package queries (jpackage 17), $packages packages, $files files" s "–" "–" "${times[@]}"
done
