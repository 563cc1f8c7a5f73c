# Sourced by scripts/pipeline.sh and the stage graph (no process of its own: a run of make report starts
# as few as it can). `fingerprint KIND DIR` prints a fingerprint of a set of files: each one's path, size,
# modification and change time, and inode, hashed. The change time is what `cp -p`, unzip or a USB stick
# cannot set back, so a file whose content changed is noticed whatever date it carries; the inode notices
# a file replaced by another.
#   fingerprint input DIR    INPUT's returns/*, activities/* and aliases.csv
#   fingerprint output DIR   the files a report publishes in DIR
#   fingerprint tools DIR [FILE…]   the executables in DIR, and the helper files they run
# Names reach find as arguments only, never as shell code.

fingerprint_stats() {
    # -L: a symlinked input is judged by the file it points to.
    find -L "$@" -printf '%p\t%y\t%s\t%T@\t%C@\t%D:%i\n' 2>/dev/null
}

fingerprint() {
    fingerprint_dir=$2
    case $1 in
    input)
        { fingerprint_stats "$fingerprint_dir/returns" "$fingerprint_dir/activities" -mindepth 1 -maxdepth 1
          fingerprint_stats "$fingerprint_dir/aliases.csv" -maxdepth 0
          # The folders themselves: present or not, readable or not.
          fingerprint_stats "$fingerprint_dir" "$fingerprint_dir/returns" "$fingerprint_dir/activities" -maxdepth 0 -printf '%m\n'; } ;;
    output)
        fingerprint_stats "$fingerprint_dir/report.md" "$fingerprint_dir/news.md" "$fingerprint_dir/rejects.csv" "$fingerprint_dir/superseded.csv" \
            "$fingerprint_dir/manifest.json" "$fingerprint_dir/report.xlsx" "$fingerprint_dir/report.docx" "$fingerprint_dir/tables" "$fingerprint_dir/charts" ;;
    tools)
        shift 2
        fingerprint_stats "$fingerprint_dir/techsurvey-ingest" "$fingerprint_dir/techsurvey-aggregate" "$fingerprint_dir/techsurvey-report" \
            "$fingerprint_dir/techsurvey-trace" "$fingerprint_dir/techsurvey-stage" "$@" -maxdepth 0 ;;
    *)
        echo "fingerprint: unknown kind '$1'" >&2; return 64 ;;
    esac | LC_ALL=C sort | sha256sum
}
