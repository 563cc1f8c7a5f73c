#!/bin/sh
# Prints a fingerprint of a set of files: each one's path, size, modification and change time, and inode,
# hashed. The change time is what `cp -p`, unzip or a USB stick cannot set back, so a file whose content
# changed is noticed whatever date it carries; the inode notices a file replaced by another.
#   fingerprint.sh input DIR    INPUT's returns/*, activities/* and aliases.csv
#   fingerprint.sh output DIR   the files a report publishes in DIR
#   fingerprint.sh tools DIR [FILE…]   the executables in DIR, and the helper files they run
# Names reach find as arguments only, never as shell code.
set -u
kind=$1
dir=$2
stats() {
    # -L: a symlinked input is judged by the file it points to.
    find -L "$@" -printf '%p\t%y\t%s\t%T@\t%C@\t%D:%i\n' 2>/dev/null
}
case $kind in
input)
    { stats "$dir/returns" "$dir/activities" -mindepth 1 -maxdepth 1
      stats "$dir/aliases.csv" -maxdepth 0
      # The folders themselves: present or not, readable or not.
      stats "$dir" "$dir/returns" "$dir/activities" -maxdepth 0 -printf '%m\n'; } ;;
output)
    stats "$dir/report.md" "$dir/news.md" "$dir/rejects.csv" "$dir/superseded.csv" "$dir/manifest.json" \
        "$dir/report.xlsx" "$dir/report.docx" "$dir/tables" "$dir/charts" ;;
tools)
    shift 2
    stats "$dir/techsurvey-ingest" "$dir/techsurvey-aggregate" "$dir/techsurvey-report" \
        "$dir/techsurvey-trace" "$dir/techsurvey-stage" "$@" -maxdepth 0 ;;
*)
    echo "fingerprint.sh: unknown kind '$kind'" >&2; exit 64 ;;
esac | LC_ALL=C sort | sha256sum | cut -d' ' -f1
