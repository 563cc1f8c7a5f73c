#!/bin/sh
# Acceptance 3 of issue #14, measured on the bundled input with the default INPUT and OUTPUT (release build):
#   nothing changed   `make report` right after a `make report`;
#   full re-run       `rm -rf build/stage` (every stage folder, STAGE_ROOT; the cache CACHE stays), then
#                     `make report`: ingest, aggregate and report all run again.
# Prints the median and the fastest of RUNS runs of each (default 10), wall and CPU (user+system, the
# children included). Other work on the machine moves wall time, hardly CPU time: compare both.
#   usage: scripts/time-bundled.sh [RUNS]        (from the package root; make time-bundled runs it)
set -eu
runs=${1:-10}
case $runs in '' | *[!0-9]*) echo "time-bundled: RUNS must be a whole number, not '$runs'" >&2; exit 64 ;; esac
[ -x /usr/bin/time ] || { echo "time-bundled: needs GNU time (/usr/bin/time, Debian package time)" >&2; exit 69; }
scratch=$(mktemp -d "${TMPDIR:-/tmp}/time-bundled.XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM

make --no-print-directory report >/dev/null # builds, fills the cache, publishes once

# measure NAME PREPARE: RUNS timed runs of make report, PREPARE run untimed before each.
measure() {
    : >"$scratch/$1"
    i=0
    while [ "$i" -lt "$runs" ]; do
        sh -c "$2"
        /usr/bin/time -a -o "$scratch/$1" -f '%e %U %S' make --no-print-directory report >/dev/null
        i=$((i + 1))
    done
    # median and fastest, in seconds: wall, and CPU = user + system
    wall=$(awk '{ print $1 }' "$scratch/$1" | sort -n | awk '{ v[NR] = $1 } END { printf "%.3f s wall (fastest %.3f s)", v[int((NR + 1) / 2)], v[1] }')
    cpu=$(awk '{ print $2 + $3 }' "$scratch/$1" | sort -n | awk '{ v[NR] = $1 } END { printf "%.3f s CPU", v[int((NR + 1) / 2)] }')
    printf '%-16s median %s, median %s, %s runs\n' "$1:" "$wall" "$cpu" "$runs"
}
measure "nothing changed" :
measure "full re-run" 'rm -rf -- "${STAGE_ROOT:-build/stage}"'
