#!/bin/sh
# What `make report`, `make quarterly`, `make trace` and `make stage-csv` run. The Makefile exports its
# variables and calls this script; every variable is used here only as "$VAR" (data, never shell code),
# and make itself never sees a name built from one: the stage graph (scripts/stages.mk) runs inside the
# stage folder, on file names this script generates.
#
# Before anything else a run
#  - checks the variables (one line naming the variable, exit 64),
#  - takes its locks: the stage folder's, and OUTPUT/.make.lock, refusing when a run is writing a folder
#    above or below OUTPUT (nested output folders exclude each other),
#  - finishes a publication a killed run left half done in OUTPUT (techsurvey-report --recover),
#  - rewrites the stamps the stage graph depends on only when what they stand for changed: the input
#    files' fingerprint (content changes are seen whatever the files' dates), the executables', the
#    settings, and the published files' (a deleted report.md is written again).
# Then make runs only the stages whose stamps or files changed.
#
# usage: pipeline.sh report|quarterly|trace|stage-csv     (from the package root, as make runs it)

set -u
unset CDPATH
goal=$1
root=$(pwd -P)
nl='
'

# Control characters in a name never reach the terminal. A name without any (nearly every one) is printed
# by the shell itself: the report line names OUTPUT six times, each a process of tr otherwise.
shown() {
    case $1 in
    *[[:cntrl:]]*) printf '%s' "$1" | tr -d '\000-\037\177' ;;
    *) printf '%s' "$1" ;;
    esac
}
fail() {
    code=$1
    shift
    printf 'techsurvey: %s\n' "$*" >&2
    exit "$code"
}

# The absolute, symlink-free path of folder $1 (trailing newlines in a name survive).
absolute() {
    p=$(cd -P -- "$1" 2>/dev/null && pwd -P && printf .) || return 1
    p=${p%.}
    printf '%s' "${p%"$nl"}"
}

# Rewrites file $1 with $2 only when its content differs, so its date says when the content last changed.
# The old content is read by the shell itself: a no-op run starts as few processes as it can. Written in
# place, not beside and renamed (a process of mv each): a write cut short leaves a stamp whose content
# differs from any the next run computes, so that run writes it again, dated then, and its stages re-run.
stamp() {
    if [ -f "$1" ]; then
        old= line=
        while IFS= read -r line; do old=$old$line$nl; done <"$1"
        [ "$old$line" = "$2$nl" ] && return
    fi
    printf '%s\n' "$2" >"$1" || fail 73 "cannot write $(shown "$1"); is the disk full?"
}

hash() {
    set -- "$(printf '%s' "$1" | sha256sum)"
    printf '%.32s' "$1"
}

# The executables take paths as UTF-8 text: a folder name in another encoding (an old Windows zip) would
# reach them garbled and look missing, so it is named here instead. One iconv for all (a newline between
# them, so no two can make one character), and one a variable when that fails.
utf8_paths() {
    # Printable ASCII (nearly every path) is UTF-8 already: no iconv to start.
    case $* in *[!\ -~]*) ;; *) return ;; esac
    printf '%s\n' "$@" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1 && return
    for name in INPUT OUTPUT STAGE_ROOT CACHE; do
        case $name in
        INPUT) value=$INPUT ;; OUTPUT) value=$OUTPUT ;; STAGE_ROOT) value=$STAGE_ROOT ;; CACHE) value=$CACHE ;;
        esac
        printf '%s' "$value" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1 ||
            fail 66 "$name='$(shown "$value")' is not UTF-8 text (a name from another system's encoding); rename the folder and run again"
    done
}

# Sets $parent to the folder holding $1, as dirname prints it, without a process of dirname.
parent_of() {
    parent=$1
    while [ "${parent%/}" != "$parent" ] && [ "$parent" != / ]; do parent=${parent%/}; done
    case $parent in
    / | //) parent=/ ;;
    */*)
        parent=${parent%/*}
        while [ "${parent%/}" != "$parent" ]; do parent=${parent%/}; done
        [ -n "$parent" ] || parent=/
        ;;
    *) parent=. ;;
    esac
}

# Stops when folder $2 (variable $1) lies inside INPUT's returns/ or activities/, where its $3 would be
# read back as input by the next run; checked on the existing part of the path, before any folder is made.
outside_input() {
    inside=$2
    while [ ! -e "$inside" ] && [ "$inside" != / ] && [ "$inside" != . ]; do parent_of "$inside"; inside=$parent; done
    case $inside in .) rest=/$2 ;; *) rest=${2#"$inside"} ;; esac
    case $(absolute "$inside")$rest/ in
    "$input_abs"/returns/* | "$input_abs"/activities/*)
        fail 64 "$1='$(shown "$2")' is inside INPUT's returns/ or activities/, where its $3 would be read as input; choose another folder" ;;
    esac
}

# --- The variables -------------------------------------------------------------------------------------

INPUT=${INPUT:-input}
OUTPUT=${OUTPUT:-output}
PERIOD=${PERIOD:-}
LANG_OUT=${LANG_OUT:-vi}
STRICT=${STRICT:-}
ENCODING=${ENCODING:-}
DELIMITER=${DELIMITER:-}
DECIMAL=${DECIMAL:-}
QUARTER=${QUARTER:-}
STAGE_ROOT=${STAGE_ROOT:-build/stage}
CACHE=${CACHE:-build/cache}
bin=${BIN:-.build/${CONFIG:-release}}

case $LANG_OUT in
vi | en) ;;
*) fail 64 "LANG_OUT='$(shown "$LANG_OUT")' is not a report language; use LANG_OUT=vi or LANG_OUT=en" ;;
esac

case $STRICT in
"" | 0 | no | No | NO | false | off) strict= ;;
1 | yes | Yes | YES | true | on) strict=--strict ;;
*) fail 64 "STRICT='$(shown "$STRICT")' is not understood; use STRICT=1 to fail on any rejected record, or leave it out" ;;
esac

# A bound: YYYY or YYYY-Qn, with a year a survey date can have (the same rule as techsurvey's Period).
bound_ok() {
    case $1 in
    [0-9][0-9][0-9][0-9] | [0-9][0-9][0-9][0-9]-[Qq][1-4]) year=${1%%-*} ;;
    *) return 1 ;;
    esac
    [ "$year" -ge 1900 ] && [ "$year" -le 2200 ]
}
check_period() {
    case $1 in
    "") return 0 ;;
    *..*..*) ok=false ;;
    *..*) bound_ok "${1%%..*}" && bound_ok "${1#*..}" && ok=true || ok=false ;;
    *) bound_ok "$1" && ok=true || ok=false ;;
    esac
    $ok || fail 64 "PERIOD='$(shown "$1")' is not a period of the years 1900–2200; write 2015, 2015-Q3, 2013..2015 or 2013-Q1..2015-Q4, or leave it out for all data"
}

if [ "$goal" = quarterly ]; then
    if [ -z "$QUARTER" ]; then
        # The last complete quarter before today, in Vietnam's time zone unless TZ is set (SPEC §2).
        set -- $(TZ=${TZ:-Asia/Ho_Chi_Minh} date +'%Y %m')
        year=$1 quarter=$(((${2#0} - 1) / 3))
        [ "$quarter" -gt 0 ] || { quarter=4; year=$((year - 1)); }
        QUARTER=$year-Q$quarter
    fi
    QUARTER=$(printf '%s' "$QUARTER" | tr q Q)
    bound_ok "$QUARTER" && case $QUARTER in *-*) true ;; *) false ;; esac ||
        fail 64 "QUARTER='$(shown "$QUARTER")' is not a quarter of the years 1900–2200; write it like QUARTER=2015-Q2 (Q1 to Q4), or leave it out for the last complete quarter"
    PERIOD=$QUARTER
fi
check_period "$PERIOD"

# --- Input and stage folder ----------------------------------------------------------------------------

utf8_paths "$INPUT" "$OUTPUT" "$STAGE_ROOT" "$CACHE"
[ -d "$INPUT" ] || fail 66 "INPUT='$(shown "$INPUT")' is not a folder; set INPUT= to a folder holding returns/ and activities/"
input_abs=$(absolute "$INPUT") || fail 66 "cannot open the folder INPUT='$(shown "$INPUT")'; check its permissions"

case $bin in /*) ;; *) bin=$root/$bin ;; esac
for tool in ingest aggregate report trace stage; do
    [ -x "$bin/techsurvey-$tool" ] || fail 69 "the executable $(shown "$bin")/techsurvey-$tool is missing; run make build (or give BIN= the folder holding it)"
done

# One stage folder per input folder, named by a hash of its absolute path, which is recorded inside and
# checked, so two input folders can never share one (build/stage/_x_a_b_in did for /x/a_b/in and /x/a/b/in).
outside_input STAGE_ROOT "$STAGE_ROOT" "stage files"
[ -d "$STAGE_ROOT" ] || mkdir -p -- "$STAGE_ROOT" 2>/dev/null || fail 73 "cannot create the stage folder STAGE_ROOT='$(shown "$STAGE_ROOT")'; check the path and its permissions"
stage=$(absolute "$STAGE_ROOT")/$(hash "$input_abs") || fail 73 "cannot open STAGE_ROOT='$(shown "$STAGE_ROOT")'"
outside_input CACHE "$CACHE" files
{ [ -d "$CACHE" ] || mkdir -p -- "$CACHE" 2>/dev/null; } && cache=$(absolute "$CACHE") ||
    fail 73 "cannot create the cache folder CACHE='$(shown "$CACHE")'; check the path and its permissions, or set CACHE= to another folder"
[ -d "$stage" ] || mkdir -p -- "$stage" || fail 73 "cannot create the stage folder $(shown "$stage"); check the disk and its permissions"
if [ -f "$stage/input-folder" ]; then
    recorded= line=
    while IFS= read -r line; do recorded=$recorded$line$nl; done <"$stage/input-folder"
    recorded=$recorded$line
    [ "${recorded%"$nl"}" = "$input_abs" ] ||
        fail 65 "the stage folder $(shown "$stage") belongs to the input folder $(shown "${recorded%"$nl"}"), not $(shown "$input_abs"); remove that stage folder and run again"
else
    # Beside and renamed, not in place like a stamp: this record is read as the folder's owner, not
    # compared with a fresh value, so a concurrent run must never read it half written.
    { printf '%s\n' "$input_abs" >"$stage/input-folder.$$" && mv -f -- "$stage/input-folder.$$" "$stage/input-folder"; } ||
        fail 73 "cannot write $(shown "$stage/input-folder"); is the disk full?"
fi


# --- Output folder: lock, and finish what a killed run left ---------------------------------------------

case $goal in
report | quarterly)
    out=$OUTPUT
    [ "$goal" = quarterly ] && out=$OUTPUT/$QUARTER
    # A file where the folder (or one above it) should be gets one line naming it, not mkdir's complaint.
    folder=$out
    while [ ! -e "$folder" ] && [ "$folder" != / ] && [ "$folder" != . ]; do parent_of "$folder"; folder=$parent; done
    [ -d "$folder" ] || fail 73 "$(shown "$folder") is a file, not a folder, so OUTPUT='$(shown "$out")' cannot be written; move that file away or set OUTPUT= to a folder"
    outside_input OUTPUT "$out" "CSV files"
    [ -d "$out" ] || mkdir -p -- "$out" 2>/dev/null || fail 73 "cannot create the folder OUTPUT='$(shown "$out")'; check the path and its permissions"
    out_abs=$(absolute "$out") || fail 73 "cannot open the folder OUTPUT='$(shown "$out")'; check its permissions"

    # The lock of the folder actually written (OUTPUT/YYYY-Qn for quarterly), held by this script and
    # every stage it starts (they inherit the descriptor), so it lasts as long as any process of the run.
    exec 8>>"$out_abs/.make.lock" || fail 73 "cannot create the lock file $(shown "$out_abs")/.make.lock; check the folder's permissions"
    flock -n 8 || fail 75 "another run is writing $(shown "$out_abs"); wait for it to finish and run again"
    # Nested output folders exclude each other: a run holding a folder above or below this one stops this
    # one. Each run takes its own lock before looking, so of two that start together at least one sees the other.
    above=$out_abs
    while [ "$above" != / ] && [ -n "$above" ]; do
        # $out_abs is absolute and without a trailing slash (pwd -P): its parents, "" standing for /.
        above=${above%/*}
        if [ -f "$above/.make.lock" ] && ! flock -n -s "$above/.make.lock" true; then
            fail 75 "another run is writing $(shown "$above"), which holds OUTPUT; wait for it to finish and run again"
        fi
    done
    below=$(find "$out_abs" -mindepth 2 -name .make.lock -type f ! -exec flock -n -s {} true \; -print -quit 2>/dev/null)
    [ -z "$below" ] || fail 75 "another run is writing $(shown "$(dirname -- "$below")"), inside OUTPUT; wait for it to finish and run again"

    interrupted=false
    for leftover in "$out_abs/.publishing" "$out_abs"/.staging-*; do [ -e "$leftover" ] && interrupted=true; done
    if $interrupted; then
        "$bin/techsurvey-report" --recover --output "$out_abs" || exit
    fi
    ;;
esac

# Two runs on one input folder would write one stage folder at once: the second stops (75, try later).
exec 7>>"$stage/.lock" || fail 73 "cannot create the lock file $(shown "$stage")/.lock"
flock -n 7 || fail 75 "another run is using the stage folder of INPUT='$(shown "$INPUT")'; wait for it to finish and run again"

# --- Stamps the stage graph depends on ------------------------------------------------------------------

. "$root/scripts/fingerprint.sh"
stamp "$stage/inputs.stamp" "$(fingerprint input "$input_abs")"
# Workbooks are read through tools/xlsx_cells.py (python3-openpyxl): a change to it re-runs ingest too.
stamp "$stage/tools.stamp" "$(fingerprint tools "$bin" "$root/tools/xlsx_cells.py")"
stamp "$stage/ingest.settings" "encoding=$ENCODING${nl}delimiter=$DELIMITER${nl}decimal=$DECIMAL${nl}strict=$strict"
period_slug=all
[ -z "$PERIOD" ] || period_slug=$(printf '%s' "$PERIOD" | tr . _)

export TS_ROOT="$root" TS_BIN="$bin" TS_INPUT="$input_abs" TS_CACHE="$cache" TS_PERIOD="$PERIOD" TS_LANG="$LANG_OUT" \
    TS_STRICT="$strict" TS_ENCODING="$ENCODING" TS_DELIMITER="$DELIMITER" TS_DECIMAL="$DECIMAL"
case $goal in
report | quarterly)
    report_key=$(hash "$out_abs$nl$PERIOD$nl$LANG_OUT")
    stamp "$stage/report-$report_key.settings" "output=$out_abs${nl}period=$PERIOD${nl}lang=$LANG_OUT${nl}strict=$strict"
    stamp "$stage/report-$report_key.published" "$(fingerprint output "$out_abs")"
    export TS_OUTPUT="$out_abs"
    targets=report
    ;;
*) targets=stages ;;
esac

# The stage graph, in the stage folder, with this run's generated names only. MAKEFLAGS is dropped so no
# variable given to the outer make is defined again in the inner one; what it needs comes as TS_*.
run_stages() {
    (cd -- "$stage" && unset MAKEFLAGS MFLAGS MAKEOVERRIDES && exec make --no-print-directory \
        -f "$root/scripts/stages.mk" PERIOD_SLUG="$period_slug" REPORT_KEY="${report_key:-none}" $targets)
}

case $goal in
report | quarterly)
    run_stages || exit
    echo "report: $(shown "$out")/report.md, $(shown "$out")/report.docx, $(shown "$out")/report.xlsx, $(shown "$out")/news.md, $(shown "$out")/tables/, $(shown "$out")/charts/"
    ;;
trace)
    run_stages >&2 || exit
    exec "$bin/techsurvey-trace" --stage "$stage" --table "${TABLE:-}" --row "${ROW:-}" --measure "${MEASURE:-}" --period "$PERIOD"
    ;;
stage-csv)
    run_stages >&2 || exit
    exec "$bin/techsurvey-stage" returns --stage "$stage"
    ;;
*) fail 64 "pipeline.sh: unknown goal '$(shown "$goal")'" ;;
esac
